package com.welcomedly.dialer.engine.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The persistence plumbing on a real PostgreSQL: a sharded entity persists events (and snapshots,
 * and tags), the whole ActorSystem goes away, a new one recovers the same state from the journal.
 */
@ExtendWith(LogCapturingExtension.class)
class JournalRecoveryIntegrationTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  @Test
  void stateSurvivesAFullRestartOfTheActorSystem() throws SQLException {
    DatabaseSettings database = TestDatabase.fresh("journal_recovery");

    ActorTestKit first = startNode(database);
    try {
      EntityRef<Tally.Command> tally = tally(first.system(), "t-1");
      TestProbe<StatusReply<Integer>> replies = first.createTestProbe();
      for (int amount = 1; amount <= 7; amount++) {
        tally.tell(new Tally.Add(amount, replies.getRef()));
        assertEquals(
            amount * (amount + 1) / 2,
            replies.expectMessageClass(StatusReply.class, TIMEOUT).getValue());
      }
      tally.tell(new Tally.Add(-1, replies.getRef()));
      assertTrue(replies.expectMessageClass(StatusReply.class, TIMEOUT).isError());
    } finally {
      first.shutdownTestKit();
    }

    assertEquals(
        7,
        count(database, "SELECT count(*) FROM event_journal WHERE persistence_id = 'Tally|t-1'"));
    assertTrue(
        count(database, "SELECT count(*) FROM snapshot WHERE persistence_id = 'Tally|t-1'") >= 1);
    assertEquals(7, count(database, "SELECT count(*) FROM event_tag"));

    ActorTestKit second = startNode(database);
    try {
      TestProbe<Integer> total = second.createTestProbe();
      tally(second.system(), "t-1").tell(new Tally.Get(total.getRef()));
      assertEquals(28, total.expectMessageClass(Integer.class, TIMEOUT));

      TestProbe<StatusReply<Integer>> replies = second.createTestProbe();
      tally(second.system(), "t-1").tell(new Tally.Add(2, replies.getRef()));
      assertEquals(30, replies.expectMessageClass(StatusReply.class, TIMEOUT).getValue());
    } finally {
      second.shutdownTestKit();
    }
    assertEquals(
        8,
        count(database, "SELECT count(*) FROM event_journal WHERE persistence_id = 'Tally|t-1'"));
  }

  private static ActorTestKit startNode(DatabaseSettings database) {
    ActorTestKit testKit = ActorTestKit.create("recovery", TestDatabase.config(database));
    Cluster cluster = Cluster.get(testKit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    TestProbe<Void> waiter = testKit.createTestProbe();
    waiter.awaitAssert(
        TIMEOUT,
        () -> {
          assertEquals(MemberStatus.up(), cluster.selfMember().status());
          return null;
        });
    Tally.init(testKit.system());
    return testKit;
  }

  private static EntityRef<Tally.Command> tally(ActorSystem<?> system, String id) {
    return ClusterSharding.get(system).entityRefFor(Tally.ENTITY_KEY, id);
  }

  private static long count(DatabaseSettings db, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
