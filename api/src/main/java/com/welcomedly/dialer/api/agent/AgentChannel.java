package com.welcomedly.dialer.api.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.welcomedly.dialer.api.Json;
import com.welcomedly.dialer.api.Problems.FieldError;
import com.welcomedly.dialer.api.RequestBodies;
import com.welcomedly.dialer.api.agent.AgentCommands.DispositionRequest;
import com.welcomedly.dialer.api.agent.AgentCommands.Outcome;
import com.welcomedly.dialer.api.agent.AgentRoutes.CallView;
import com.welcomedly.dialer.api.agent.AgentRoutes.SessionView;
import com.welcomedly.dialer.engine.agent.Agent;
import com.welcomedly.dialer.engine.agent.AgentFeed;
import com.welcomedly.dialer.engine.campaign.Campaign;
import com.welcomedly.dialer.engine.lead.Attempt;
import com.welcomedly.dialer.engine.lead.Lead;
import com.welcomedly.dialer.engine.logging.PhoneNumberMasking;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.StreamLimitReachedException;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The agent's WebSocket channel. Out: the agent's state on connect, then a message per stored
 * change, pushed from the journal by {@link AgentFeed} ({@code state}, {@code offer} or {@code
 * preview}, {@code connected}, {@code ended}, {@code wrapup}, {@code wrapupCompleted}; {@code
 * error} answers a refused command). In: every message is the client's heartbeat; a JSON message
 * may carry a command ({@code login}, {@code logout}, {@code ready}, {@code pause}, {@code
 * disposition}, {@code heartbeat}, {@code dial}, {@code skip}), handled exactly like its REST twin
 * by {@link AgentCommands} and {@link PreviewCommands}.
 *
 * <p>WebSocket ping frames are answered by Pekko HTTP itself and never reach this flow, so they
 * cannot count as a heartbeat: clients send a message (any text) within the heartbeat timeout.
 */
final class AgentChannel {

  // ---- messages out ----

  record StateMessage(
      String type,
      String agentId,
      String status,
      Instant since,
      String pauseReason,
      String pauseAfterCall,
      CallView call,
      Instant wrapUpDeadline,
      SessionView session) {}

  /** The customer's number masked to its last 4 digits: agents never dial by hand. */
  record LeadView(
      String leadId,
      String name,
      String phone,
      String timezone,
      Map<String, String> customFields,
      int attempts) {}

  /** One earlier attempt on the lead, for the screen pop; the number masked. */
  record AttemptView(
      String attemptId,
      Instant at,
      String number,
      String agentId,
      String outcome,
      String disposition,
      String notes,
      String releasedReason) {}

  /** {@code offer} (reserved for the call) or {@code connected} (talking), with the history. */
  record CallMessage(
      String type,
      String attemptId,
      String campaignId,
      LeadView lead,
      List<AttemptView> attempts) {}

  /**
   * {@code preview}: a lead reserved for this agent, not dialed; answered by {@code dial} or {@code
   * skip} (same attempt id) before {@code expiresAt}.
   */
  record PreviewMessage(
      String type,
      String attemptId,
      String leadId,
      String campaignId,
      LeadView lead,
      Map<String, String> customFields,
      List<AttemptView> attempts,
      Instant expiresAt) {}

  /** {@code ended}: the customer hung up, or the offer was withdrawn ({@code reason}). */
  record EndedMessage(String type, String attemptId, String campaignId, String reason) {}

  record DispositionChoice(String code, String label, String category, boolean callback) {}

  record WrapUpMessage(
      String type,
      String attemptId,
      String campaignId,
      Instant deadline,
      List<DispositionChoice> dispositions) {}

  record WrapUpCompletedMessage(
      String type, String attemptId, String disposition, boolean byTimeout) {}

  record ErrorMessage(
      String type, String command, int status, String detail, List<FieldError> errors) {}

  // ---- messages in ----

  /** Any JSON message from the client; only the fields of its {@code type} are used. */
  record ClientMessage(
      String type,
      String reason,
      String attemptId,
      String disposition,
      String notes,
      String callbackAt,
      Boolean agentOnly) {}

  /** Longest text message read from a client; more is a protocol abuse and closes the socket. */
  private static final int MAX_MESSAGE_CHARS = 64 * 1024;

  /** Marks a message over the limit (compared by identity). */
  @SuppressWarnings("StringOperationCanBeSimplified")
  private static final String TOO_BIG = new String("too big");

  private static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  private final ActorSystem<?> system;
  private final AgentCommands commands;
  private final PreviewCommands previews;
  private final RequestBodies bodies;
  private final ObjectMapper mapper;
  private final Materializer materializer;
  private final Duration askTimeout;

  AgentChannel(
      ActorSystem<?> system,
      AgentCommands commands,
      PreviewCommands previews,
      RequestBodies bodies) {
    this.system = system;
    this.commands = commands;
    this.previews = previews;
    this.bodies = bodies;
    this.mapper = Json.mapper(system);
    this.materializer = Materializer.matFromSystem(system);
    this.askTimeout = system.settings().config().getDuration("dialer.api.ask-timeout");
  }

