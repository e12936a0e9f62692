package com.welcomedly.dialer.engine.fencing;

import com.typesafe.config.Config;
import com.welcomedly.dialer.engine.fencing.ClusterView.Relation;
import com.welcomedly.dialer.engine.persistence.DatabaseSettings;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.pekko.Done;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;
import org.apache.pekko.actor.ExtensionIdProvider;
import org.apache.pekko.coordination.lease.LeaseException;
import org.apache.pekko.dispatch.MessageDispatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDBC side of every {@link PostgresLease} of one ActorSystem (a Pekko extension, not a
 * global): a small dedicated connection pool (projections can never starve a renewal), the blocking
 * dispatcher all lease SQL runs on, one heartbeat that renews all held leases in one statement, and
 * the loss watchdog.
 *
 * <p>Safety: a renewal sent at local time {@code t} makes the database extend the lease to its own
 * {@code now() + ttl}, and {@code now()} is read after {@code t}; so nobody can take the lease
 * before {@code t + ttl}, and this node treats it as lost at {@code t + ttl - safety-margin}
 * ({@link PostgresLease#checkLease()} turns false and the loss callback stops the shard).
 */
public final class LeaseKeeper implements Extension {

  /** Where the lease is configured; sharding, the coordinators and the SBR point here. */
  public static final String CONFIG_PATH = "dialer.lease";

  private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

  private final ExtendedActorSystem system;
  private final Duration ttl;
  private final UnreachableHolderWait unreachableHolder;
  private final long validityNanos;
  private final LeaseTable table;
  private final HikariDataSource dataSource;
  private final MessageDispatcher dispatcher;
  private final ClusterView cluster;
  private final FencingMonitor monitor = new FencingMonitor();
  private final Map<String, PostgresLease> held = new ConcurrentHashMap<>();
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

  private LeaseKeeper(ExtendedActorSystem system) {
    this.system = system;
    Config config = system.settings().config().getConfig(CONFIG_PATH);
    this.ttl = config.getDuration("heartbeat-timeout");
    Duration interval = config.getDuration("heartbeat-interval");
    this.unreachableHolder = new UnreachableHolderWait(system, interval, ttl);
    Duration operationTimeout = config.getDuration("lease-operation-timeout");
    this.validityNanos = ttl.minus(config.getDuration("safety-margin")).toNanos();
    this.table = new LeaseTable(ttl, operationTimeout);
    this.dataSource =
        pool(system.settings().config(), config.getInt("pool-size"), operationTimeout);
    this.dispatcher = system.dispatchers().lookup(config.getString("dispatcher"));
    this.cluster = new ClusterView(system);
    this.coordinatorLeasePattern = system.name() + "-singleton-%/system/sharding/%Coordinator";
    // The watchdog runs on the default dispatcher so a stuck JDBC call cannot delay a loss.
    system
        .scheduler()
        .scheduleWithFixedDelay(interval, interval, this::heartbeat, system.dispatcher());
    CoordinatedShutdown.get(system)
        .addTask(
            CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
            "release-leases",
            this::releaseAll);
    system.registerOnTermination(dataSource::close);
  }

  public static LeaseKeeper get(ActorSystem system) {
    return Id.INSTANCE.get(system);
  }

  public static LeaseKeeper get(org.apache.pekko.actor.typed.ActorSystem<?> system) {
    return Id.INSTANCE.get(system.classicSystem());
  }

  /** Readiness: cheap, no I/O (the heartbeat refreshes what it reads). */
  public FencingStatus status() {
    return monitor.status(
        (int) held.values().stream().filter(PostgresLease::isHeld).count(),
        ttl.toNanos(),
        cluster.selfUp());
  }

  String ownerFor(String ownerName) {
    return new LeaseOwner(ownerName, cluster.self().longUid()).toString();
  }

  CompletionStage<Boolean> acquire(PostgresLease lease, Consumer<Optional<Throwable>> onLost) {
    if (tableUnreachable) {
      // Every stopped shard asks again every second: one log line each, no stack trace.
      return CompletableFuture.failedFuture(new TableUnreachable(lease.name()));
    }
    return attempt(lease, onLost)
        .thenCompose(
            refused -> {
              if (refused.isEmpty()) {
                return CompletableFuture.completedFuture(true);
              }
              if (lease.awaitsUnreachableHolder()
                  && refused.get().relation() == Relation.UNREACHABLE_MEMBER) {
                return unreachableHolder.await(
                    lease.name(), () -> attempt(lease, onLost), refused.get().holder());
              }
              return CompletableFuture.completedFuture(false);
            });
  }

  /** A claim's outcome: the fencing version when granted, else who holds the lease. */
  private record Claim(Optional<Long> version, UnreachableHolderWait.Refusal refusal) {
    static Claim granted(long version) {
      return new Claim(Optional.of(version), null);
    }

    static Claim refused(LeaseTable.Holder holder, Relation relation) {
      return new Claim(Optional.empty(), new UnreachableHolderWait.Refusal(holder, relation));
    }
  }

  /** One claim; empty when granted, who holds the lease when refused. */
  private CompletionStage<Optional<UnreachableHolderWait.Refusal>> attempt(
      PostgresLease lease, Consumer<Optional<Throwable>> onLost) {
    if (tableUnreachable) {
      return CompletableFuture.failedFuture(new TableUnreachable(lease.name()));
    }
    return CompletableFuture.supplyAsync(
        () -> {
          long sentAt = System.nanoTime();
          try (Connection c = dataSource.getConnection()) {
            Claim claim = claim(c, lease);
            monitor.tableAnswered();
            if (claim.version().isEmpty()) {
              return Optional.of(claim.refusal());
            }
            lease.granted(sentAt + validityNanos, onLost);
            held.put(lease.name(), lease);
            monitor.granted(lease.name());
            log.debug(
                "Lease {} acquired by {} (version {})",
                lease.name(),
                lease.owner(),
                claim.version().get());
            return Optional.<UnreachableHolderWait.Refusal>empty();
          } catch (SQLException e) {
            tableUnreachable |= TableUnreachable.isCause(e);
            throw new LeaseException("Lease " + lease.name() + " not acquired: " + e.getMessage());
          }
        },
        dispatcher);
  }

  private Claim claim(Connection c, PostgresLease lease) throws SQLException {
    Optional<Long> version = table.claim(c, lease.name(), lease.owner());
    if (version.isPresent()) {
      return Claim.granted(version.get());
    }
    Optional<LeaseTable.Holder> holder = table.holder(c, lease.name());
    if (holder.isEmpty()) {
      // Released meanwhile: one more claim (a third contender may have been quicker).
      return table
          .claim(c, lease.name(), lease.owner())
          .map(Claim::granted)
          .orElseGet(() -> Claim.refused(new LeaseTable.Holder("?", 0, 0), Relation.FOREIGN));
    }
    Relation relation = relationOf(holder.get().owner());
    if (relation == Relation.HANDED_OVER) {
      version = table.takeOver(c, lease.name(), lease.owner(), holder.get().owner());
      if (version.isPresent()) {
        log.info(
            "Lease {} taken over from {}, which this cluster handed over or removed",
            lease.name(),
            holder.get().owner());
        return Claim.granted(version.get());
      }
    }
    monitor.heldElsewhere(lease.name(), holder.get(), relation);
    return Claim.refused(holder.get(), relation);
  }

  CompletionStage<Boolean> release(PostgresLease lease) {
    return CompletableFuture.supplyAsync(
        () -> {
          held.remove(lease.name(), lease);
          lease.released();
          try (Connection c = dataSource.getConnection()) {
            return table.release(c, lease.name(), lease.owner());
          } catch (SQLException e) {
            // Not deleted: the lease expires after its TTL, since nobody renews it any more.
            throw new LeaseException("Lease " + lease.name() + " not released: " + e.getMessage());
          }
        },
        dispatcher);
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
      Relation relation = relationOf(row.holder().owner());
      if (relation == Relation.SELF || relation == Relation.HANDED_OVER) {
        ours++;
      } else {
        foreign.add(row.name());
        monitor.heldElsewhere(row.name(), row.holder(), relation);
      }
    }
    monitor.coordinators(ours, foreign);
  }

  private Relation relationOf(String storedOwner) {
    return LeaseOwner.parse(storedOwner).map(cluster::relationOf).orElse(Relation.FOREIGN);
  }

  private CompletionStage<Done> releaseAll() {
    return CompletableFuture.supplyAsync(
        () -> {
          Set<String> owners =
              held.values().stream().map(PostgresLease::owner).collect(Collectors.toSet());
          held.values().forEach(PostgresLease::released);
          held.clear();
          try (Connection c = dataSource.getConnection()) {
            for (String owner : owners) {
              log.info("Released {} lease(s) of {} at shutdown", table.releaseAll(c, owner), owner);
            }
          } catch (SQLException e) {
            log.warn(
                "Leases not released at shutdown (they expire after {}): {}", ttl, e.getMessage());
          }
          return Done.getInstance();
        },
        dispatcher);
  }

  private static HikariDataSource pool(Config root, int size, Duration operationTimeout) {
    DatabaseSettings db = DatabaseSettings.fromConfig(root);
    if (db.isEmbedded()) {
      throw new IllegalStateException(
          "dialer.db.url is empty: the PostgreSQL lease needs the database before the ActorSystem");
    }
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName("dialer-lease");
    hikari.setJdbcUrl(db.url());
    hikari.setUsername(db.user());
    hikari.setPassword(db.password());
    hikari.setMaximumPoolSize(size);
    hikari.setMinimumIdle(1);
    hikari.setAutoCommit(true);
    // Half the operation timeout: Hikari retries opening connections after a database outage
    // with a backoff capped at this timeout, and the leases wait for that first connection.
    hikari.setConnectionTimeout(Math.max(250, operationTimeout.toMillis() / 2));
    // Opened on first use: a node that never takes a lease never connects.
    hikari.setInitializationFailTimeout(-1);
    return new HikariDataSource(hikari);
  }

  private static final class Id extends AbstractExtensionId<LeaseKeeper>
      implements ExtensionIdProvider {
    private static final Id INSTANCE = new Id();

    @Override
    public Id lookup() {
      return INSTANCE;
    }

    @Override
    public LeaseKeeper createExtension(ExtendedActorSystem system) {
      return new LeaseKeeper(system);
    }
  }
}
