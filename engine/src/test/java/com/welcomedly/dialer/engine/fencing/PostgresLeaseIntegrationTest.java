package com.welcomedly.dialer.engine.fencing;

import static com.welcomedly.dialer.engine.fencing.LeaseTestNodes.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.welcomedly.dialer.engine.persistence.DatabaseSettings;
import com.welcomedly.dialer.engine.persistence.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.coordination.lease.javadsl.Lease;
import org.apache.pekko.coordination.lease.javadsl.LeaseProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The PostgreSQL lease against a real PostgreSQL: two ActorSystems (two process incarnations that
 * are not in one cluster, as two clusters on one database would be) contend for the same lease.
 */
@ExtendWith(LogCapturingExtension.class)
class PostgresLeaseIntegrationTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final String LEASE = "dialer-shard-Campaign-7";

  private DatabaseSettings database;
  private ActorTestKit first;
  private ActorTestKit second;

  @BeforeEach
  void start() {
    database = TestDatabase.fresh("lease");
    first = node();
    second = node();
  }

  @AfterEach
  void stop() {
    first.shutdownTestKit();
    second.shutdownTestKit();
  }

  private ActorTestKit node() {
    return LeaseTestNodes.node(database, "");
  }

  private static Lease lease(ActorTestKit node) {
    String hostPort = Cluster.get(node.system()).selfMember().address().hostPort();
    return LeaseProvider.get(node.system().classicSystem())
        .getLease(LEASE, LeaseKeeper.CONFIG_PATH, hostPort);
  }

  @Test
  void onlyOneOfTwoContendersHoldsTheLeaseUntilItIsReleased() throws Exception {
    Lease a = lease(first);
    Lease b = lease(second);
    assertTrue(a instanceof PostgresLease, "LeaseProvider loads the configured lease-class");

    assertTrue(await(a.acquire()));
    assertFalse(await(b.acquire()));
    assertTrue(a.checkLease());
    assertFalse(b.checkLease());
    assertTrue(await(a.acquire()), "acquiring a held lease again is idempotent");

    assertTrue(await(a.release()));
    assertFalse(a.checkLease());
    assertTrue(await(b.acquire()));
    assertTrue(b.checkLease());
    assertFalse(await(a.acquire()));
  }

  @Test
  void theHolderRenewsItsLeaseAndTheContenderCallsItAnotherCluster() throws Exception {
    Lease a = lease(first);
    Lease b = lease(second);
    TestProbe<Optional<Throwable>> lost = first.createTestProbe();
    assertTrue(await(a.acquire(reason -> lost.getRef().tell(reason))));
    long version = version();
    // Two TTLs without a loss: only the heartbeat can keep it.
    lost.expectNoMessage(Duration.ofSeconds(4));
    assertTrue(a.checkLease());
    TestProbe<Void> probe = first.createTestProbe();
    // Still refused to b, which sees the holder renew it and calls that another cluster.
    probe.awaitAssert(
        TIMEOUT,
        Duration.ofMillis(500),
        () -> {
          assertFalse(await(b.acquire()));
          assertTrue(a.checkLease());
          FencingStatus status = LeaseKeeper.get(second.system()).status();
          assertFalse(status.up());
          assertTrue(status.detail().startsWith("FENCED"), status.detail());
          return null;
        });
    assertEquals(version, version(), "renewals never change the fencing version");
  }

  @Test
  void aDeadOwnersLeaseIsFreeAfterItsTtlButNotBefore() throws Exception {
    // A process that died holding the lease: same host:port as this node, another incarnation.
    String hostPort = Cluster.get(first.system()).selfMember().address().hostPort();
    insertHolder(hostPort + "#42", Duration.ofSeconds(2));
    Lease a = lease(first);
    assertFalse(await(a.acquire()), "a restarted process does not inherit its predecessor's lease");
    TestProbe<Void> probe = first.createTestProbe();
    probe.awaitAssert(
        TIMEOUT,
        Duration.ofMillis(200),
        () -> {
          assertTrue(await(a.acquire()));
          return null;
        });
    assertEquals(2, version(), "a new owner bumps the fencing version");
    assertTrue(a.checkLease());
  }

  @Test
  void aLeaseTakenByAnotherOwnerIsReportedLostThroughTheCallback() throws Exception {
    Lease a = lease(first);
    TestProbe<Optional<Throwable>> lost = first.createTestProbe();
    assertTrue(await(a.acquire(reason -> lost.getRef().tell(reason))));
    lost.expectNoMessage(Duration.ofMillis(800));

    execute("UPDATE cluster_lease SET owner = '10.0.0.9:25520#7' WHERE name = '" + LEASE + "'");

    Optional<Throwable> reason = lost.receiveMessage(TIMEOUT);
    assertTrue(reason.isPresent());
    assertTrue(
        reason.get().getMessage().contains("taken by another owner"), reason.get().getMessage());
    assertFalse(a.checkLease());
  }

  @Test
  void aMemberOfTheSameClusterTakesOverALeaseHandedOverToIt() throws Exception {
    Cluster.get(first.system())
        .manager()
        .tell(Join.create(Cluster.get(first.system()).selfMember().address()));
    Cluster.get(second.system())
        .manager()
        .tell(Join.create(Cluster.get(first.system()).selfMember().address()));
    TestProbe<Void> probe = second.createTestProbe();
    probe.awaitAssert(
        TIMEOUT,
        () -> {
          assertEquals(
              2, Cluster.get(second.system()).state().getMembers().spliterator().estimateSize());
          assertTrue(Cluster.get(second.system()).selfMember().status().toString().equals("Up"));
          return null;
        });
    Lease a = lease(first);
    Lease b = lease(second);
    TestProbe<Optional<Throwable>> lost = first.createTestProbe();
    assertTrue(await(a.acquire(reason -> lost.getRef().tell(reason))));

    // Pekko 1.2.1 shards never release their lease: the coordinator's hand-over is the authority.
    assertTrue(await(b.acquire()));
    assertTrue(lost.receiveMessage(TIMEOUT).isPresent(), "the previous holder learns it lost it");
    assertFalse(a.checkLease());
    assertTrue(b.checkLease());
  }

  @Test
  void aShardCoordinatorsLeaseOutlivesAnUnreachableTableAShardsDoesNot() throws Exception {
    String coordinatorName = "dialer-singleton-pekko://dialer/system/sharding/CampaignCoordinator";
    Lease shard = lease(first);
    Lease coordinator =
        LeaseProvider.get(first.system().classicSystem())
            .getLease(
                coordinatorName,
                LeaseKeeper.CONFIG_PATH,
                Cluster.get(first.system()).selfMember().address().hostPort());
    TestProbe<Optional<Throwable>> shardLost = first.createTestProbe();
    TestProbe<Optional<Throwable>> coordinatorLost = first.createTestProbe();
    assertTrue(await(shard.acquire(reason -> shardLost.getRef().tell(reason))));
    assertTrue(await(coordinator.acquire(reason -> coordinatorLost.getRef().tell(reason))));

    // Every renewal fails from now on, as in a database outage longer than the TTL.
    execute("ALTER TABLE cluster_lease RENAME TO cluster_lease_away");
    try {
      assertTrue(shardLost.receiveMessage(TIMEOUT).isPresent(), "a shard stops: it writes");
      // Acquired together, so it would be lost now too: a coordinator only allocates shards, and
      // stopping it would shut this node's shard regions down for good (Pekko 1.2.1).
      coordinatorLost.expectNoMessage(Duration.ofSeconds(1));
    } finally {
      execute("ALTER TABLE cluster_lease_away RENAME TO cluster_lease");
    }
    TestProbe<Void> probe = first.createTestProbe();
    probe.awaitAssert(
        TIMEOUT,
        () -> {
          assertTrue(coordinator.checkLease(), "renewed once the table answers again");
          return null;
        });

    // Given up as soon as a renewal shows another owner holding it.
    execute(
        "UPDATE cluster_lease SET owner = '10.0.0.9:25520#7' WHERE name = '"
            + coordinatorName
            + "'");
    assertTrue(coordinatorLost.receiveMessage(TIMEOUT).isPresent());
  }

  private long version() throws SQLException {
    try (Connection c = connect();
        PreparedStatement st =
            c.prepareStatement("SELECT version FROM cluster_lease WHERE name = ?")) {
      st.setString(1, LEASE);
      try (ResultSet rs = st.executeQuery()) {
        assertTrue(rs.next());
        return rs.getLong(1);
      }
    }
  }

  private void insertHolder(String owner, Duration ttl) throws SQLException {
    execute(
        "INSERT INTO cluster_lease VALUES ('"
            + LEASE
            + "', '"
            + owner
            + "', now() + interval '"
            + ttl.toMillis()
            + " milliseconds', now(), now(), 1)");
  }

  private void execute(String sql) throws SQLException {
    LeaseTestNodes.execute(database, sql);
  }

  private Connection connect() throws SQLException {
    return LeaseTestNodes.connect(database);
  }
}
