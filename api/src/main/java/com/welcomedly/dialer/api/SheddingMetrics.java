package com.welcomedly.dialer.api;

import kamon.Kamon;
import kamon.metric.Counter;

/** The API's load shedding ({@link LoadShedding}): changes answered 503 instead of sent. */
final class SheddingMetrics {

  private static final Counter SHED =
      Kamon.counter(
              "dialer.api.changes.shed",
              "Entity changes the API refused with 503 + Retry-After because the node had"
                  + " dialer.api.max-changes-in-flight changes in flight")
          .withoutTags();

  private SheddingMetrics() {}

  static Counter shed() {
    return SHED;
  }
}
