package com.welcomedly.dialer.engine.fencing;

import com.typesafe.config.Config;
import com.welcomedly.dialer.engine.fencing.ClusterView.Relation;
import com.welcomedly.dialer.engine.persistence.DatabaseSettings;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
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
 * dispatcher all lease SQL runs on, claims and releases; the held leases are kept alive by {@link
 * LeaseRenewal} (one heartbeat renewing them all in one statement, and the loss watchdog).
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

  private final Duration ttl;
  private final UnreachableHolderWait unreachableHolder;
  private final long validityNanos;
  private final LeaseTable table;
  private final HikariDataSource dataSource;
  private final MessageDispatcher dispatcher;
  private final ClusterView cluster;
  private final FencingMonitor monitor = new FencingMonitor();
  private final Map<String, PostgresLease> held = new ConcurrentHashMap<>();
  private final LeaseRenewal renewal;

  private LeaseKeeper(ExtendedActorSystem system) {
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
    this.renewal =
        new LeaseRenewal(
            system,
            ttl,
            validityNanos,
            new LeaseRenewal.Store(table, dataSource, dispatcher),
            cluster,
            monitor,
            held);
    renewal.start(interval);
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
    if (renewal.tableUnreachable()) {
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
    if (renewal.tableUnreachable()) {
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
            renewal.statementFailed(e);
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
    Relation relation = cluster.relationOfStored(holder.get().owner());
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
