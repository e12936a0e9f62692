package com.welcomedly.dialer.engine.fencing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.welcomedly.dialer.engine.fencing.ClusterView.Relation;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Telling a dead predecessor from a live second cluster, and what readiness makes of it. */
class FencingMonitorTest {

  private static final long TTL = Duration.ofSeconds(5).toNanos();
  private static final String SHARD = "dialer-shard-Campaign-7";
  private static final String COORDINATOR =
      "dialer-singleton-pekko://dialer/system/sharding/CampaignCoordinator";
  private static final String OTHER = "dialer@10.0.0.9:25520#77";

  private static FencingMonitor fencedByOurCluster() {
    FencingMonitor monitor = new FencingMonitor();
    monitor.tableAnswered();
    monitor.coordinators(3, Set.of());
    return monitor;
  }

  @Test
  void anUpNodeWhoseClusterHoldsTheCoordinatorsIsReady() {
    FencingStatus status = fencedByOurCluster().status(4, TTL, true);
    assertTrue(status.up(), status.detail());
    assertTrue(status.detail().startsWith("holds 4 lease(s); this cluster holds 3"));
  }

  @Test
  void aForeignHolderThatNeverRenewsIsAPredecessorBeingWaitedOut() {
    FencingMonitor monitor = fencedByOurCluster();
    monitor.heldElsewhere(SHARD, new LeaseTable.Holder(OTHER, 1_000, 3_000), Relation.FOREIGN);
    monitor.heldElsewhere(SHARD, new LeaseTable.Holder(OTHER, 1_000, 1_000), Relation.FOREIGN);
    assertTrue(monitor.status(0, TTL, true).up());
  }

  @Test
  void aForeignHolderThatRenewsWhileWeWaitIsAnotherClusterUntilWeGetTheLease() {
    FencingMonitor monitor = fencedByOurCluster();
    monitor.heldElsewhere(SHARD, new LeaseTable.Holder(OTHER, 1_000, 4_000), Relation.FOREIGN);
    monitor.heldElsewhere(SHARD, new LeaseTable.Holder(OTHER, 2_000, 4_000), Relation.FOREIGN);
    FencingStatus fenced = monitor.status(0, TTL, true);
    assertFalse(fenced.up());
    assertTrue(fenced.detail().contains(SHARD + " held by " + OTHER), fenced.detail());

    monitor.granted(SHARD);
    assertTrue(monitor.status(1, TTL, true).up());
  }

  @Test
  void membersOfOurOwnClusterNeverCountAsAnotherCluster() {
    FencingMonitor monitor = fencedByOurCluster();
    for (Relation relation : Set.of(Relation.HANDED_OVER, Relation.UNREACHABLE_MEMBER)) {
      monitor.heldElsewhere(SHARD, new LeaseTable.Holder(OTHER, 1_000, 4_000), relation);
      monitor.heldElsewhere(SHARD, new LeaseTable.Holder(OTHER, 2_000, 4_000), relation);
    }
    assertTrue(monitor.status(0, TTL, true).up());
  }

  @Test
  void aCoordinatorContestEndsWhenTheForeignCoordinatorLeaseIsGone() {
    FencingMonitor monitor = fencedByOurCluster();
    monitor.heldElsewhere(
        COORDINATOR, new LeaseTable.Holder(OTHER, 1_000, 4_000), Relation.FOREIGN);
    monitor.heldElsewhere(
        COORDINATOR, new LeaseTable.Holder(OTHER, 2_000, 4_000), Relation.FOREIGN);
    monitor.coordinators(0, Set.of(COORDINATOR));
    assertFalse(monitor.status(0, TTL, true).up());

    monitor.coordinators(1, Set.of());
    assertTrue(monitor.status(1, TTL, true).up());
  }

  @Test
  void notReadyWithoutTheTableWithoutMembershipOrWithoutCoordinatorLeases() {
    assertEquals(
        "lease table not reached within the lease TTL (leases are being lost)",
        new FencingMonitor().status(0, TTL, true).detail());
    assertFalse(fencedByOurCluster().status(0, TTL, false).up());
    FencingMonitor noCoordinator = new FencingMonitor();
    noCoordinator.tableAnswered();
    noCoordinator.coordinators(0, Set.of());
    assertTrue(noCoordinator.status(0, TTL, true).detail().contains("no shard coordinator lease"));
  }

  @Test
  void ownersAreHostPortPlusIncarnation() {
    assertEquals(
        Optional.of(new LeaseOwner("dialer@127.0.0.1:25520", -42L)),
        LeaseOwner.parse("dialer@127.0.0.1:25520#-42"));
    assertEquals(
        "dialer@127.0.0.1:25520#-42", new LeaseOwner("dialer@127.0.0.1:25520", -42L).toString());
    assertEquals(Optional.empty(), LeaseOwner.parse("dialer@127.0.0.1:25520"));
    assertEquals(Optional.empty(), LeaseOwner.parse("someone#else"));
  }
}
