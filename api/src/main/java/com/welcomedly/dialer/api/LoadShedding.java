package com.welcomedly.dialer.api;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * A node-wide bound on the entity changes the API has sent and not yet seen answered ({@code
 * dialer.api.max-changes-in-flight}). A login storm (a shift starting: thousands of agents logging
 * in within seconds) otherwise starts as many entity recoveries and journal writes as there are
 * requests at once: the journal's write queue overflows, its circuit breaker opens and every entity
 * of the node fails for seconds. Beyond the bound a change is not sent at all and the caller
 * answers 503 with {@code Retry-After} at once; clients retry. One per ActorSystem (an extension),
 * so two nodes in one JVM (tests) do not share it.
 */
public final class LoadShedding implements Extension {

  private final InFlightBound bound;

  LoadShedding(int maxInFlight) {
    this.bound =
        new InFlightBound("dialer.api.max-changes-in-flight", maxInFlight, SheddingMetrics.shed());
  }

  public static LoadShedding get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system);
  }

  /**
   * Takes a place for one change; false (and counted as shed) when the node is at its bound. Every
   * true must be followed by exactly one {@link #exit()} when the change is answered or failed.
   */
  public boolean tryEnter() {
    return bound.tryEnter();
  }

  public void exit() {
    bound.exit();
  }

  public int maxInFlight() {
    return bound.max();
  }

  /** Changes refused since the node started (the benchmarks print it). */
  public long shedCount() {
    return bound.shedCount();
  }

  /** What a refused caller answers: 503 problem+json, {@code Retry-After} added by Problems. */
  public String busyDetail() {
    return "the node is busy ("
        + bound.max()
        + " changes in flight); retry after "
        + Problems.RETRY_AFTER_SECONDS
        + " s";
  }

  private static final class Id extends ExtensionId<LoadShedding> {
    private static final Id INSTANCE = new Id();

    @Override
    public LoadShedding createExtension(ActorSystem<?> system) {
      return new LoadShedding(
          system.settings().config().getInt("dialer.api.max-changes-in-flight"));
    }
  }
}
