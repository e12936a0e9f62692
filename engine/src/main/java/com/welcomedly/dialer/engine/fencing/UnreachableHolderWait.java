package com.welcomedly.dialer.engine.fencing;

import com.welcomedly.dialer.engine.fencing.ClusterView.Relation;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The split-brain resolver's claim on its lease when the holder is a member we cannot reach ({@code
 * dialer.sbr-lease.await-unreachable-holder}). The resolver reverses its decision (downs its own
 * side) when refused, so a node killed within the resolver's release-after of a downing decision it
 * made would take the whole surviving side down with it. Instead the claim is repeated every
 * heartbeat until the dead holder's lease expired (at most one TTL after its last renewal; the
 * database judges it) or the holder was downed (then taken over). If the holder renews meanwhile it
 * is alive on the other side of a partition and owns the decision: refused. Waiting only delays the
 * answer; the claim is still the one atomic statement, so two sides can never both hold the lease.
 */
final class UnreachableHolderWait {

  /** Why a claim was refused: who holds the lease and what our cluster knows about it. */
  record Refusal(LeaseTable.Holder holder, Relation relation) {}

  private static final Logger log = LoggerFactory.getLogger(UnreachableHolderWait.class);

  private final ActorSystem system;
  private final Duration interval;
  private final Duration ttl;

  UnreachableHolderWait(ActorSystem system, Duration interval, Duration ttl) {
    this.system = system;
    this.interval = interval;
    this.ttl = ttl;
  }

  /** Repeats {@code claim} (empty = granted) until granted, refused by a live holder, or a TTL. */
  CompletionStage<Boolean> await(
      String leaseName,
      Supplier<CompletionStage<Optional<Refusal>>> claim,
      LeaseTable.Holder first) {
    log.warn(
        "Lease {} is held by {}, an unreachable member: waiting up to {} for it to expire or be"
            + " downed before deciding",
        leaseName,
        first.owner(),
        ttl);
    CompletableFuture<Boolean> result = new CompletableFuture<>();
    retryAfterHeartbeat(leaseName, claim, first, System.nanoTime() + ttl.toNanos(), result);
    return result;
  }

  private void retryAfterHeartbeat(
      String leaseName,
      Supplier<CompletionStage<Optional<Refusal>>> claim,
      LeaseTable.Holder first,
      long deadlineNanos,
      CompletableFuture<Boolean> result) {
    Runnable again =
        () ->
            claim
                .get()
                .whenComplete(
                    (refused, failure) -> {
                      boolean inTime = System.nanoTime() - deadlineNanos < 0;
                      if (failure != null) {
                        if (inTime) {
                          retryAfterHeartbeat(leaseName, claim, first, deadlineNanos, result);
                        } else {
                          result.completeExceptionally(failure);
                        }
                      } else if (refused.isEmpty()) {
                        log.info("Lease {} acquired after its unreachable holder", leaseName);
                        result.complete(true);
                      } else if (inTime && stillExpiring(refused.get(), first)) {
                        retryAfterHeartbeat(leaseName, claim, first, deadlineNanos, result);
                      } else {
                        log.warn(
                            "Lease {} refused: {} holds it and is alive",
                            leaseName,
                            refused.get().holder().owner());
                        result.complete(false);
                      }
                    });
    system.scheduler().scheduleOnce(interval, again, system.dispatcher());
  }

  /** The same unreachable holder, not renewed since we first saw it: its lease is running out. */
  private static boolean stillExpiring(Refusal refusal, LeaseTable.Holder first) {
    return refusal.relation() == Relation.UNREACHABLE_MEMBER
        && refusal.holder().owner().equals(first.owner())
        && refusal.holder().renewedAtMillis() <= first.renewedAtMillis();
  }
}
