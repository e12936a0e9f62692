package com.welcomedly.dialer.engine.pacing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The ring of the latest live-answer outcomes the burst guard counts. */
class RecentOutcomesTest {

  @Test
  void countsTheAbandonsAmongTheLatestAnswersOnly() {
    RecentOutcomes r = new RecentOutcomes(5);
    r.record(true);
    r.record(false);
    r.record(true);
    assertEquals(3, r.size());
    assertEquals(2, r.abandons());
    r.record(false);
    r.record(false);
    r.record(false); // the first abandon leaves
    assertEquals(5, r.size());
    assertEquals(1, r.abandons());
  }

  @Test
  void creditsTheAbandonsThatLeaveAsTheNextAnswersArrive() {
    RecentOutcomes r = new RecentOutcomes(5);
    r.record(true); // oldest
    r.record(false);
    r.record(true);
    // not full: two more answers fit without pushing anything out
    assertEquals(0, r.abandonsLeavingAfter(2));
    // the third pushes out the oldest (an abandon), the fifth the next abandon
    assertEquals(1, r.abandonsLeavingAfter(3));
    assertEquals(2, r.abandonsLeavingAfter(5));
    r.record(false);
    r.record(false);
    r.record(false); // full; oldest now: false, true, false, false, false
    assertEquals(0, r.abandonsLeavingAfter(1));
    assertEquals(1, r.abandonsLeavingAfter(2));
    assertEquals(1, r.abandonsLeavingAfter(50));
  }
}
