package com.welcomedly.dialer.engine.projection;

import java.sql.Savepoint;
import java.util.List;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;

/**
 * A read model's per-event handler applied to a group of events in one transaction, the group's
 * offset stored in that same transaction (exactly-once, as before).
 *
 * <p>Why: one transaction per event cost every read model a commit (a WAL flush with fsync on), an
 * offset update and a savepoint with its release per event — five Lead read models, so about 25 of
 * the journal's round-trips and five disk flushes per Lead event (docs/throughput.md, "Work per
 * call"). Grouped, the events of one poll of the journal share them.
 *
 * <p>A poisoned event must still be skipped alone ({@link SkippingBadEvents}) without a savepoint
 * per event in the usual case: the group runs under one savepoint; if an event turns out bad, the
 * group is rolled back to it and applied again event by event, each under its own savepoint, so the
 * bad one is skipped and every other one stored. Handlers keep no state that a rollback would leave
 * wrong (the hopper's zone cache holds facts about PostgreSQL, not about the events).
 */
final class GroupedEvents<E> extends JdbcHandler<List<EventEnvelope<E>>, PooledJdbcSession> {
  private final JdbcHandler<EventEnvelope<E>, PooledJdbcSession> delegate;
  private final SkippingBadEvents<E> oneByOne;

  GroupedEvents(String projection, JdbcHandler<EventEnvelope<E>, PooledJdbcSession> delegate) {
    this.delegate = delegate;
    this.oneByOne = new SkippingBadEvents<>(projection, delegate);
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
    try {
      for (EventEnvelope<E> envelope : envelopes) {
        delegate.process(session, envelope);
      }
    } catch (Exception e) {
      if (!SkippingBadEvents.isBadEvent(e)) {
        throw e;
      }
      session.withConnection(
          c -> {
            c.rollback(group);
            return null;
          });
      for (EventEnvelope<E> envelope : envelopes) {
        oneByOne.process(session, envelope);
      }
    }
    // The savepoint is released with the commit: no statement of its own.
  }
}
