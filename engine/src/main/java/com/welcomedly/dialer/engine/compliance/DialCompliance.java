package com.welcomedly.dialer.engine.compliance;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * The regulatory checks before any dial, in precedence order: DNC first (it wins over everything,
 * even a callback the customer asked for), then a known timezone (no timezone, no way to respect
 * the calling window), the calling window in the callee's local time, the rolling attempt caps, and
 * the lockout after an abandoned call.
 */
public final class DialCompliance {

  private DialCompliance() {}

  /**
   * Why a dial at {@code now} is not allowed, or empty when it is.
   *
   * @param lastAbandonAt when this lead's last call was abandoned, or null
   */
  public static Optional<String> refusal(
      boolean dnc,
      String timezone,
      List<Instant> attemptTimes,
      Instant lastAbandonAt,
      DialPolicy policy,
      Instant now) {
    if (dnc) {
      return Optional.of("lead is on the do-not-call list");
    }
    if (timezone == null) {
      return Optional.of("lead has no timezone, its calling window is unknown");
    }
    if (!policy.callingWindow().openAt(now, ZoneId.of(timezone))) {
      return Optional.of(
          "outside the calling window in the lead's local time ("
              + now.atZone(ZoneId.of(timezone)).toLocalDateTime()
              + " "
              + timezone
              + ")");
    }
    Optional<String> cap = AttemptCap.firstReached(policy.attemptCaps(), attemptTimes, now);
    if (cap.isPresent()) {
      return cap;
    }
    if (lastAbandonAt != null && now.isBefore(lastAbandonAt.plus(policy.postAbandonLockout()))) {
      return Optional.of(
          "post-abandon lockout until " + lastAbandonAt.plus(policy.postAbandonLockout()));
    }
    return Optional.empty();
  }
}
