package com.welcomedly.dialer.api.stats;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.welcomedly.dialer.api.stats.StatsRoutes.CampaignStatsView;
import com.welcomedly.dialer.api.stats.StatsRoutes.PacingView;
import com.welcomedly.dialer.engine.agent.Agent;
import com.welcomedly.dialer.engine.gamification.LeaderboardQuery;
import com.welcomedly.dialer.engine.lead.Lead;
import com.welcomedly.dialer.engine.logging.PhoneNumberMasking;
import com.welcomedly.dialer.engine.persistence.JdbcPool;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The supervisor's WebSocket for one campaign ({@code GET /api/campaigns/{id}/stream}). Pushes JSON
 * text messages with a {@code type}:
 *
 * <ul>
 *   <li>{@code stats} every {@code dialer.api.stats.stream-interval}: the live stats, as {@code GET
 *       …/stats} answers them;
 *   <li>{@code pacing} when the dialer's decision changes (mode, calls to place, its explanation);
 *   <li>{@code agents}: the agent board, when any agent's state or call changes;
 *   <li>{@code call}: dialed, answered, connected, abandoned, ended and dispositioned calls;
 *   <li>{@code leaderboard}: today's gamification standings, when they change (polled on the same
 *       tick from the read model, as {@code GET …/leaderboard?period=today} answers them).
 * </ul>
 *
 * <p>Call events come from the Lead events themselves (the JDBC read journal's {@code eventsByTag}
 * over every Lead tag, from the journal's newest ordering when the socket opens, filtered to this
 * campaign), not from diffing the dialer's call list: that way every step is seen once, with its
 * lead, disposition and time, even if it began and ended between two ticks. The rest polls on one
 * tick; a slow client only makes ticks drop, never pile up. What the client sends is read and
 * ignored.
 */
final class SupervisorStream {

  /** {@code type: stats}. */
  public record StatsMessage(String type, CampaignStatsView stats) {}

  /** {@code type: pacing}: the new decision. */
  public record PacingMessage(
      String type,
      Instant at,
      String mode,
      String requestedMode,
      int callsToPlace,
      String explain,
      PacingView decision) {}

  /** One agent on the board; {@code call} is null when the agent is not on a call. */
  public record BoardAgent(
      String id, String name, String state, Instant since, String pauseReason, BoardCall call) {}

  public record BoardCall(String attemptId, String leadId) {}

  /** {@code type: leaderboard}: today's standings, best first. */
  public record LeaderboardMessage(
      String type, String period, Instant at, List<LeaderboardRoutes.StandingView> standings) {}

  /** {@code type: agents}: the whole board. */
  public record AgentsMessage(String type, Instant at, List<BoardAgent> agents) {}

  /** {@code type: call}; {@code number} is masked, fields not known for the step are null. */
  public record CallMessage(
      String type,
      String event,
      String attemptId,
      String leadId,
      String number,
      String agentId,
      String outcome,
      String disposition,
      String category,
      Instant at) {}

  private enum Tick {
    INSTANCE
  }

  private final ActorSystem<?> system;
  private final LiveCampaign live;
  private final ObjectMapper mapper;
  private final Duration interval;
  private final LeaderboardQuery leaderboard;

  SupervisorStream(ActorSystem<?> system, LiveCampaign live, ObjectMapper mapper) {
    this.system = system;
    this.live = live;
    this.mapper = mapper;
    this.interval = system.settings().config().getDuration("dialer.api.stats.stream-interval");
    this.leaderboard = new LeaderboardQuery(JdbcPool.get(system));
  }

  /** Largest message a supervisor may send (it has no reason to send any). */
  private static final long MAX_INCOMING_BYTES = 64 * 1024;

