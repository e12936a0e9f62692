package com.welcomedly.dialer.engine.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The old -> new summaries of the change history, without a journal. */
class CampaignHistoryTest {

  private static final Instant AT = Instant.parse("2026-01-05T10:00:00Z");
  private static final CampaignConfig CONFIG =
      CampaignConfig.defaults("PJSIP/{number}@carrier", "+15550001111");

  @Test
  void aPacingChangeNamesEachLeverThatMoved() {
    CampaignConfig.Pacing before = CONFIG.pacing();
    CampaignConfig.Pacing after =
        new CampaignConfig.Pacing(
            CampaignConfig.DialMode.PREDICTIVE,
            2.0,
            before.abandonWindow(),
            before.maxLinesPerAgent(),
            before.powerRatio(),
            before.minReadyAgents());
    assertEquals(
        "pacing: mode PROGRESSIVE -> PREDICTIVE, targetAbandonPercent 3.0 -> 2.0",
        CampaignHistory.summary(new Campaign.PacingChanged("c", before, after, "sam", AT)));
  }

  @Test
  void aConfigChangeDescendsIntoNestedRecords() {
    CampaignConfig after =
        CONFIG
            .withRingTimeout(Duration.ofSeconds(30))
            .withPacing(
                new CampaignConfig.Pacing(
                    CampaignConfig.DialMode.POWER,
                    3.0,
                    CampaignConfig.AbandonWindow.US_30_DAY,
                    3,
                    1.5,
                    3));
    assertEquals(
        "config: pacing.mode PROGRESSIVE -> POWER, ringTimeout PT20S -> PT30S",
        CampaignHistory.summary(new Campaign.ConfigChanged("c", CONFIG, after, "ann", AT)));
  }

  @Test
  void lifecycleEventsSayTheTransitionAndTheReason() {
    assertEquals(
        "status: ACTIVE -> PAUSED (lunch)",
        CampaignHistory.summary(new Campaign.Paused("c", "lunch", "sam", AT)));
    assertEquals(
        "status: PAUSED -> FINISHED",
        CampaignHistory.summary(
            new Campaign.Finished("c", Campaign.Status.PAUSED, null, "sam", AT)));
  }
}
