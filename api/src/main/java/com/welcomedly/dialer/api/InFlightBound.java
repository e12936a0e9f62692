package com.welcomedly.dialer.api;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import kamon.metric.Counter;

/**
 * A bound on work in flight on a node, without waiting: a caller takes a place or is refused at
 * once (and counted), so an overload is answered 503 + {@code Retry-After} instead of queued until
 * every request times out. {@link LoadShedding} bounds entity changes with one, the sign-ins'
 * {@code LoginCapacity} bcrypt checks with another.
 */
public final class InFlightBound {

  private final int max;
  private final Counter shedMetric;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong shed = new AtomicLong();

  public InFlightBound(String setting, int max, Counter shedMetric) {
    if (max < 1) {
      throw new IllegalArgumentException(setting + " must be at least 1");
    }
    this.max = max;
    this.shedMetric = shedMetric;
  }

  /** Takes a place; false (and counted) at the bound. Every true needs exactly one exit(). */
  public boolean tryEnter() {
    if (inFlight.incrementAndGet() > max) {
      inFlight.decrementAndGet();
      shed.incrementAndGet();
      shedMetric.increment();
      return false;
    }
    return true;
  }

  public void exit() {
    inFlight.decrementAndGet();
  }

  public int max() {
    return max;
  }

  /** Refusals since the node started. */
  public long shedCount() {
    return shed.get();
  }
}
