package com.welcomedly.dialer.engine.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The relay's age window: recent dispositions are summarized, history is not, 0 = backfill. */
class SummarySettingsTest {

  private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

  private static SummarySettings withMaxAge(String maxAge) {
    return SummarySettings.fromConfig(
        ConfigFactory.parseMap(Map.of("dialer.summary.max-age", maxAge))
            .withFallback(ConfigFactory.defaultReference())
            .resolve());
  }

  @Test
  void byDefaultOnlyTheLastDaysDispositionsAreSummarized() {
    SummarySettings settings =
        SummarySettings.fromConfig(ConfigFactory.defaultReference().resolve());
    assertEquals(Duration.ofHours(24), settings.maxAge());
    assertTrue(settings.isRecent(NOW.minusSeconds(5), NOW));
    assertTrue(settings.isRecent(NOW.minus(Duration.ofHours(24)), NOW));
    assertFalse(settings.isRecent(NOW.minus(Duration.ofHours(24)).minusMillis(1), NOW));
    assertFalse(settings.isRecent(NOW.minus(Duration.ofDays(400)), NOW));
  }

  @Test
  void zeroMeansEveryDispositionForADeliberateBackfill() {
    SummarySettings settings = withMaxAge("0s");
    assertTrue(settings.isRecent(NOW.minus(Duration.ofDays(4000)), NOW));
  }

  @Test
  void aShorterWindowIsHonoured() {
    SummarySettings settings = withMaxAge("10m");
    assertTrue(settings.isRecent(NOW.minus(Duration.ofMinutes(9)), NOW));
    assertFalse(settings.isRecent(NOW.minus(Duration.ofMinutes(11)), NOW));
  }
}
