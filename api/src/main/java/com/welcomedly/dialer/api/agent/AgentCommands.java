package com.welcomedly.dialer.api.agent;

import com.welcomedly.dialer.api.LoadShedding;
import com.welcomedly.dialer.api.Problems.FieldError;
import com.welcomedly.dialer.engine.agent.Agent;
import com.welcomedly.dialer.engine.campaign.Campaign;
import com.welcomedly.dialer.engine.campaign.Disposition;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.pattern.StatusReply;

/**
 * An agent's own commands (log in/out, ready, pause, heartbeat, disposition), validated and sent to
 * the Agent entity. Shared by the REST routes and the agent's WebSocket channel, so both accept and
 * refuse exactly the same things with the same reasons.
 */
public final class AgentCommands {

  /** Agent ids are URL path segments and part of the persistence id, so they stay plain. */
  public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  static final int MAX_NOTES_LENGTH = 2000;

  /** Disposition body (REST) or message (WebSocket). {@code callbackAt}: customer's local time. */
  public record DispositionRequest(
      String attemptId, String disposition, String notes, String callbackAt, Boolean agentOnly) {}

  /** What a command came to: the agent's summary, or a problem (status, detail, field errors). */
  public record Outcome(
      Agent.Summary summary, StatusCode status, String detail, List<FieldError> errors) {
    static Outcome ok(Agent.Summary summary) {
      return new Outcome(summary, StatusCodes.OK, null, List.of());
    }

    static Outcome problem(StatusCode status, String detail, List<FieldError> errors) {
      return new Outcome(null, status, detail, List.copyOf(errors));
    }

    public boolean isOk() {
      return summary != null;
    }
  }

  private final ActorSystem<?> system;
  private final Duration askTimeout;
  private final Duration heartbeatTimeout;
  private final LoadShedding shedding;

  public AgentCommands(ActorSystem<?> system) {
    this.system = system;
    this.shedding = LoadShedding.get(system);
    this.askTimeout = system.settings().config().getDuration("dialer.api.ask-timeout");
    this.heartbeatTimeout =
        system.settings().config().getDuration("dialer.api.agents.heartbeat-timeout");
  }

  public CompletionStage<Outcome> logIn(String id) {
    return change(id, r -> new Agent.LogIn(heartbeatTimeout, r));
  }

  public CompletionStage<Outcome> logOut(String id) {
    return change(id, Agent.LogOut::new);
  }

  public CompletionStage<Outcome> ready(String id) {
    return change(id, Agent.Ready::new);
  }

  /** Not shed: it stores nothing, and a lost heartbeat would pause the agent. */
  public CompletionStage<Outcome> heartbeat(String id) {
    return send(id, Agent.Heartbeat::new);
  }

  /** DISCONNECTED is the system's reason for a silent client; agents cannot choose it. */
  public CompletionStage<Outcome> pause(String id, String reason) {
    Optional<Agent.PauseReason> parsed = pauseReason(reason);
    if (parsed.isEmpty()) {
      return invalid(
          "invalid pause",
          List.of(new FieldError("reason", "must be one of " + choosablePauseReasons())));
    }
    return change(id, r -> new Agent.Pause(parsed.get(), r));
  }

  /**
   * Validates the body, then the code against the dispositions of the campaign of the agent's
   * current call, then submits it; the entity refuses a wrong attempt or a wrong state (409).
   */
  public CompletionStage<Outcome> dispose(String id, DispositionRequest body) {
    List<FieldError> errors = new ArrayList<>();
    if (body.attemptId() == null || body.attemptId().isBlank()) {
      errors.add(new FieldError("attemptId", "is required"));
    }
    if (body.disposition() == null || body.disposition().isBlank()) {
      errors.add(new FieldError("disposition", "is required"));
    }
    if (body.notes() != null && body.notes().length() > MAX_NOTES_LENGTH) {
      errors.add(new FieldError("notes", "must be at most " + MAX_NOTES_LENGTH + " characters"));
    }
    LocalDateTime callbackAt = callbackAt(body.callbackAt(), errors);
    if (!errors.isEmpty()) {
      return invalid("invalid disposition", errors);
    }
    String code = body.disposition().trim();
    return summary(id)
        .thenCompose(
            agent -> {
              if (agent.isEmpty()) {
                return CompletableFuture.completedFuture(notFound(id));
              }
              Agent.CallRef call = agent.get().call();
              CompletionStage<Optional<FieldError>> codeCheck =
                  call == null || !call.attemptId().equals(body.attemptId())
                      ? CompletableFuture.completedFuture(Optional.empty())
                      : unknownCode(call.campaignId(), code);
              return codeCheck.thenCompose(
                  problem ->
                      problem.isPresent()
                          ? invalid("invalid disposition", List.of(problem.get()))
                          : change(
                              id,
                              r ->
                                  new Agent.SubmitDisposition(
                                      body.attemptId(),
                                      code,
                                      body.notes(),
                                      callbackAt,
                                      Boolean.TRUE.equals(body.agentOnly()),
                                      r)));
            });
  }

