package com.welcomedly.dialer.engine.fencing;

import static com.welcomedly.dialer.engine.fencing.LeaseTestNodes.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.welcomedly.dialer.engine.persistence.DatabaseSettings;
import com.welcomedly.dialer.engine.persistence.TestDatabase;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
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
 * The split-brain resolver's lease ({@code dialer.sbr-lease}) when its holder dies: a two-node
 * cluster on a real PostgreSQL, the holder's ActorSystem stopped without leaving (as kill -9 does),
 * no downing (the test plays the resolver). The resolver downs its own side when refused, so the
 * survivor's claim must wait for the dead holder's lease to expire instead of being refused.
 */
@ExtendWith(LogCapturingExtension.class)
class SbrLeaseIntegrationTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final String LEASE = "dialer-pekko-sbr";

  private DatabaseSettings database;
  private ActorTestKit holder;
  private ActorTestKit survivor;

  @BeforeEach
  void start() {
    database = TestDatabase.fresh("sbrlease");
    holder = node();
    survivor = node();
    Cluster.get(holder.system()).manager().tell(Join.create(address(holder)));
    Cluster.get(survivor.system()).manager().tell(Join.create(address(holder)));
    survivor
        .createTestProbe()
        .awaitAssert(
            TIMEOUT,
            () -> {
              assertEquals("Up", Cluster.get(survivor.system()).selfMember().status().toString());
              return null;
            });
  }

  @AfterEach
  void stop() {
    survivor.shutdownTestKit();
    holder.shutdownTestKit(); // a no-op once it was stopped
  }

  private ActorTestKit node() {
    // Nobody downs (the test plays the resolver) and a stopped system does not leave: the holder
    // dies as on kill -9.
    return LeaseTestNodes.node(
        database,
        """
        dialer.sbr-lease = ${dialer.lease}
        dialer.sbr-lease.await-unreachable-holder = on
        pekko.cluster.downing-provider-class = ""
        pekko.coordinated-shutdown.run-by-actor-system-terminate = off
        """);
  }

  private static org.apache.pekko.actor.Address address(ActorTestKit node) {
    return Cluster.get(node.system()).selfMember().address();
  }

  private static Lease sbrLease(ActorTestKit node) {
    return LeaseProvider.get(node.system().classicSystem())
        .getLease(LEASE, "dialer.sbr-lease", address(node).hostPort());
  }

  private void holderDiesUnreachable() throws SQLException {
    String owner =
        new LeaseOwner(
                address(holder).hostPort(),
                Cluster.get(holder.system()).selfMember().uniqueAddress().longUid())
            .toString();
    holder.system().terminate();
    survivor
        .createTestProbe()
        .awaitAssert(
            TIMEOUT,
            () -> {
              assertFalse(Cluster.get(survivor.system()).state().getUnreachable().isEmpty());
              return null;
            });
    // As after kill -9: the dead holder's row stays, valid for one more TTL (its stop released it,
    // and detection took longer than the test's short TTL).
    execute(
        "INSERT INTO cluster_lease AS l VALUES ('"
            + LEASE
            + "', '"
            + owner
            + "', now() + interval '2 s', now(), now(), 1) ON CONFLICT (name) DO UPDATE"
            + " SET owner = excluded.owner, expires_at = excluded.expires_at,"
            + " renewed_at = excluded.renewed_at");
  }

  @Test
  void theSurvivorWaitsOutTheLeaseOfAnUnreachableDeadHolderInsteadOfBeingRefused()
      throws Exception {
    assertTrue(await(sbrLease(holder).acquire()));
    holderDiesUnreachable();

    Lease lease = sbrLease(survivor);
    // Refused at once, the resolver would reverse its decision and down the survivor itself.
    CompletableFuture<Boolean> claim =
        LoggingTestKit.warn("an unreachable member: waiting")
            .expect(survivor.system(), () -> lease.acquire().toCompletableFuture());
    assertTrue(claim.get(20, TimeUnit.SECONDS), "granted once the dead holder's lease expired");
    assertTrue(lease.checkLease());
  }

  @Test
  void aHolderThatRenewsWhileTheSurvivorWaitsIsAliveAndKeepsTheLease() throws Exception {
    assertTrue(await(sbrLease(holder).acquire()));
    holderDiesUnreachable();

    CompletableFuture<Boolean> claim = sbrLease(survivor).acquire().toCompletableFuture();
    // The holder is on the other side of a partition and keeps renewing: it made the decision.
    TestProbe<Void> probe = survivor.createTestProbe();
    probe.awaitAssert(
        TIMEOUT,
        Duration.ofMillis(100),
        () -> {
          execute(
              "UPDATE cluster_lease SET renewed_at = now(), expires_at = now() + interval '5 s'"
                  + " WHERE name = '"
                  + LEASE
                  + "'");
          assertTrue(claim.isDone());
          return null;
        });
    assertFalse(
        claim.get(),
        "refused: the unreachable holder is alive; survivor sees "
            + Cluster.get(survivor.system()).state());
  }

  private void execute(String sql) throws SQLException {
    LeaseTestNodes.execute(database, sql);
  }
}
