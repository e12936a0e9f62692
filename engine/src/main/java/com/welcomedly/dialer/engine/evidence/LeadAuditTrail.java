package com.welcomedly.dialer.engine.evidence;

import com.welcomedly.dialer.engine.lead.Lead;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * The litigation-grade history of one lead, read straight from its journal (not from a read model):
 * every event in order with who and when, the number dialed and each call's outcome. Full numbers
 * appear here because this is the evidence export for authorised roles; it is never logged.
 */
public final class LeadAuditTrail {

  /** Who acted when no person did: the dialer (call steps) or the lead itself (timers). */
  public static final String DIALER = "dialer";

  public static final String SYSTEM = "system";

  /** The detail of a connect after the connect deadline: the call counts as an abandon. */
  public static final String LATE_CONNECT =
      "late connect: bridged after the connect deadline, counted as abandoned";

  /**
   * One event. {@code by}: the user, agent or component that caused it; the call columns are filled
   * where the event concerns a call.
   */
  public record Entry(
      long sequenceNr,
      Instant at,
      String event,
      String by,
      String attemptId,
      String number,
      String outcome,
      String agentId,
      String disposition,
      String detail) {}

  private static final Duration WAKE_TIMEOUT = Duration.ofSeconds(10);

  private final ActorSystem<?> system;
  private final JdbcReadJournal journal;

  public LeadAuditTrail(ActorSystem<?> system) {
    this.system = system;
    this.journal =
        PersistenceQuery.get(system)
            .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
  }

  /**
   * Every event of the lead, oldest first; empty for a lead that was never imported. The entity is
   * woken first: a lead imported in bulk and never used yet writes its Imported event then, so its
   * trail, like every other, begins with the import.
   */
  public CompletionStage<List<Entry>> of(String leadId) {
    String persistenceId = PersistenceId.of(Lead.ENTITY_KEY.name(), leadId).id();
    return ClusterSharding.get(system)
        .entityRefFor(Lead.ENTITY_KEY, leadId)
        .ask(Lead.GetSummary::new, WAKE_TIMEOUT)
        .handle((summary, slow) -> summary) // a slow entity: read what the journal holds now
        .thenCompose(
            woken ->
                journal
                    .currentEventsByPersistenceId(persistenceId, 0L, Long.MAX_VALUE)
                    .filter(envelope -> envelope.event() instanceof Lead.Event)
                    .map(LeadAuditTrail::entry)
                    .runWith(Sink.seq(), system))
        .thenApply(LeadAuditTrail::withNumbers);
  }

  /** Every step of an attempt names the number its reservation picked. */
  private static List<Entry> withNumbers(List<Entry> entries) {
    Map<String, String> numbers = new HashMap<>();
    List<Entry> filled = new ArrayList<>();
    for (Entry e : entries) {
      if (e.attemptId() != null && e.number() != null) {
        numbers.put(e.attemptId(), e.number());
      }
      String number =
          e.number() != null || e.attemptId() == null ? e.number() : numbers.get(e.attemptId());
      filled.add(
          new Entry(
              e.sequenceNr(),
              e.at(),
              e.event(),
              e.by(),
              e.attemptId(),
              number,
              e.outcome(),
              e.agentId(),
              e.disposition(),
              e.detail()));
    }
    return List.copyOf(filled);
  }

