package com.welcomedly.dialer.engine.dialing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
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
}