  Flow<Message, Message, NotUsed> flow(String campaignId) {
    Materializer materializer = Materializer.matFromSystem(system);
    // The supervisor sends nothing the server needs; frames are drained (or the connection stalls)
    // and a message over MAX_INCOMING_BYTES ends the socket instead of being read.
    Sink<Message, ?> incoming =
        org.apache.pekko.stream.javadsl.Flow.<Message>create()
            .mapAsync(
                1,
                message ->
                    (message.isText()
                            ? message.asTextMessage().getStreamedText().map(t -> (long) t.length())
                            : message.asBinaryMessage().getStreamedData().map(b -> (long) b.size()))
                        .runFold(0L, Long::sum, materializer))
            .takeWhile(size -> size <= MAX_INCOMING_BYTES)
            .to(Sink.ignore());
    Source<Message, NotUsed> outgoing =
        liveMessages(campaignId)
            .merge(callMessages(campaignId))
            .merge(leaderboardMessages(campaignId))
            .map(this::json)
            .map(text -> (Message) TextMessage.create(text))
            .mapMaterializedValue(m -> NotUsed.getInstance());
    return Flow.fromSinkAndSourceCoupled(incoming, outgoing);
  }

  // ---- stats, pacing, agents: one snapshot per tick ----

  private Source<Object, ?> liveMessages(String campaignId) {
    return Source.tick(Duration.ZERO, interval, Tick.INSTANCE)
        .mapAsync(1, t -> live.snapshot(campaignId).exceptionally(failure -> Optional.empty()))
        .mapConcat(snapshot -> snapshot.map(List::of).orElse(List.of()))
        .statefulMapConcat(
            () -> {
              Changes changes = new Changes();
              return changes::messages;
            });
  }

  /** Today's standings on every tick, sent only when they changed since the last message. */
  private Source<Object, ?> leaderboardMessages(String campaignId) {
    return Source.tick(Duration.ZERO, interval, Tick.INSTANCE)
        .mapAsync(
            1,
            t ->
                leaderboard
                    .leaderboard(campaignId, LeaderboardQuery.Period.TODAY, Instant.now())
                    .thenApply(
                        rows ->
                            Optional.of(
                                rows.stream().map(LeaderboardRoutes.StandingView::of).toList()))
                    .exceptionally(failure -> Optional.empty()))
        .mapConcat(rows -> rows.map(List::of).orElse(List.of()))
        .statefulMapConcat(
            () -> {
              List<List<LeaderboardRoutes.StandingView>> last = new ArrayList<>();
              return rows -> {
                if (!last.isEmpty() && last.get(0).equals(rows)) {
                  return List.<Object>of();
                }
                last.clear();
                last.add(rows);
                return List.<Object>of(
                    new LeaderboardMessage("leaderboard", "today", Instant.now(), rows));
              };
            });
  }

  /** Remembers what was last sent, so pacing and agents go out only when they change. */
  private static final class Changes {
    private String lastPacing;
    private List<BoardAgent> lastBoard;

    List<Object> messages(LiveCampaign.Snapshot snapshot) {
      List<Object> out = new ArrayList<>();
      out.add(new StatsMessage("stats", CampaignStatsView.of(snapshot)));
      PacingView pacing = snapshot.dialer().map(d -> PacingView.of(d.lastDecision())).orElse(null);
      if (pacing != null && !pacing.explain().equals(lastPacing)) {
        lastPacing = pacing.explain();
        out.add(
            new PacingMessage(
                "pacing",
                snapshot.at(),
                pacing.effectiveMode(),
                pacing.requestedMode(),
                pacing.callsToPlace(),
                pacing.explain(),
                pacing));
      }
      List<BoardAgent> board = snapshot.agents().stream().map(Changes::boardAgent).toList();
      if (!board.equals(lastBoard)) {
        lastBoard = board;
        out.add(new AgentsMessage("agents", snapshot.at(), board));
      }
      return out;
    }

    private static BoardAgent boardAgent(Agent.Summary a) {
      return new BoardAgent(
          a.agentId(),
          a.displayName(),
          a.status().name(),
          a.statusSince(),
          a.pauseReason() == null ? null : a.pauseReason().name(),
          a.call() == null ? null : new BoardCall(a.call().attemptId(), a.call().leadId()));
    }
  }