  static Entry entry(EventEnvelope envelope) {
    long seq = envelope.sequenceNr();
    Lead.Event event = (Lead.Event) envelope.event();
    String type = event.getClass().getSimpleName();
    if (event instanceof Lead.Imported e) {
      return new Entry(
          seq,
          e.at(),
          type,
          "import",
          null,
          String.join(" ", e.numbers().stream().map(Lead.PhoneNumber::e164).toList()),
          null,
          null,
          null,
          "campaign "
              + e.campaignId()
              + ", timezone "
              + e.timezone()
              + ", priority "
              + e.priority()
              + (e.notDialableReason() == null ? "" : ", not dialable: " + e.notDialableReason()));
    } else if (event instanceof Lead.TimezoneChanged e) {
      return simple(seq, e.at(), type, SYSTEM, e.oldTimezone() + " -> " + e.newTimezone());
    } else if (event instanceof Lead.Reserved e) {
      return new Entry(
          seq,
          e.at(),
          type,
          DIALER,
          e.attemptId(),
          e.number(),
          null,
          e.agentId(),
          null,
          "lock until " + e.expiresAt());
    } else if (event instanceof Lead.DialRefused e) {
      return new Entry(
          seq,
          e.at(),
          type,
          DIALER,
          e.attemptId(),
          null,
          e.rule().name(),
          null,
          null,
          e.reason() + (e.retryAt() == null ? "" : "; not before " + e.retryAt()));
    } else if (event instanceof Lead.ReservationReleased e) {
      return new Entry(
          seq,
          e.at(),
          type,
          e.expired() ? SYSTEM : DIALER,
          e.attemptId(),
          null,
          null,
          null,
          null,
          e.reason() + " -> " + e.newStatus());
    } else if (event instanceof Lead.DialStarted e) {
      return new Entry(
          seq,
          e.at(),
          type,
          DIALER,
          e.attemptId(),
          null,
          null,
          null,
          null,
          e.ringTimeout() == null ? null : "ring timeout " + e.ringTimeout().toSeconds() + " s");
    } else if (event instanceof Lead.CallAnswered e) {
      return call(seq, e.at(), type, DIALER, e.attemptId(), null, null, null, null);
    } else if (event instanceof Lead.AgentConnected e) {
      return call(
          seq,
          e.at(),
          type,
          DIALER,
          e.attemptId(),
          null,
          e.agentId(),
          null,
          e.late() ? LATE_CONNECT : null);
    } else if (event instanceof Lead.CallEnded e) {
      return call(
          seq,
          e.at(),
          type,
          DIALER,
          e.attemptId(),
          e.outcome().name(),
          null,
          e.dispositionCode(),
          next(e.newStatus(), e.nextAttemptAt()));
    } else if (event instanceof Lead.SafeHarborPlayed e) {
      return call(
          seq,
          e.at(),
          type,
          DIALER,
          e.attemptId(),
          e.result().name(),
          null,
          null,
          e.startedAt() == null ? null : "message started " + e.startedAt());
    } else if (event instanceof Lead.DispositionRecorded e) {
      return call(
          seq,
          e.at(),
          type,
          e.byTimeout() ? SYSTEM : e.agentId(),
          e.attemptId(),
          null,
          e.agentId(),
          e.dispositionCode(),
          next(e.newStatus(), e.nextAttemptAt())
              + (e.byTimeout() ? ", by wrap-up timeout" : "")
              + (e.callback() == null ? "" : ", callback " + e.callback().dueAt()));
    } else if (event instanceof Lead.MarkedDnc e) {
      return simple(seq, e.at(), type, e.by(), "DNC via " + e.source());
    } else if (event instanceof Lead.CallbackScheduled e) {
      return new Entry(
          seq,
          e.at(),
          type,
          e.by(),
          null,
          null,
          null,
          e.callback().agentId(),
          null,
          "callback " + e.callback().localTime() + " " + e.callback().timezone());
    } else if (event instanceof Lead.CallbackOpenedToAnyone e) {
      return simple(seq, e.at(), type, SYSTEM, "was reserved for " + e.formerAgentId());
    } else if (event instanceof Lead.AttemptSummarized e) {
      return call(seq, e.at(), type, e.summarizer(), e.attemptId(), null, null, null, e.summary());
    }
    return simple(seq, event.at(), type, null, null);
  }

  private static String next(Lead.Status status, Instant nextAttemptAt) {
    return "-> " + status + (nextAttemptAt == null ? "" : " until " + nextAttemptAt);
  }

  private static Entry simple(long seq, Instant at, String type, String by, String detail) {
    return new Entry(seq, at, type, by, null, null, null, null, null, detail);
  }

  private static Entry call(
      long seq,
      Instant at,
      String type,
      String by,
      String attemptId,
      String outcome,
      String agentId,
      String disposition,
      String detail) {
    return new Entry(seq, at, type, by, attemptId, null, outcome, agentId, disposition, detail);
  }
}
