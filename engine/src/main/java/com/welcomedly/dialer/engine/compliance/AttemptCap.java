package com.welcomedly.dialer.engine.compliance;

import com.welcomedly.dialer.engine.CborSerializable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * At most {@code maxAttempts} dial attempts per lead within any rolling {@code window} (e.g. 7 in 7
 * days, Regulation F). Rolling, not calendar: the oldest attempt drops out exactly one window after
 * it was placed.
 */
public record AttemptCap(int maxAttempts, Duration window) implements CborSerializable {

  public static AttemptCap of(int maxAttempts, Duration window) {
    return new AttemptCap(maxAttempts, window);
  }

  /** True when one more attempt at {@code now} would break this cap. */
  public boolean reachedAt(List<Instant> attemptTimes, Instant now) {
    Instant from = now.minus(window);
    long inWindow = attemptTimes.stream().filter(t -> t.isAfter(from)).count();
    return inWindow >= maxAttempts;
  }

  /**
   * When one more attempt would be allowed again: the moment enough of the attempts in the window
   * have left it (a window is {@code (t - window, t]}), or {@code now} when the cap is not reached.
   */
  public Instant freeAt(List<Instant> attemptTimes, Instant now) {
    Instant from = now.minus(window);
    List<Instant> inWindow = attemptTimes.stream().filter(t -> t.isAfter(from)).sorted().toList();
    if (inWindow.size() < maxAttempts) {
      return now;
    }
    return inWindow.get(inWindow.size() - maxAttempts).plus(window);
  }

  /** The first cap that refuses an attempt at {@code now}, as a human-readable reason. */
  public static Optional<String> firstReached(
      List<AttemptCap> caps, List<Instant> attemptTimes, Instant now) {
    return caps.stream()
        .filter(cap -> cap.reachedAt(attemptTimes, now))
        .findFirst()
        .map(cap -> "attempt cap reached: " + cap.maxAttempts() + " attempts in " + cap.window());
  }
}
