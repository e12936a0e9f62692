package com.welcomedly.dialer.engine.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.welcomedly.dialer.engine.persistence.DatabaseSettings;
import com.welcomedly.dialer.engine.persistence.JdbcPool;
import com.welcomedly.dialer.engine.persistence.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;
import org.junit.jupiter.api.Test;

/**
 * Two groups of one read model (two tags) that add to the same rows in opposite orders, as the
 * statistics' hourly rows do: PostgreSQL finds the deadlock and aborts one; that group is applied
 * again from its savepoint and both commit, every event counted once.
 */
class GroupLockConflictIntegrationTest {

  @Test
  void groupsLockingTheSameRowsInOppositeOrdersBothCommitOnce() throws Exception {
    DatabaseSettings database = TestDatabase.fresh("group_lock_conflict");
    ActorTestKit testKit =
        ActorTestKit.create("group-lock-conflict", TestDatabase.config(database));
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      JdbcPool pool = JdbcPool.get(testKit.system());
      try (Connection c = pool.dataSource().getConnection();
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE counter (k text PRIMARY KEY, n int NOT NULL)");
        s.execute("INSERT INTO counter VALUES ('a', 0), ('b', 0)");
        c.commit(); // the read-side pool does not auto-commit
      }
      // Each group's first event locks one row; both wait here until the other holds its row,
      // so the second event of each asks for the row the other holds: a deadlock, every time.
      CyclicBarrier bothHoldOneRow = new CyclicBarrier(2);
      CompletableFuture<Void> ab =
          CompletableFuture.runAsync(
              () -> applyGroup(pool, List.of("a", "b"), bothHoldOneRow), threads);
      CompletableFuture<Void> ba =
          CompletableFuture.runAsync(
              () -> applyGroup(pool, List.of("b", "a"), bothHoldOneRow), threads);
      CompletableFuture.allOf(ab, ba).get(60, TimeUnit.SECONDS);
      assertEquals(2, count(pool, "a"));
      assertEquals(2, count(pool, "b"));
    } finally {
      threads.shutdownNow();
      testKit.shutdownTestKit();
    }
  }

  /** One group in one transaction, as the projection runs it: process, then commit. */
  private static void applyGroup(JdbcPool pool, List<String> keys, CyclicBarrier barrier) {
    PooledJdbcSession session = new PooledJdbcSession(pool);
    try {
      new SkippingBadEvents<>("test", new AddOne(barrier))
          .process(
              session,
              keys.stream()
                  .map(k -> EventEnvelope.create(Offset.noOffset(), "counter|" + k, 1L, k, 0L))
                  .toList());
      session.commit();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      try {
        session.close();
      } catch (Exception e) {
        // closing a test connection: nothing to do
      }
    }
  }

  /** Adds one to the row named by the event; after the group's first row, meets the other group. */
  private static final class AddOne extends JdbcHandler<EventEnvelope<String>, PooledJdbcSession> {
    private final CyclicBarrier barrier;
    private final AtomicBoolean met = new AtomicBoolean();

    AddOne(CyclicBarrier barrier) {
      this.barrier = barrier;
    }

    @Override
    public void process(PooledJdbcSession session, EventEnvelope<String> envelope)
        throws Exception {
      session.withConnection(
          c -> {
            try (PreparedStatement s =
                c.prepareStatement("UPDATE counter SET n = n + 1 WHERE k = ?")) {
              s.setString(1, envelope.event());
              s.executeUpdate();
            }
            return null;
          });
      if (met.compareAndSet(false, true)) {
        barrier.await(30, TimeUnit.SECONDS); // only on the first try of the group
      }
    }
  }

  private static int count(JdbcPool pool, String key) throws Exception {
    try (Connection c = pool.dataSource().getConnection();
        PreparedStatement s = c.prepareStatement("SELECT n FROM counter WHERE k = ?")) {
      s.setString(1, key);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getInt(1);
      }
    }
  }
}
