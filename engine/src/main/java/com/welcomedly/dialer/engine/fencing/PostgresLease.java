package com.welcomedly.dialer.engine.fencing;

import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.coordination.lease.LeaseSettings;
import org.apache.pekko.coordination.lease.javadsl.Lease;

/**
 * A Pekko Coordination lease kept in PostgreSQL (table {@code cluster_lease}), so that sharding
 * (one lease per shard and per shard coordinator) and the split-brain resolver ({@code
 * lease-majority}) are fenced by the same database that holds the journal: a second cluster started
 * on that database cannot start a shard the first one holds. Pekko instantiates it by reflection
 * from {@code lease-class}; the JDBC work, heartbeat and loss detection are shared by all leases of
 * the process in {@link LeaseKeeper}.
 */
public final class PostgresLease extends Lease {

  /** Lease config flag: wait out an unreachable member's lease instead of refusing at once. */
  static final String AWAIT_UNREACHABLE_HOLDER = "await-unreachable-holder";

  private final LeaseSettings settings;
  private final LeaseKeeper keeper;
  private final String owner;
  // The split-brain resolver's lease (dialer.sbr-lease): see LeaseKeeper#awaitUnreachableHolder.
  private final boolean awaitsUnreachableHolder;

  private volatile boolean held;
  // Local monotonic deadline: the database cannot let anyone else in before it (see LeaseKeeper).
  private volatile long validUntilNanos;
  private volatile Consumer<Optional<Throwable>> onLost = reason -> {};

  public PostgresLease(LeaseSettings settings, ExtendedActorSystem system) {
    this.settings = settings;
    this.keeper = LeaseKeeper.get(system);
    this.owner = keeper.ownerFor(settings.ownerName());
    this.awaitsUnreachableHolder =
        settings.leaseConfig().hasPath(AWAIT_UNREACHABLE_HOLDER)
            && settings.leaseConfig().getBoolean(AWAIT_UNREACHABLE_HOLDER);
  }

  @Override
  public LeaseSettings getSettings() {
    return settings;
  }

  @Override
  public CompletionStage<Boolean> acquire() {
    return acquire(reason -> {});
  }

  @Override
  public CompletionStage<Boolean> acquire(Consumer<Optional<Throwable>> leaseLostCallback) {
    return keeper.acquire(this, leaseLostCallback);
  }

  @Override
  public CompletionStage<Boolean> release() {
    return keeper.release(this);
  }

  /** Cheap: no I/O, true only while the last successful write is younger than the TTL margin. */
  @Override
  public boolean checkLease() {
    return held && System.nanoTime() - validUntilNanos < 0;
  }

  String name() {
    return settings.leaseName();
  }

  String owner() {
    return owner;
  }

  boolean awaitsUnreachableHolder() {
    return awaitsUnreachableHolder;
  }

  boolean isHeld() {
    return held;
  }

  void granted(long validUntil, Consumer<Optional<Throwable>> callback) {
    this.onLost = callback;
    this.validUntilNanos = validUntil;
    this.held = true;
  }

  void renewed(long validUntil) {
    this.validUntilNanos = validUntil;
  }

  boolean expired(long nowNanos) {
    return held && nowNanos - validUntilNanos >= 0;
  }

  void released() {
    this.held = false;
  }

  /** Called once per loss, never before acquire's stage completed (the lease was held). */
  void lost(Throwable reason) {
    if (held) {
      held = false;
      onLost.accept(Optional.of(reason));
    }
  }
}
