package com.welcomedly.dialer.engine.dialing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.welcomedly.dialer.engine.campaign.CampaignConfig;
import com.welcomedly.dialer.engine.pacing.PacingParameters;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The pacing model waits for an agent exactly as long as the dialer's deadline timer does. */
class PacingSettingsTest {

  private static final CampaignConfig DEFAULTS =
      CampaignConfig.defaults("PJSIP/{number}@carrier", "+15550100");

  private static double modelWait(PacingParameters p) {
    return p.graceSeconds() - p.bridgeSeconds();
  }

  @Test
  void theModelWaitsTheConnectDeadlineMinusTheSafeHarborMargin() {
    PacingParameters p = PacingSettings.of(DEFAULTS, Duration.ofMillis(300));
    assertEquals(2.0, p.graceSeconds(), 1e-9);
    assertEquals(1.7, modelWait(p), 1e-9);
  }

  @Test
  void anotherMarginOrDeadlineMovesTheModelsWindowWithTheTimer() {
    assertEquals(1.5, modelWait(PacingSettings.of(DEFAULTS, Duration.ofMillis(500))), 1e-9);
    CampaignConfig longer = DEFAULTS.toBuilder().connectDeadline(Duration.ofSeconds(3)).build();
    assertEquals(2.7, modelWait(PacingSettings.of(longer, Duration.ofMillis(300))), 1e-9);
  }

  @Test
  void aMarginLargerThanTheDeadlineLeavesTheTimersMinimum() {
    CampaignConfig tight = DEFAULTS.toBuilder().connectDeadline(Duration.ofMillis(400)).build();
    assertEquals(
        SafeHarborTiming.MINIMUM.toMillis() / 1000.0,
        modelWait(PacingSettings.of(tight, Duration.ofMillis(600))),
        1e-9);
  }
}
