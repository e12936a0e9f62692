package com.welcomedly.dialer.engine.projection;

import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.List;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps every read model's per-event handler and applies it to a group of events, in the one
 * transaction that also stores the group's offset (exactly-once, as with one event per
 * transaction).
 *
 * <p>Why groups: one transaction per event cost every read model a commit (a WAL flush with fsync
 * on), an offset update, and a savepoint with its release, per event; five read models follow the
 * Lead events (docs/throughput.md, "Work per call"). Grouped, the events of one poll of the journal
 * share them.
 *
 * <p>An event whose content the database refuses (SQL state class 22, "data exception": NUL bytes,
 * values out of range, ...) or the handler cannot use is skipped, loudly (an error log line and
 * {@code dialer.projection.skipped.events}), so one poisoned event cannot stop the read model for
 * every later event. The group runs under one savepoint; when an event turns out bad, the group is
 * rolled back to it and applied again one event at a time, each under its own savepoint, so only
 * the bad one is skipped. Handlers keep no state a rollback would leave wrong (the hopper's zone
 * cache holds facts about PostgreSQL, not about events). Connection and other transient failures
 * still fail the group, which is retried.
 */
final class SkippingBadEvents<E> extends JdbcHandler<List<EventEnvelope<E>>, PooledJdbcSession> {
  private static final Logger log = LoggerFactory.getLogger(SkippingBadEvents.class);

  /** Tries of a group that meets a lock conflict before the projection fails and restarts. */
  private static final int LOCK_CONFLICT_ATTEMPTS = 5;

  private final String projection;
  private final JdbcHandler<EventEnvelope<E>, PooledJdbcSession> delegate;

  SkippingBadEvents(String projection, JdbcHandler<EventEnvelope<E>, PooledJdbcSession> delegate) {
    this.projection = projection;
    this.delegate = delegate;
  }

  @Override
  public void start() {
    delegate.start();
  }

  @Override
  public void stop() {
    delegate.stop();
  }

  @Override
  public void process(PooledJdbcSession session, List<EventEnvelope<E>> envelopes)
      throws Exception {
    Savepoint group = session.withConnection(c -> c.setSavepoint());
    for (int attempt = 1; ; attempt++) {
      try {
        for (EventEnvelope<E> envelope : envelopes) {
          delegate.process(session, envelope);
        }
        // The savepoints are released by the commit: no statement of their own.
        return;
      } catch (Exception e) {
        if (isLockConflict(e) && attempt < LOCK_CONFLICT_ATTEMPTS) {
          // Rolling back to the savepoint releases the rows this group locked; the other
          // transaction goes on, and this group waits for it on the next attempt.
          rollbackTo(session, group);
          continue;
        }
        if (!isBadEvent(e)) {
          throw e;
        }
        rollbackTo(session, group);
        for (EventEnvelope<E> envelope : envelopes) {
          processAlone(session, envelope);
        }
        return;
      }
    }
  }

  private void processAlone(PooledJdbcSession session, EventEnvelope<E> envelope) throws Exception {
    Savepoint savepoint = session.withConnection(c -> c.setSavepoint());
    try {
      delegate.process(session, envelope);
    } catch (Exception e) {
      if (!isBadEvent(e)) {
        throw e;
      }
      rollbackTo(session, savepoint);
      ProjectionMetrics.skipped(projection).increment();
      log.error(
          "Projection {} skipped event {} seq {} of {}: it cannot be stored ({})",
          projection,
          envelope.event() == null ? "null" : envelope.event().getClass().getSimpleName(),
          envelope.sequenceNr(),
          envelope.persistenceId(),
          e.toString());
    }
  }

  private static void rollbackTo(PooledJdbcSession session, Savepoint savepoint) throws Exception {
    session.withConnection(
        c -> {
          c.rollback(savepoint);
          return null;
        });
  }

  /**
   * A deadlock or serialization failure with another read model's group: groups of the same read
   * model on different tags add to the same rows (a campaign's hour in the statistics) in different
   * orders, which one event per transaction never did. PostgreSQL aborts one of them.
   */
  static boolean isLockConflict(Throwable e) {
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof SQLException sql
          && ("40P01".equals(sql.getSQLState()) || "40001".equals(sql.getSQLState()))) {
        return true;
      }
    }
    return false;
  }

  /** Content the database or the handler refuses, as opposed to a failure worth retrying. */
  static boolean isBadEvent(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql
          && sql.getSQLState() != null
          && sql.getSQLState().startsWith("22")) {
        return true;
      }
      if (t instanceof IllegalArgumentException
          || t instanceof NullPointerException
          || t instanceof ClassCastException) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
