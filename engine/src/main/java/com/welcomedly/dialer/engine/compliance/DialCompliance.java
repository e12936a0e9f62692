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

  /** The regulatory rule behind a refusal; its name is persisted in {@code Lead.DialRefused}. */
  public enum Rule {
    DNC,
    NO_TIMEZONE,
    CALLING_WINDOW,
    ATTEMPT_CAP,
    ABANDON_LOCKOUT
  }

  /**
   * A dial refused by a rule. {@code retryAt} is the first instant the rule could allow the lead
   * again (null: not by itself, e.g. DNC), so the hopper can stop offering it until then.
   */
  public record Refusal(Rule rule, String reason, Instant retryAt) {}

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
    return check(dnc, timezone, attemptTimes, lastAbandonAt, policy, now).map(Refusal::reason);
  }

  /** {@link #refusal} with the rule that refused and when it could allow the lead again. */
  public static Optional<Refusal> check(
      boolean dnc,
      String timezone,
      List<Instant> attemptTimes,
      Instant lastAbandonAt,
      DialPolicy policy,
      Instant now) {
    if (dnc) {
      return Optional.of(new Refusal(Rule.DNC, "lead is on the do-not-call list", null));
    }
    if (timezone == null) {
      return Optional.of(
          new Refusal(
              Rule.NO_TIMEZONE, "lead has no timezone, its calling window is unknown", null));
    }
    ZoneId zone = ZoneId.of(timezone);
    if (!policy.callingWindow().openAt(now, zone)) {
      return Optional.of(
          new Refusal(
              Rule.CALLING_WINDOW,
              "outside the calling window in the lead's local time ("
                  + now.atZone(zone).toLocalDateTime()
                  + " "
                  + timezone
                  + ")",
              policy.callingWindow().nextOpening(now, zone)));
    }
    for (AttemptCap cap : policy.attemptCaps()) {
      if (cap.reachedAt(attemptTimes, now)) {
        return Optional.of(
            new Refusal(
                Rule.ATTEMPT_CAP,
                "attempt cap reached: " + cap.maxAttempts() + " attempts in " + cap.window(),
                cap.freeAt(attemptTimes, now)));
      }
    }
    if (lastAbandonAt != null && now.isBefore(lastAbandonAt.plus(policy.postAbandonLockout()))) {
      Instant until = lastAbandonAt.plus(policy.postAbandonLockout());
      return Optional.of(
          new Refusal(Rule.ABANDON_LOCKOUT, "post-abandon lockout until " + until, until));
    }
    return Optional.empty();
  }
}
