package com.welcomedly.dialer.engine.campaign;

import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * The auditable change history of one campaign, read straight from its journal: the events already
 * say who changed what and when, with old and new values, so no extra read model is needed.
 */
public final class CampaignHistory {

  /** One change: when, by whom, the event's type and a human-readable old → new summary. */
  public record Entry(long sequenceNr, Instant at, String by, String type, String summary) {}

  private final ActorSystem<?> system;
  private final JdbcReadJournal journal;

  public CampaignHistory(ActorSystem<?> system) {
    this.system = system;
    this.journal =
        PersistenceQuery.get(system)
            .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
  }

  /** Every change, oldest first; empty for a campaign that was never created. */
  public CompletionStage<List<Entry>> of(String campaignId) {
    String persistenceId = PersistenceId.of(Campaign.ENTITY_KEY.name(), campaignId).id();
    return journal
        .currentEventsByPersistenceId(persistenceId, 0L, Long.MAX_VALUE)
        .filter(envelope -> envelope.event() instanceof Campaign.Event)
        .map(CampaignHistory::entry)
        .runWith(Sink.seq(), system);
  }

  private static Entry entry(EventEnvelope envelope) {
    Campaign.Event event = (Campaign.Event) envelope.event();
    return new Entry(
        envelope.sequenceNr(),
        event.at(),
        by(event),
        event.getClass().getSimpleName(),
        summary(event));
  }

  private static String by(Campaign.Event event) {
    if (event instanceof Campaign.Created e) {
      return e.by();
    } else if (event instanceof Campaign.ConfigChanged e) {
      return e.by();
    } else if (event instanceof Campaign.PacingChanged e) {
      return e.by();
    } else if (event instanceof Campaign.Started e) {
      return e.by();
    } else if (event instanceof Campaign.Paused e) {
      return e.by();
    } else if (event instanceof Campaign.Resumed e) {
      return e.by();
    } else if (event instanceof Campaign.Finished e) {
      return e.by();
    }
    return null;
  }

  public static String summary(Campaign.Event event) {
    if (event instanceof Campaign.Created e) {
      return "created \"" + e.name() + "\" in " + e.config().pacing().mode() + " mode";
    } else if (event instanceof Campaign.ConfigChanged e) {
      return "config: " + diff(e.oldConfig(), e.newConfig());
    } else if (event instanceof Campaign.PacingChanged e) {
      return "pacing: " + diff(e.oldPacing(), e.newPacing());
    } else if (event instanceof Campaign.Started) {
      return "status: DRAFT -> ACTIVE";
    } else if (event instanceof Campaign.Paused e) {
      return "status: ACTIVE -> PAUSED" + reason(e.reason());
    } else if (event instanceof Campaign.Resumed) {
      return "status: PAUSED -> ACTIVE";
    } else if (event instanceof Campaign.Finished e) {
      return "status: " + e.previousStatus() + " -> FINISHED" + reason(e.reason());
    }
    return event.getClass().getSimpleName();
  }

  private static String reason(String reason) {
    return reason == null || reason.isBlank() ? "" : " (" + reason + ")";
  }

  /**
   * The components of two records of the same type that differ, as {@code name old -> new}; nested
   * records (the pacing inside a config) are diffed the same way, so a summary names the lever.
   */
  public static String diff(Record before, Record after) {
    List<String> changes = new ArrayList<>();
    diff("", before, after, changes);
    return changes.isEmpty() ? "no change" : String.join(", ", changes);
  }

  private static void diff(String prefix, Record before, Record after, List<String> changes) {
    if (before == null || after == null || before.getClass() != after.getClass()) {
      changes.add(prefix + "-> " + after);
      return;
    }
    for (RecordComponent component : before.getClass().getRecordComponents()) {
      Object old = value(component, before);
      Object now = value(component, after);
      if (Objects.equals(old, now)) {
        continue;
      }
      String name = prefix + component.getName();
      if (old instanceof Record o && now instanceof Record n) {
        diff(name + ".", o, n, changes);
      } else {
        changes.add(name + " " + old + " -> " + now);
      }
    }
  }

  private static Object value(RecordComponent component, Record record) {
    try {
      return component.getAccessor().invoke(record);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("record accessors are public", e);
    }
  }
}
