package com.welcomedly.dialer.engine.compliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallingWindowTest {

  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final ZoneId LOS_ANGELES = ZoneId.of("America/Los_Angeles");
  private static final ZoneId MADRID = ZoneId.of("Europe/Madrid");

  @Test
  void theSameInstantIsOpenInOneZoneAndClosedInAnother() {
    Instant noonUtc = Instant.parse("2026-06-10T13:00:00Z"); // 09:00 New York, 06:00 LA
    CallingWindow window = CallingWindow.standard();
    assertTrue(window.openAt(noonUtc, NEW_YORK));
    assertFalse(window.openAt(noonUtc, LOS_ANGELES));
    assertTrue(window.openAt(noonUtc, MADRID)); // 15:00
  }

  @Test
  void startIsInclusiveEndIsExclusive() {
    CallingWindow window = CallingWindow.standard();
    assertTrue(window.openAt(Instant.parse("2026-06-10T12:00:00Z"), NEW_YORK)); // 08:00 EDT
    assertFalse(window.openAt(Instant.parse("2026-06-10T11:59:59Z"), NEW_YORK));
    assertFalse(window.openAt(Instant.parse("2026-06-11T01:00:00Z"), NEW_YORK)); // 21:00 EDT
    assertTrue(window.openAt(Instant.parse("2026-06-11T00:59:59Z"), NEW_YORK));
  }

  @Test
  void followsTheCalleesWallClockAcrossTheDstChange() {
    CallingWindow window = CallingWindow.standard();
    // 12:30 UTC is 07:30 EST on Saturday 7 March 2026: closed.
    assertFalse(window.openAt(Instant.parse("2026-03-07T12:30:00Z"), NEW_YORK));
    // Clocks spring forward on Sunday 8 March: the same 12:30 UTC is 08:30 EDT: open.
    assertTrue(window.openAt(Instant.parse("2026-03-08T12:30:00Z"), NEW_YORK));
    // And back in November: 12:30 UTC on 1 Nov 2026 is 07:30 EST again: closed.
    assertFalse(window.openAt(Instant.parse("2026-11-01T12:30:00Z"), NEW_YORK));
  }

  @Test
  void aWeekdayWithoutHoursIsClosedAllDay() {
    CallingWindow noSundays = CallingWindow.standard().closedOn(DayOfWeek.SUNDAY);
    assertFalse(noSundays.openAt(Instant.parse("2026-06-14T16:00:00Z"), NEW_YORK)); // Sunday noon
    assertTrue(noSundays.openAt(Instant.parse("2026-06-15T16:00:00Z"), NEW_YORK)); // Monday
  }

  @Test
  void reportsWindowsThatEndBeforeTheyStart() {
    assertEquals(
        7, CallingWindow.everyDay(LocalTime.of(21, 0), LocalTime.of(8, 0)).problems().size());
    assertTrue(CallingWindow.standard().problems().isEmpty());
  }

  @Test
  void attemptCapsRollInsteadOfResettingAtMidnight() {
    AttemptCap sevenInSevenDays = AttemptCap.of(7, Duration.ofDays(7));
    Instant first = Instant.parse("2026-06-01T15:00:00Z");
    List<Instant> seven =
        List.of(
            first,
            first.plus(Duration.ofDays(1)),
            first.plus(Duration.ofDays(2)),
            first.plus(Duration.ofDays(3)),
            first.plus(Duration.ofDays(4)),
            first.plus(Duration.ofDays(5)),
            first.plus(Duration.ofDays(6)));
    Instant justBefore = first.plus(Duration.ofDays(7)).minusSeconds(1);
    assertTrue(sevenInSevenDays.reachedAt(seven, justBefore));
    assertFalse(sevenInSevenDays.reachedAt(seven, first.plus(Duration.ofDays(7))));
    assertFalse(sevenInSevenDays.reachedAt(seven.subList(0, 6), justBefore));
  }

  @Test
  void dncComesBeforeEveryOtherRefusal() {
    DialPolicy policy = DialPolicy.standard();
    Instant closedAndLocked = Instant.parse("2026-06-10T03:00:00Z");
    assertEquals(
        "lead is on the do-not-call list",
        DialCompliance.refusal(true, null, List.of(), closedAndLocked, policy, closedAndLocked)
            .orElseThrow());
    assertTrue(
        DialCompliance.refusal(false, null, List.of(), null, policy, closedAndLocked)
            .orElseThrow()
            .contains("no timezone"));
  }

  @Test
  void lockoutAfterAnAbandonLastsExactlyThePolicysDuration() {
    DialPolicy policy = DialPolicy.standard(); // 72 h
    Instant abandoned = Instant.parse("2026-06-10T14:00:00Z");
    assertTrue(
        DialCompliance.refusal(
                false,
                "America/New_York",
                List.of(),
                abandoned,
                policy,
                abandoned.plus(Duration.ofHours(71)))
            .orElseThrow()
            .startsWith("post-abandon lockout"));
    assertTrue(
        DialCompliance.refusal(
                false,
                "America/New_York",
                List.of(),
                abandoned,
                policy,
                abandoned.plus(Duration.ofHours(72)))
            .isEmpty());
  }
}
