package com.welcomedly.dialer.engine.gamification;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class PointRulesTest {

  private static final PointRules RULES = PointRules.DEFAULTS;

  @Test
  void aSaleOnTimeEarnsContactSuccessAndAdherence() {
    assertEquals(1 + 5 + 1, RULES.forDisposition(true, true, false));
  }

  @Test
  void aContactWithoutSuccessAndAWrapUpTimeout() {
    assertEquals(1 + 1, RULES.forDisposition(true, false, false));
    assertEquals(1 - 2, RULES.forDisposition(true, false, true));
    assertEquals(-2, RULES.forDisposition(false, false, true));
    assertEquals(1, RULES.forDisposition(false, false, false));
  }

  @Test
  void talkCountsFullMinutesOnly() {
    assertEquals(0, RULES.forTalk(Duration.ofSeconds(59)));
    assertEquals(2, RULES.forTalk(Duration.ofSeconds(179)));
    assertEquals(0, RULES.forTalk(Duration.ofSeconds(-5)));
    assertEquals(9, new PointRules(0, 0, 3, 0, 0, 10).forTalk(Duration.ofMinutes(3)));
  }

  @Test
  void theDefaultsComeFromConfigAndACampaignOverridesKeyByKey() {
    var config =
        ConfigFactory.parseString("dialer.gamification.campaigns.\"spring.sale\".success = 10")
            .withFallback(ConfigFactory.load());
    assertEquals(RULES, PointRules.forCampaign(config, "other"));
    PointRules spring = PointRules.forCampaign(config, "spring.sale");
    assertEquals(10, spring.success());
    assertEquals(RULES.contact(), spring.contact());
    assertEquals(RULES.wrapUpTimeout(), spring.wrapUpTimeout());
  }

  @Test
  void periodsAreUtcDaysAndIsoWeeks() {
    Instant wednesdayLate = Instant.parse("2026-12-02T23:30:00Z");
    assertEquals(
        LocalDate.parse("2026-12-02"),
        LeaderboardQuery.firstDay(LeaderboardQuery.Period.TODAY, wednesdayLate));
    assertEquals(
        LocalDate.parse("2026-11-30"),
        LeaderboardQuery.firstDay(LeaderboardQuery.Period.WEEK, wednesdayLate));
    assertEquals(
        LocalDate.parse("2026-11-30"),
        LeaderboardQuery.firstDay(
            LeaderboardQuery.Period.WEEK, Instant.parse("2026-11-30T00:00:00Z")));
    assertEquals(null, LeaderboardQuery.firstDay(LeaderboardQuery.Period.CAMPAIGN, wednesdayLate));
  }
}