  /** The agent as its entity knows it; empty when it was never configured. */
  public CompletionStage<Optional<Agent.Summary>> summary(String id) {
    if (!ID.matcher(id).matches()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return agent(id)
        .ask(Agent.GetSummary::new, askTimeout)
        .thenApply(s -> Optional.of(s).filter(a -> a.phoneEndpoint() != null));
  }

  /**
   * Sends a change; a refusal becomes 404 (unknown agent), 400 (missing input) or 409, and a node
   * at its bound of changes in flight answers 503 without sending it ({@link LoadShedding}).
   */
  CompletionStage<Outcome> change(
      String id, Function<ActorRef<StatusReply<Agent.Summary>>, Agent.Command> command) {
    if (!ID.matcher(id).matches()) {
      return CompletableFuture.completedFuture(notFound(id));
    }
    if (!shedding.tryEnter()) {
      return CompletableFuture.completedFuture(
          Outcome.problem(StatusCodes.SERVICE_UNAVAILABLE, shedding.busyDetail(), List.of()));
    }
    return send(id, command).whenComplete((outcome, failure) -> shedding.exit());
  }

  private CompletionStage<Outcome> send(
      String id, Function<ActorRef<StatusReply<Agent.Summary>>, Agent.Command> command) {
    if (!ID.matcher(id).matches()) {
      return CompletableFuture.completedFuture(notFound(id));
    }
    return agent(id)
        .ask(command::apply, askTimeout)
        .thenCompose(
            reply -> {
              if (reply.isSuccess()) {
                return CompletableFuture.completedFuture(Outcome.ok(reply.getValue()));
              }
              String reason = reply.getError().getMessage();
              return summary(id)
                  .thenApply(
                      known ->
                          known.isEmpty()
                              ? notFound(id)
                              : Outcome.problem(statusFor(reason), reason, List.of()));
            });
  }

  /** The one place where the entity's refusals become HTTP statuses. */
  static StatusCode statusFor(String reason) {
    if (reason.endsWith(" is required")) {
      return StatusCodes.BAD_REQUEST;
    }
    // Everything else is a refusal in the agent's current state: already logged in, not READY,
    // another attempt, a call in progress.
    return StatusCodes.CONFLICT;
  }

  static Outcome notFound(String id) {
    return Outcome.problem(StatusCodes.NOT_FOUND, "no agent " + id, List.of());
  }

  static Optional<Agent.PauseReason> pauseReason(String reason) {
    if (reason == null) {
      return Optional.empty();
    }
    try {
      Agent.PauseReason parsed = Agent.PauseReason.valueOf(reason.trim().toUpperCase());
      return parsed == Agent.PauseReason.DISCONNECTED ? Optional.empty() : Optional.of(parsed);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  static String choosablePauseReasons() {
    return Arrays.stream(Agent.PauseReason.values())
        .filter(r -> r != Agent.PauseReason.DISCONNECTED)
        .map(Enum::name)
        .collect(Collectors.joining(", "));
  }

  /** The callback time is the customer's wall-clock time: a date-time without offset or zone. */
  private static LocalDateTime callbackAt(String text, List<FieldError> errors) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return LocalDateTime.parse(text.trim());
    } catch (DateTimeParseException e) {
      boolean hasOffset;
      try {
        OffsetDateTime.parse(text.trim());
        hasOffset = true;
      } catch (DateTimeParseException notOffset) {
        hasOffset = false;
      }
      errors.add(
          new FieldError(
              "callbackAt",
              hasOffset
                  ? "must be the customer's local time without an offset, e.g. 2026-03-01T10:30"
                  : "must be an ISO-8601 local date-time, e.g. 2026-03-01T10:30"));
      return null;
    }
  }

  private CompletionStage<Optional<FieldError>> unknownCode(String campaignId, String code) {
    return ClusterSharding.get(system)
        .entityRefFor(Campaign.ENTITY_KEY, campaignId)
        .ask(Campaign.GetSummary::new, askTimeout)
        .thenApply(
            campaign -> {
              if (campaign.config() == null
                  || campaign.config().dispositions().stream()
                      .anyMatch(d -> d.code().equals(code))) {
                return Optional.empty();
              }
              return Optional.of(
                  new FieldError(
                      "disposition",
                      "must be one of the campaign's codes: "
                          + campaign.config().dispositions().stream()
                              .map(Disposition::code)
                              .collect(Collectors.joining(", "))));
            });
  }

  private static CompletionStage<Outcome> invalid(String detail, List<FieldError> errors) {
    return CompletableFuture.completedFuture(
        Outcome.problem(StatusCodes.BAD_REQUEST, detail, errors));
  }

  private EntityRef<Agent.Command> agent(String id) {
    return ClusterSharding.get(system).entityRefFor(Agent.ENTITY_KEY, id);
  }
}
