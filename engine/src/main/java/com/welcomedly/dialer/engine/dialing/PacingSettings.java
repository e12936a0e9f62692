package com.welcomedly.dialer.engine.dialing;

import com.welcomedly.dialer.engine.campaign.CampaignConfig;
import com.welcomedly.dialer.engine.pacing.PacingMode;
import com.welcomedly.dialer.engine.pacing.PacingParameters;

/**
 * The campaign's pacing levers as the pacer reads them, rebuilt at every decision (live control).
 */
final class PacingSettings {
  /** Agent leg already nailed up: bridging is one AMI action, a few hundred ms at most. */
  private static final double BRIDGE_SECONDS = 0.3;

  private PacingSettings() {}

  static PacingParameters of(CampaignConfig config) {
    CampaignConfig.Pacing pacing = config.pacing();
    return new PacingParameters(
        PacingMode.valueOf(pacing.mode().name()),
        pacing.targetAbandonPercent() / 100.0,
        pacing.maxLinesPerAgent(),
        pacing.powerRatio(),
        pacing.minReadyAgents(),
        0.0,
        0.0,
        config.connectDeadline().toMillis() / 1000.0,
        BRIDGE_SECONDS,
        config.previewTimeout().toMillis() / 1000.0);
  }
}