  /** Completes when the client closes: the feed is then cancelled with the socket. */
  Flow<Message, Message, NotUsed> flow(String agentId) {
    Source<Message, NotUsed> out =
        AgentFeed.of(system, agentId, askTimeout, Clock.systemUTC())
            .mapAsync(1, this::messages)
            .mapConcat(list -> list)
            .map(this::text);
    return Flow.<Message>create()
        .mapAsync(1, this::read)
        // An oversized message is answered (status 1009, "message too big") and ends the socket.
        .takeWhile(text -> text != TOO_BIG, true)
        .mapAsync(
            1,
            text ->
                text == TOO_BIG
                    ? CompletableFuture.completedFuture(
                        Optional.<Object>of(
                            new ErrorMessage(
                                "error",
                                null,
                                1009,
                                "a message may be at most "
                                    + MAX_MESSAGE_CHARS
                                    + " characters; closing the socket",
                                List.of())))
                    : handle(agentId, text))
        .mapConcat(reply -> reply.map(List::of).orElse(List.of()))
        .map(this::text)
        .merge(out, true);
  }

  // ---- in ----

  private CompletionStage<String> read(Message message) {
    if (message.isText()) {
      TextMessage text = message.asTextMessage();
      if (text.isStrict()) {
        String strict = text.getStrictText();
        return CompletableFuture.completedFuture(
            strict.length() > MAX_MESSAGE_CHARS ? TOO_BIG : strict);
      }
      return text.getStreamedText()
          .limitWeighted(MAX_MESSAGE_CHARS, s -> (long) s.length())
          .runFold("", String::concat, materializer)
          .exceptionally(
              failure -> {
                if (unwrap(failure) instanceof StreamLimitReachedException) {
                  return TOO_BIG;
                }
                throw new CompletionException(failure);
              });
    }
    // Binary frames carry no command, but they are a sign of life all the same.
    return message
        .asBinaryMessage()
        .getStreamedData()
        .runWith(Sink.ignore(), materializer)
        .thenApply(done -> "");
  }

  /** A reply to send back (an error), or empty when the feed will show the result. */
  private CompletionStage<Optional<Object>> handle(String agentId, String text) {
    if (!text.trim().startsWith("{")) {
      return commands.heartbeat(agentId).thenApply(outcome -> Optional.empty());
    }
    ClientMessage message;
    try {
      message = bodies.read(text, ClientMessage.class);
    } catch (JsonProcessingException e) {
      return commands
          .heartbeat(agentId)
          .thenApply(
              outcome ->
                  Optional.of(
                      new ErrorMessage(
                          "error",
                          null,
                          400,
                          "malformed message",
                          List.of(RequestBodies.fieldError(e)))));
    }
    String type = message.type() == null ? "heartbeat" : message.type();
    CompletionStage<Outcome> result =
        switch (type) {
          case "heartbeat" -> commands.heartbeat(agentId);
          case "login" -> commands.logIn(agentId);
          case "logout" -> commands.logOut(agentId);
          case "ready" -> commands.ready(agentId);
          case "pause" -> commands.pause(agentId, message.reason());
          case "dial" -> previews.dial(agentId, message.attemptId());
          case "skip" -> previews.skip(agentId, message.attemptId());
          case "disposition" ->
              commands.dispose(
                  agentId,
                  new DispositionRequest(
                      message.attemptId(),
                      message.disposition(),
                      message.notes(),
                      message.callbackAt(),
                      message.agentOnly()));
          default ->
              commands
                  .heartbeat(agentId)
                  .thenApply(
                      outcome ->
                          Outcome.problem(
                              StatusCodes.BAD_REQUEST,
                              "unknown message type",
                              List.of(
                                  new FieldError(
                                      "type",
                                      "must be one of heartbeat, login, logout, ready, pause,"
                                          + " disposition, dial, skip"))));
        };
    return result.thenApply(
        outcome ->
            outcome.isOk()
                ? Optional.empty()
                : Optional.of(
                    new ErrorMessage(
                        "error",
                        type,
                        outcome.status().intValue(),
                        outcome.detail(),
                        outcome.errors())));
  }

  // ---- out ----

  private CompletionStage<List<Object>> messages(AgentFeed.Update update) {
    Agent.Summary agent = update.summary();
    Agent.Event event = update.event();
    StateMessage state = state(agent);
    if (event == null) {
      // On (re)connect: the state, and the call in its current step.
      return switch (agent.status()) {
        case RESERVED -> offer(agent.agentId(), agent.call()).thenApply(m -> List.of(state, m));
        case ON_CALL -> call("connected", agent.call()).thenApply(m -> List.of(state, m));
        case WRAP_UP ->
            wrapUp(agent.call(), agent.wrapUpDeadline()).thenApply(m -> List.of(state, m));
        default -> done(List.of(state));
      };
    }
    if (event instanceof Agent.Reserved e) {
      return offer(agent.agentId(), e.call()).thenApply(m -> List.of(state, m));
    }
    if (event instanceof Agent.CallConnected e) {
      return call("connected", e.call()).thenApply(m -> List.of(state, m));
    }
    if (event instanceof Agent.CallEnded e) {
      Object ended =
          new EndedMessage("ended", e.call().attemptId(), e.call().campaignId(), "hangup");
      return wrapUp(e.call(), e.wrapUpDeadline()).thenApply(m -> List.of(ended, state, m));
    }
    if (event instanceof Agent.ReservationCancelled e) {
      return done(
          List.of(
              new EndedMessage("ended", e.call().attemptId(), e.call().campaignId(), e.reason()),
              state));
    }
    if (event instanceof Agent.WrapUpCompleted e) {
      return done(
          List.of(
              new WrapUpCompletedMessage(
                  "wrapupCompleted", e.call().attemptId(), e.dispositionCode(), e.byTimeout()),
              state));
    }
    return done(List.of(state));
  }

