package com.welcomedly.dialer.engine.fencing;

import com.welcomedly.dialer.engine.fencing.ClusterView.Relation;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a dead predecessor from a live second cluster. A lease held by an owner outside this
 * cluster is first waited out (it may be a process that just died); if that owner renews it again
 * while we wait, it is alive and not one of ours: another cluster runs on this database. That is
 * logged as an error (once per holder and lease) and turns readiness DOWN until the lease is ours.
 */
final class FencingMonitor {

  private static final Logger log = LoggerFactory.getLogger(FencingMonitor.class);

  /** A lease we could not get, or a coordinator lease held outside this cluster. */
  private record Contest(String holder, long firstRenewedAt, boolean alive) {}

  private final Map<String, Contest> contests = new ConcurrentHashMap<>();
  private volatile int coordinatorLeasesOurs;
  private volatile boolean coordinatorsChecked;
  private volatile long lastTableAnswerNanos = System.nanoTime();
  private volatile boolean tableAnswered;

  /** A lease {@code name} is held by {@code holder} (seen on a refused claim or a heartbeat). */
  void heldElsewhere(String name, LeaseTable.Holder holder, Relation relation) {
    if (relation != Relation.FOREIGN) {
      if (relation == Relation.UNREACHABLE_MEMBER) {
        log.info(
            "Lease {} is held by unreachable member {}: waiting for the split-brain resolver",
            name,
            holder.owner());
      }
      contests.remove(name);
      return;
    }
    Contest previous = contests.get(name);
    if (previous == null || !previous.holder().equals(holder.owner())) {
      contests.put(name, new Contest(holder.owner(), holder.renewedAtMillis(), false));
      log.warn(
          "Lease {} is held by {}, which is not a member of this cluster: waiting up to {} ms for"
              + " it to expire (a process that just died), or for its owner to renew it (another"
              + " cluster)",
          name,
          holder.owner(),
          Math.max(0, holder.expiresInMillis()));
    } else if (!previous.alive() && holder.renewedAtMillis() > previous.firstRenewedAt()) {
      contests.put(name, new Contest(holder.owner(), previous.firstRenewedAt(), true));
      log.error(
          "FENCED: lease {} is held by {}, which is alive (it renewed the lease while this node"
              + " waited) and NOT a member of this cluster. Another cluster is running on this"
              + " database; this node will not run what the lease guards and reports not ready."
              + " Stop one of the two clusters.",
          name,
          holder.owner());
    }
  }

  void granted(String name) {
    contests.remove(name);
  }

  void tableAnswered() {
    lastTableAnswerNanos = System.nanoTime();
    tableAnswered = true;
  }

  /**
   * The heartbeat's view of the shard coordinators' leases: how many this cluster holds, and which
   * are held outside it now (a coordinator contest that is no longer seen is settled).
   */
  void coordinators(int ours, Set<String> foreignNow) {
    coordinatorLeasesOurs = ours;
    coordinatorsChecked = true;
    contests.keySet().removeIf(name -> isCoordinatorLease(name) && !foreignNow.contains(name));
  }

  static boolean isCoordinatorLease(String name) {
    return name.contains("-singleton-") && name.endsWith("Coordinator");
  }

  FencingStatus status(int held, long ttlNanos, boolean selfUp) {
    List<String> foreign =
        contests.entrySet().stream()
            .filter(e -> e.getValue().alive())
            .map(e -> e.getKey() + " held by " + e.getValue().holder())
            .sorted()
            .collect(Collectors.toList());
    long sinceAnswer = System.nanoTime() - lastTableAnswerNanos;
    if (!foreign.isEmpty()) {
      return new FencingStatus(
          false,
          "FENCED by another cluster on this database: "
              + foreign.size()
              + " lease(s) held by live owners outside this cluster, e.g. "
              + foreign.get(0),
          held);
    }
    if (!tableAnswered || sinceAnswer > ttlNanos) {
      return new FencingStatus(
          false, "lease table not reached within the lease TTL (leases are being lost)", held);
    }
    if (!selfUp) {
      return new FencingStatus(false, "not an Up member of a cluster yet", held);
    }
    if (!coordinatorsChecked || coordinatorLeasesOurs == 0) {
      return new FencingStatus(
          false, "this cluster holds no shard coordinator lease yet (not fenced)", held);
    }
    return new FencingStatus(
        true,
        "holds "
            + held
            + " lease(s); this cluster holds "
            + coordinatorLeasesOurs
            + " shard coordinator lease(s); renewed "
            + sinceAnswer / 1_000_000
            + " ms ago",
        held);
  }
}
