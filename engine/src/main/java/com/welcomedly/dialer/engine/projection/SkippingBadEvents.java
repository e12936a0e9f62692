package com.welcomedly.dialer.engine.projection;

import java.sql.SQLException;
import java.sql.Savepoint;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps every read model's handler: an event whose content the database refuses (SQL state class
 * 22, "data exception": NUL bytes, values out of range, ...) or the handler cannot use is rolled
 * back to a savepoint and skipped, loudly (an error log line and {@code
 * dialer.projection.skipped.events}), so one poisoned event cannot stop the read model for every
 * later event. Connection and other transient failures still fail the envelope and are retried.
 */
final class SkippingBadEvents<E> extends JdbcHandler<EventEnvelope<E>, PooledJdbcSession> {
  private static final Logger log = LoggerFactory.getLogger(SkippingBadEvents.class);

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
  public void process(PooledJdbcSession session, EventEnvelope<E> envelope) throws Exception {
    Savepoint savepoint = session.withConnection(c -> c.setSavepoint());
    try {
      delegate.process(session, envelope);
    } catch (Exception e) {
      if (!isBadEvent(e)) {
        throw e;
      }
      session.withConnection(
          c -> {
            c.rollback(savepoint);
            return null;
          });
      ProjectionMetrics.skipped(projection).increment();
      log.error(
          "Projection {} skipped event {} seq {} of {}: it cannot be stored ({})",
          projection,
          envelope.event() == null ? "null" : envelope.event().getClass().getSimpleName(),
          envelope.sequenceNr(),
          envelope.persistenceId(),
          e.toString());
      return;
    }
    session.withConnection(
        c -> {
          c.releaseSavepoint(savepoint);
          return null;
        });
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
