package com.welcomedly.dialer.engine.dialing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SafeHarborTimingTest {

  @Test
  void theDeadlineFiresTheMarginBeforeTheTwoSecondRule() {
    Duration margin = SafeHarborTiming.margin(ConfigFactory.load());
    assertEquals(Duration.ofMillis(300), margin);
    assertEquals(
        Duration.ofMillis(1700), SafeHarborTiming.deadlineTimer(Duration.ofSeconds(2), margin));
  }

  @Test
  void aMarginLargerThanTheDeadlineStillLeavesTimeToBridge() {
    assertEquals(
        SafeHarborTiming.MINIMUM,
        SafeHarborTiming.deadlineTimer(Duration.ofMillis(300), Duration.ofMillis(300)));
    assertEquals(
        Duration.ofSeconds(2),
        SafeHarborTiming.deadlineTimer(Duration.ofSeconds(2), Duration.ZERO));
  }

  @Test
  void aNegativeMarginIsRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            SafeHarborTiming.margin(
                ConfigFactory.parseString("dialer.dialing.safe-harbor-margin = -1ms")));
  }

  @Test
  void aBridgeAfterTheConnectDeadlineIsLate() {
    Instant answered = Instant.parse("2026-12-02T10:00:00Z");
    Duration deadline = Duration.ofSeconds(2);
    assertFalse(SafeHarborTiming.late(answered, answered.plusMillis(40), deadline));
    assertFalse(SafeHarborTiming.late(answered, answered.plus(deadline), deadline));
    assertTrue(SafeHarborTiming.late(answered, answered.plusMillis(2001), deadline));
    assertTrue(SafeHarborTiming.late(answered, answered.plusSeconds(10), deadline));
  }
}
