package com.welcomedly.dialer.api.drill;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Polls another process's observable state (HTTP, the journal) until a condition holds, as the
 * TestKit's awaitAssert does for actors: the drill waits for what happened, never for a fixed time.
 */
final class Await {
  private static final Duration INTERVAL = Duration.ofMillis(200);

  private Await() {}

  /** The first non-empty value within {@code timeout}, or an AssertionError naming {@code what}. */
  static <T> T value(String what, Duration timeout, Supplier<Optional<T>> probe) {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      Optional<T> value = probe.get();
      if (value.isPresent()) {
        return value.get();
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError(what + ": not within " + timeout);
      }
      NodeProcess.pause(INTERVAL);
    }
  }

  static void until(String what, Duration timeout, Supplier<Boolean> condition) {
    value(what, timeout, () -> condition.get() ? Optional.of(true) : Optional.empty());
  }
}