  private static StateMessage state(Agent.Summary s) {
    return new StateMessage(
        "state",
        s.agentId(),
        s.status().name(),
        s.statusSince(),
        AgentViews.name(s.pauseReason()),
        AgentViews.name(s.pauseAfterCall()),
        CallView.of(s.call()),
        s.wrapUpDeadline(),
        AgentViews.session(s.session()));
  }

  /** A reservation is a PREVIEW offer when the campaign's dialer holds one for it. */
  private CompletionStage<Object> offer(String agentId, Agent.CallRef call) {
    return previews
        .offer(agentId, call)
        .thenCompose(
            preview ->
                preview.isEmpty()
                    ? call("offer", call)
                    : leadOf(call)
                        .thenApply(
                            lead ->
                                new PreviewMessage(
                                    "preview",
                                    call.attemptId(),
                                    call.leadId(),
                                    call.campaignId(),
                                    lead == null ? null : lead(lead, call.attemptId()),
                                    lead == null || lead.customFields() == null
                                        ? Map.of()
                                        : lead.customFields(),
                                    history(lead),
                                    preview.get().expiresAt())));
  }

  private CompletionStage<Object> call(String type, Agent.CallRef call) {
    return leadOf(call)
        .thenApply(
            lead ->
                new CallMessage(
                    type,
                    call.attemptId(),
                    call.campaignId(),
                    lead == null ? null : lead(lead, call.attemptId()),
                    history(lead)));
  }

  /** The lead, or null: without the lead's data the agent still has to know about the call. */
  private CompletionStage<Lead.Summary> leadOf(Agent.CallRef call) {
    return ClusterSharding.get(system)
        .entityRefFor(Lead.ENTITY_KEY, call.leadId())
        .ask(Lead.GetSummary::new, askTimeout)
        .exceptionally(failure -> null);
  }

  private static List<AttemptView> history(Lead.Summary lead) {
    if (lead == null) {
      return List.of();
    }
    return lead.attempts().stream()
        .map(
            a ->
                new AttemptView(
                    a.attemptId(),
                    a.reservedAt(),
                    PhoneNumberMasking.maskNumber(a.number()),
                    a.agentId(),
                    a.outcome() == null ? null : a.outcome().name(),
                    a.dispositionCode(),
                    a.notes(),
                    a.releasedReason()))
        .toList();
  }

  private static LeadView lead(Lead.Summary lead, String attemptId) {
    String number =
        lead.attempts().stream()
            .filter(a -> a.attemptId().equals(attemptId))
            .map(Attempt::number)
            .findFirst()
            .orElse(lead.numbers().isEmpty() ? null : lead.numbers().get(0).e164());
    Map<String, String> fields = lead.customFields() == null ? Map.of() : lead.customFields();
    return new LeadView(
        lead.leadId(),
        name(fields),
        PhoneNumberMasking.maskNumber(number),
        lead.timezone(),
        fields,
        lead.attempts().size());
  }

  /** The lead's name from the usual import columns, if there is one. */
  private static String name(Map<String, String> fields) {
    if (fields.get("name") != null) {
      return fields.get("name");
    }
    String joined =
        (fields.getOrDefault("first_name", "") + " " + fields.getOrDefault("last_name", "")).trim();
    return joined.isEmpty() ? null : joined;
  }

  private CompletionStage<Object> wrapUp(Agent.CallRef call, Instant deadline) {
    return ClusterSharding.get(system)
        .entityRefFor(Campaign.ENTITY_KEY, call.campaignId())
        .ask(Campaign.GetSummary::new, askTimeout)
        .thenApply(
            campaign ->
                campaign.config() == null
                    ? List.<DispositionChoice>of()
                    : campaign.config().dispositions().stream()
                        .map(
                            d ->
                                new DispositionChoice(
                                    d.code(), d.label(), d.category().name(), d.callback()))
                        .toList())
        .exceptionally(failure -> List.of())
        .thenApply(
            choices ->
                new WrapUpMessage(
                    "wrapup", call.attemptId(), call.campaignId(), deadline, choices));
  }

  private Message text(Object message) {
    try {
      return TextMessage.create(mapper.writeValueAsString(message));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("channel messages are plain records", e);
    }
  }

  private static CompletionStage<List<Object>> done(List<Object> messages) {
    return CompletableFuture.completedFuture(messages);
  }
}
