package com.welcomedly.dialer.engine.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.welcomedly.dialer.engine.evidence.AbandonWindows.LiveAnswer;
import com.welcomedly.dialer.engine.evidence.ComplianceReport.AbandonRate;
import com.welcomedly.dialer.engine.evidence.ComplianceReport.Figure;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AbandonWindowsTest {

  private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
  private static final Duration DAY = Duration.ofHours(24);

  private static LiveAnswer connected(long hours) {
    return new LiveAnswer(T0.plus(Duration.ofHours(hours)), false);
  }

  private static LiveAnswer abandoned(long hours) {
    return new LiveAnswer(T0.plus(Duration.ofHours(hours)), true);
  }

  @Test
  void thePeakIsFoundWhenAConnectedCallLeavesTheWindowNotOnlyWhenAnAbandonEnters() {
    // Two connected calls at 0 h and 2 h, an abandon at 10 h: 1 of 3. When the 0 h call leaves
    // the 24 h window (at 24 h) the rate rises to 1 of 2, and at 26 h to 1 of 1.
    List<LiveAnswer> answers = List.of(connected(0), connected(2), abandoned(10));
    AbandonRate rate =
        AbandonWindows.rate(
            "UK_24_HOURS",
            DAY,
            answers,
            T0.plus(Duration.ofHours(1)),
            T0.plus(Duration.ofHours(30)));
    assertEquals(new Figure(T0.plus(Duration.ofHours(26)), 1, 1, 100.0), rate.peak());
    assertEquals(
        new Figure(T0.plus(Duration.ofHours(30)).minusNanos(1), 1, 1, 100.0), rate.atEnd());
  }

  @Test
  void aWindowHoldsTheAnswersOfTheLastLengthEndingAtItsInstantInclusive() {
    List<LiveAnswer> answers = List.of(abandoned(0), connected(1), connected(2), connected(3));
    AbandonRate rate =
        AbandonWindows.rate("UK_24_HOURS", DAY, answers, T0, T0.plus(Duration.ofHours(4)));
    // At 0 h the abandon alone: 100 %, the earliest instant of the peak.
    assertEquals(new Figure(T0, 1, 1, 100.0), rate.peak());
    assertEquals(4, rate.atEnd().liveAnswers());
    assertEquals(25.0, rate.atEnd().percent());
  }

  @Test
  void noLiveAnswersIsZeroPercentAtThePeriodsStart() {
    AbandonRate rate = AbandonWindows.rate("US_30_DAYS", DAY, List.of(), T0, T0.plus(DAY));
    assertEquals(new Figure(T0, 0, 0, 0.0), rate.peak());
  }
}
