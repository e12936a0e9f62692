package com.welcomedly.dialer.engine.health;

import kamon.Kamon;
import kamon.metric.Gauge;
import kamon.metric.Metric;

/** Node health instruments, fed by {@link NodeProbe}. */
public final class HealthMetrics {
  public static final String PROJECTION = "projection";

  private static final Metric.Gauge NODE_READY =
      Kamon.gauge(
          "dialer.node.ready", "1 while this node is an Up cluster member and its DB answers");
  private static final Metric.Gauge PROJECTION_LAG =
      Kamon.gauge(
          "dialer.projection.lag.seconds",
          "Age of the oldest journal event a projection has not processed yet (0: caught up)");
  private static final Metric.Gauge PROJECTION_BEHIND =
      Kamon.gauge(
          "dialer.projection.events.behind", "Journal events a projection has not processed yet");

  private HealthMetrics() {}

  public static Gauge nodeReady() {
    return NODE_READY.withoutTags();
  }

  /** {@code projection}: the projection's name (a fixed set, one per read model). */
  public static Gauge projectionLag(String projection) {
    return PROJECTION_LAG.withTag(PROJECTION, projection);
  }

  public static Gauge projectionBehind(String projection) {
    return PROJECTION_BEHIND.withTag(PROJECTION, projection);
  }
}