  // ---- call events from the Lead journal ----

  private Source<Object, NotUsed> callMessages(String campaignId) {
    JdbcReadJournal journal =
        PersistenceQuery.get(Adapter.toClassic(system))
            .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
    return Source.completionStage(newestOrdering())
        .flatMapConcat(
            newest ->
                Source.from(Lead.TAGS)
                    .flatMapMerge(
                        Lead.TAGS.size(), tag -> journal.eventsByTag(tag, Offset.sequence(newest))))
        .map(envelope -> envelope.event())
        .filter(event -> event instanceof Lead.Event)
        .map(event -> (Lead.Event) event)
        .statefulMapConcat(
            () -> {
              CallSteps steps = new CallSteps(campaignId);
              return steps::messages;
            });
  }

  /** Where "from now on" starts in the journal. */
  private java.util.concurrent.CompletionStage<Long> newestOrdering() {
    return JdbcPool.get(system)
        .withConnection(
            c -> {
              try (Statement s = c.createStatement();
                  ResultSet rs =
                      s.executeQuery("SELECT COALESCE(max(ordering), 0) FROM event_journal")) {
                rs.next();
                return rs.getLong(1);
              }
            });
  }

  /** Lead events of one campaign as call messages; remembers each attempt's masked number. */
  static final class CallSteps {
    private final String campaignId;
    private final Map<String, String> numbers = new HashMap<>();

    CallSteps(String campaignId) {
      this.campaignId = campaignId;
    }

    List<Object> messages(Lead.Event event) {
      if (event instanceof Lead.Reserved e && campaignId.equals(e.campaignId())) {
        numbers.put(e.attemptId(), PhoneNumberMasking.maskNumber(e.number()));
      } else if (event instanceof Lead.ReservationReleased e) {
        numbers.remove(e.attemptId());
      } else if (event instanceof Lead.DialStarted e && campaignId.equals(e.campaignId())) {
        return call("dialed", e.attemptId(), e.leadId(), null, null, null, null, e.at());
      } else if (event instanceof Lead.CallAnswered e && campaignId.equals(e.campaignId())) {
        return call("answered", e.attemptId(), e.leadId(), null, null, null, null, e.at());
      } else if (event instanceof Lead.AgentConnected e && campaignId.equals(e.campaignId())) {
        return call("connected", e.attemptId(), e.leadId(), e.agentId(), null, null, null, e.at());
      } else if (event instanceof Lead.CallEnded e && campaignId.equals(e.campaignId())) {
        boolean abandoned = e.outcome() == Lead.CallOutcome.ABANDONED;
        List<Object> out =
            call(
                abandoned ? "abandoned" : "ended",
                e.attemptId(),
                e.leadId(),
                null,
                e.outcome().name(),
                e.dispositionCode(),
                null,
                e.at());
        if (e.outcome() != Lead.CallOutcome.COMPLETED) {
          numbers.remove(e.attemptId());
        }
        return out;
      } else if (event instanceof Lead.DispositionRecorded e && campaignId.equals(e.campaignId())) {
        List<Object> out =
            call(
                "dispositioned",
                e.attemptId(),
                e.leadId(),
                e.agentId(),
                null,
                e.dispositionCode(),
                e.category() == null ? null : e.category().name(),
                e.at());
        numbers.remove(e.attemptId());
        return out;
      }
      return List.of();
    }

    private List<Object> call(
        String step,
        String attemptId,
        String leadId,
        String agentId,
        String outcome,
        String disposition,
        String category,
        Instant at) {
      return List.of(
          new CallMessage(
              "call",
              step,
              attemptId,
              leadId,
              numbers.get(attemptId),
              agentId,
              outcome,
              disposition,
              category,
              at));
    }
  }

  private String json(Object message) {
    try {
      return mapper.writeValueAsString(message);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stream messages are plain records", e);
    }
  }
}
