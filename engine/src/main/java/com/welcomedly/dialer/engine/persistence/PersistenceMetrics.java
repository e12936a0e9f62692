package com.welcomedly.dialer.engine.persistence;

import kamon.Kamon;
import kamon.metric.Counter;
import kamon.metric.Metric;

/** Journal instruments: writes that did not reach PostgreSQL, by entity type (a few values). */
public final class PersistenceMetrics {
  public static final String ENTITY = "entity";
  public static final String KIND = "kind";

  private static final Metric.Counter WRITE_FAILURES =
      Kamon.counter(
          "dialer.journal.write.failures",
          "Events the journal failed to store (kind=failed) or rejected (kind=rejected)");

  private PersistenceMetrics() {}

  /**
   * {@code entity}: the entity type of the persistence id ({@code Lead}, {@code Campaign}, ...),
   * never the id itself.
   */
  public static Counter writeFailures(String entity, String kind) {
    return WRITE_FAILURES.withTag(ENTITY, entity).withTag(KIND, kind);
  }
}
