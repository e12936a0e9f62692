package com.welcomedly.dialer.engine.dialing;

import com.typesafe.config.Config;
import java.time.Duration;
import java.time.Instant;

/**
 * When the connect deadline fires. The rule (US 47 CFR 64.1200(a)(7), UK Ofcom) is that a live
 * answer hears an agent — or the safe-harbor message — within 2 seconds of the answer. The message
 * does not start the instant the dialer decides: the answer event reaches the dialer a little after
 * the PBX answered, the Setvar + Redirect travel over AMI, and Asterisk opens the sound file before
 * the first frame plays. Against a real Asterisk 22 these added 33–61 ms (issue 17: redirect
 * landing 2,033–2,061 ms after answer with a 2.000 s timer), and a loaded node adds scheduling and
 * GC pauses on top. So the timer fires {@code dialer.dialing.safe-harbor-margin} (default 300 ms:
 * five times the worst latency measured on a quiet machine) before the campaign's connect deadline.
 */
final class SafeHarborTiming {
  private SafeHarborTiming() {}

  /** The shortest timer we set, whatever the margin: a bridge needs some time to happen at all. */
  static final Duration MINIMUM = Duration.ofMillis(100);

  static Duration margin(Config config) {
    Duration margin = config.getDuration("dialer.dialing.safe-harbor-margin");
    if (margin.isNegative()) {
      throw new IllegalArgumentException("dialer.dialing.safe-harbor-margin must not be negative");
    }
    return margin;
  }

  /**
   * The timer after answer: the connect deadline minus the margin, never below {@link #MINIMUM}.
   */
  static Duration deadlineTimer(Duration connectDeadline, Duration margin) {
    Duration timer = connectDeadline.minus(margin);
    return timer.compareTo(MINIMUM) < 0 ? MINIMUM : timer;
  }

  /**
   * A bridge after the connect deadline: the caller waited longer than the rule allows, so the call
   * is an abandon under the regulators' definition even though an agent now talks to them (the
   * deadline timer does not fire while an agent is being reserved and bridged).
   */
  static boolean late(Instant answeredAt, Instant bridgedAt, Duration connectDeadline) {
    return Duration.between(answeredAt, bridgedAt).compareTo(connectDeadline) > 0;
  }
}
