package com.welcomedly.dialer.engine.fencing;

import com.welcomedly.dialer.engine.fencing.ClusterView.Relation;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.coordination.lease.LeaseException;
import org.apache.pekko.dispatch.MessageDispatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the leases {@link LeaseKeeper} holds alive: every heartbeat-interval a watchdog gives up
 * the leases not renewed within their validity (a shard coordinator's only once another owner is
 * seen holding it), then one round trip renews all held leases in one statement per owner and
 * checks which cluster holds the shard coordinators' leases (the cluster-level fence, for
 * readiness). It also knows whether the lease table answers, so claims fail fast while it does not.
 */
final class LeaseRenewal {

  private static final Logger log = LoggerFactory.getLogger(LeaseRenewal.class);

  private final ExtendedActorSystem system;
  private final Duration ttl;
  private final long validityNanos;
  private final LeaseTable table;
  private final HikariDataSource dataSource;
  private final MessageDispatcher dispatcher;
  private final ClusterView cluster;
  private final FencingMonitor monitor;
  private final Map<String, PostgresLease> held;
  private final AtomicBoolean renewing = new AtomicBoolean();
  // Set when a lease statement could not reach the table, cleared by the next heartbeat that
  // does: meanwhile claims fail at once instead of each holding one of the two lease threads for
  // the connection timeout. In a database outage every stopped shard and coordinator retries
  // every second, and those blocked claims queued the heartbeat and the coordinators' claims
  // several seconds behind them once the database was back.
  private volatile boolean tableUnreachable;
  private final String coordinatorLeasePattern;
  // Coordinator leases past their validity while the table is unreachable (logged once each).
  private final Set<String> overdueCoordinators = ConcurrentHashMap.newKeySet();

  /** The lease table, its pool and the dispatcher its statements run on. */
  record Store(LeaseTable table, HikariDataSource dataSource, MessageDispatcher dispatcher) {}

  LeaseRenewal(
      ExtendedActorSystem system,
      Duration ttl,
      long validityNanos,
      Store store,
      ClusterView cluster,
      FencingMonitor monitor,
      Map<String, PostgresLease> held) {
    this.system = system;
    this.ttl = ttl;
    this.validityNanos = validityNanos;
    this.table = store.table();
    this.dataSource = store.dataSource();
    this.dispatcher = store.dispatcher();
    this.cluster = cluster;
    this.monitor = monitor;
    this.held = held;
    this.coordinatorLeasePattern = system.name() + "-singleton-%/system/sharding/%Coordinator";
  }

  /** Starts the heartbeat; the watchdog runs on the default dispatcher, never behind JDBC. */
  void start(Duration interval) {
    system
        .scheduler()
        .scheduleWithFixedDelay(interval, interval, this::heartbeat, system.dispatcher());
  }

  /** The last lease statement could not reach the table, and no heartbeat has since. */
  boolean tableUnreachable() {
    return tableUnreachable;
  }

  /** A lease statement failed: if for want of the table, claims fail fast until it is back. */
  void statementFailed(SQLException e) {
    tableUnreachable |= TableUnreachable.isCause(e);
  }

  /**
   * Every heartbeat-interval: the watchdog, then one renewal round trip on the lease dispatcher.
   */
  private void heartbeat() {
    long now = System.nanoTime();
    // A leaving node keeps its leases through shutdown when only the table is unreachable: it
    // cannot write the journal on that database either, and stopping the shard coordinators
    // mid-hand-off would stall the leave. A lease another owner took is still reported below.
    boolean leaving = CoordinatedShutdown.get(system).getShutdownReason().isPresent();
    for (PostgresLease lease : List.copyOf(held.values())) {
      if (leaving) {
        break;
      }
      if (lease.expired(now) && isCoordinator(lease.name())) {
        if (overdueCoordinators.add(lease.name())) {
          log.warn(
              "Lease {} not renewed within its TTL ({}), the lease table is unreachable: kept until"
                  + " another owner is seen holding it (a shard coordinator writes nothing, and"
                  + " stopping it would shut this node's shard regions down for good)",
              lease.name(),
              ttl);
        }
      } else if (lease.expired(now)) {
        held.remove(lease.name(), lease);
        log.error(
            "Lease {} lost: not renewed within its TTL ({}), the lease table is unreachable",
            lease.name(),
            ttl);
        lease.lost(new LeaseException("not renewed within " + ttl + ": lease table unreachable"));
      }
    }
    if (!renewing.compareAndSet(false, true)) {
      return; // the previous round trip is still running (its statement has a timeout)
    }
    dispatcher.execute(
        () -> {
          try {
            renew();
          } finally {
            renewing.set(false);
          }
        });
  }

