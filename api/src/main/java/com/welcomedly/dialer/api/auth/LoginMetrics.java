package com.welcomedly.dialer.api.auth;

import kamon.Kamon;
import kamon.metric.Counter;

/** Sign-ins refused by {@link LoginCapacity}: answered 503 instead of checked. */
final class LoginMetrics {

  private static final Counter SHED =
      Kamon.counter(
              "dialer.api.logins.shed",
              "Logins answered 503 + Retry-After without being checked because the node had"
                  + " dialer.auth.max-logins-in-flight logins being checked")
          .withoutTags();

  private LoginMetrics() {}

  static Counter shed() {
    return SHED;
  }
}
