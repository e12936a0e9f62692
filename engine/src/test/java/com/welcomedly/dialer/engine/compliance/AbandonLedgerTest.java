package com.welcomedly.dialer.engine.compliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AbandonLedgerTest {

  private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");

  private static void live(AbandonLedger l, Instant at, int n) {
    for (int i = 0; i < n; i++) {
      l.recordLiveAnswer(at);
    }
  }

  private static void abandon(AbandonLedger l, Instant at, int n) {
    for (int i = 0; i < n; i++) {
      l.recordLiveAnswer(at);
      l.recordAbandon(at);
    }
  }

  @Test
  void emptyLedgerIsUnderTheCap() {
    AbandonLedger.Status s = new AbandonLedger().status(T0);
    assertEquals(0, s.us30Days().liveAnswers());
    assertEquals(0.0, s.uk24Hours().rate());
    assertFalse(s.atOrOverCap());
  }

  @Test
  void rateIsAbandonedOverLiveAnswersAndTheCapIsInclusive() {
    AbandonLedger l = new AbandonLedger(0.03);
    live(l, T0, 97);
    abandon(l, T0, 2);
    AbandonLedger.Status under = l.status(T0.plusSeconds(1));
    assertEquals(99, under.us30Days().liveAnswers());
    assertEquals(2.0 / 99, under.us30Days().rate(), 1e-12);
    assertFalse(under.atOrOverCap());
    abandon(l, T0.plusSeconds(2), 1);
    AbandonLedger.Status at = l.status(T0.plusSeconds(3));
    assertEquals(0.03, at.us30Days().rate(), 1e-12); // 3 of 100: at the cap counts
    assertTrue(at.usAtOrOverCap());
    assertTrue(at.ukAtOrOverCap());
  }

  @Test
  void ukWindowRollsAfter24HoursWhileTheUsWindowStillCounts() {
    AbandonLedger l = new AbandonLedger(0.03);
    abandon(l, T0, 5); // a burst: 5 abandons
    live(l, T0.plus(Duration.ofHours(1)), 95);
    live(l, T0.plus(Duration.ofHours(20)), 100);
    // 23 h 59 m 59 s after the burst: still inside both windows (5 of 200 = 2.5 %)
    AbandonLedger.Status inside = l.status(T0.plus(Duration.ofHours(24)).minusSeconds(1));
    assertEquals(200, inside.uk24Hours().liveAnswers());
    assertEquals(5, inside.uk24Hours().abandoned());
    // one second after 24 h the burst's second has left the UK window only
    AbandonLedger.Status after = l.status(T0.plus(Duration.ofHours(24)).plusSeconds(1));
    assertEquals(195, after.uk24Hours().liveAnswers());
    assertEquals(0, after.uk24Hours().abandoned());
    assertEquals(200, after.us30Days().liveAnswers());
    assertEquals(5, after.us30Days().abandoned());
  }

  @Test
  void ukAtCapWhileUsIsUnder() {
    AbandonLedger l = new AbandonLedger(0.03);
    live(l, T0, 1000); // a good day
    abandon(l, T0.plus(Duration.ofDays(2)), 4);
    live(l, T0.plus(Duration.ofDays(2)), 96);
    AbandonLedger.Status s = l.status(T0.plus(Duration.ofDays(2)).plusSeconds(10));
    assertTrue(s.ukAtOrOverCap()); // 4 of 100 today
    assertFalse(s.usAtOrOverCap()); // 4 of 1100 this period
    assertTrue(s.atOrOverCap());
  }

  @Test
  void usRolling30DaysExpiresAtTheMinuteAfterThePeriod() {
    AbandonLedger l = new AbandonLedger(0.03);
    Instant t = Instant.parse("2026-03-01T09:00:30Z"); // mid-minute
    abandon(l, t, 3);
    live(l, t.plus(Duration.ofDays(10)), 97);
    Instant end = t.plus(Duration.ofDays(30));
    // the whole minute of the abandons stays until that minute is entirely older than 30 days
    AbandonLedger.Status lastMinute = l.status(end.plusSeconds(20)); // 09:00:50, 30 days later
    assertEquals(3, lastMinute.us30Days().abandoned());
    assertTrue(lastMinute.usAtOrOverCap());
    AbandonLedger.Status expired = l.status(end.plusSeconds(30)); // 09:01:00: minute has left
    assertEquals(0, expired.us30Days().abandoned());
    assertEquals(97, expired.us30Days().liveAnswers());
    assertFalse(expired.atOrOverCap());
  }

  @Test
  void guardTripsOneAbandonBeforeTheCap() {
    AbandonLedger l = new AbandonLedger(0.03);
    live(l, T0, 97);
    abandon(l, T0, 2); // 2 of 99: a third would make 3 of 100
    AbandonLedger.Status s = l.status(T0);
    assertFalse(s.atOrOverCap());
    assertTrue(s.usAtCapGuard());
    assertTrue(s.ukAtCapGuard());
    live(l, T0, 100); // 2 of 199
    assertFalse(l.status(T0).usAtCapGuard());
  }

  @Test
  void capMustBeAFraction() {
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> new AbandonLedger(3.0));
  }
}
