package com.welcomedly.dialer.engine.dialing;

import com.welcomedly.dialer.engine.campaign.CampaignConfig;
import com.welcomedly.dialer.engine.pacing.PacingMode;
import com.welcomedly.dialer.engine.pacing.PacingParameters;
import java.time.Duration;

/**
 * The campaign's pacing levers as the pacer reads them, rebuilt at every decision (live control).
 *
 * <p>The predictive model needs how long a live answer may wait for an agent to free up: {@code
 * grace − bridge}. The dialer abandons an answer when no agent was reserved for it by its deadline
 * timer, which fires the safe-harbor margin before the connect deadline ({@link
 * SafeHarborTiming#deadlineTimer}); the bridge itself happens after the reservation, inside that
 * margin. So the grace is the connect deadline (the legal window) and the part of it the answer
 * cannot wait — the "bridge" of the model — is the deadline minus the timer: with the defaults 2 s
 * − 1.7 s = 300 ms. A campaign or node with another deadline or margin paces on its own window.
 */
final class PacingSettings {
  private PacingSettings() {}

  static PacingParameters of(CampaignConfig config, Duration safeHarborMargin) {
    CampaignConfig.Pacing pacing = config.pacing();
    Duration deadline = config.connectDeadline();
    Duration wait = SafeHarborTiming.deadlineTimer(deadline, safeHarborMargin);
    return new PacingParameters(
        PacingMode.valueOf(pacing.mode().name()),
        pacing.targetAbandonPercent() / 100.0,
        pacing.maxLinesPerAgent(),
        pacing.powerRatio(),
        pacing.minReadyAgents(),
        0.0,
        0.0,
        seconds(deadline),
        Math.max(0.0, seconds(deadline.minus(wait))),
        seconds(config.previewTimeout()));
  }

  private static double seconds(Duration d) {
    return d.toMillis() / 1000.0;
  }
}
