package com.welcomedly.dialer.engine.projection;

import kamon.Kamon;
import kamon.metric.Counter;
import kamon.metric.Metric;

/** The read side's instruments, declared once. */
public final class ProjectionMetrics {
  public static final String PROJECTION = "projection";

  private static final Metric.Counter SKIPPED =
      Kamon.counter(
          "dialer.projection.skipped.events",
          "Events a read model could not store and skipped instead of stopping");

  private ProjectionMetrics() {}

  public static Counter skipped(String projection) {
    return SKIPPED.withTag(PROJECTION, projection);
  }
}