  private void renew() {
    long sentAt = System.nanoTime();
    Map<String, List<PostgresLease>> byOwner =
        held.values().stream()
            .filter(PostgresLease::isHeld)
            .collect(Collectors.groupingBy(PostgresLease::owner));
    try (Connection c = dataSource.getConnection()) {
      for (Map.Entry<String, List<PostgresLease>> entry : byOwner.entrySet()) {
        Set<String> names =
            entry.getValue().stream().map(PostgresLease::name).collect(Collectors.toSet());
        Set<String> renewed = table.renew(c, entry.getKey(), names);
        for (PostgresLease lease : entry.getValue()) {
          if (renewed.contains(lease.name())) {
            lease.renewed(sentAt + validityNanos);
            overdueCoordinators.remove(lease.name());
          } else if (held.remove(lease.name(), lease)) {
            log.warn("Lease {} lost: another owner holds it now", lease.name());
            lease.lost(new LeaseException("lease " + lease.name() + " taken by another owner"));
          }
        }
      }
      checkCoordinators(c);
      monitor.tableAnswered();
      if (tableUnreachable) {
        tableUnreachable = false;
        log.info("Lease table reachable again: stopped shards and coordinators claim their leases");
      }
    } catch (SQLException | RuntimeException e) {
      if (e instanceof SQLException sql) {
        tableUnreachable |= TableUnreachable.isCause(sql);
      }
      log.warn(
          "Lease renewal failed (leases are lost {} after their last renewal): {}",
          ttl,
          e.getMessage());
    }
  }

  /**
   * A shard coordinator's lease ({@code <system>-singleton-…/system/sharding/<type>Coordinator}).
   * These are not given up when only the table is unreachable: in Pekko 1.2.1 a coordinator told to
   * stop first sends its node's own shard region a GracefulShutdown, so losing the lease in a
   * database outage longer than the TTL stopped every region of the oldest node for good (the
   * campaign kept no dialer there after the database was back). The coordinator only allocates
   * shards (its state is in Distributed Data); every write is an entity behind its shard's lease,
   * which is still given up, so a second cluster can still neither write nor run a dialer. The
   * lease is dropped as soon as a renewal shows another owner holding it.
   */
  private boolean isCoordinator(String leaseName) {
    return leaseName.startsWith(system.name() + "-singleton-")
        && leaseName.contains("/system/sharding/")
        && leaseName.endsWith("Coordinator");
  }

  /** Is this cluster the one holding the shard coordinators' leases (the cluster-level fence)? */
  private void checkCoordinators(Connection c) throws SQLException {
    if (!cluster.selfUp()) {
      return; // while joining, the cluster's holders are not members in our view yet
    }
    int ours = 0;
    Set<String> foreign = new java.util.HashSet<>();
    for (LeaseTable.Held row : table.holdersLike(c, coordinatorLeasePattern)) {
      Relation relation = cluster.relationOfStored(row.holder().owner());
      if (relation == Relation.SELF || relation == Relation.HANDED_OVER) {
        ours++;
      } else {
        foreign.add(row.name());
        monitor.heldElsewhere(row.name(), row.holder(), relation);
      }
    }
    monitor.coordinators(ours, foreign);
  }
}
