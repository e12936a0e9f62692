package com.welcomedly.dialer.engine.dialing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The admission rules on a clock the test moves: ramp, ceiling, restart, persists in flight. */
class AdmissionTest {

  private static final Admission.Settings SETTINGS = new Admission.Settings(10, 2.0, 100, 50);
  private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

  @Test
  void aBurstRampsUpInsteadOfStartingAtOnce() {
    Admission admission = new Admission(SETTINGS);
    int[] perSecond = new int[8];
    for (int ms = 0; ms < 8000; ms += 50) {
      // The pacer wants 1,000 calls at every decision (1,000 agents ready at once).
      perSecond[ms / 1000] += admission.admit(T0.plusMillis(ms), 1000, 0);
    }
    assertTrue(perSecond[0] <= 10 + 3, "first second at the floor: " + perSecond[0]);
    for (int s = 1; s < perSecond.length; s++) {
      assertTrue(
          perSecond[s] <= Math.max(10, 2 * perSecond[s - 1]) + 25 + 1,
          "second " + s + " at most doubles: " + java.util.Arrays.toString(perSecond));
      assertTrue(perSecond[s] <= 100 + 25 + 1, "never above the ceiling");
    }
    assertTrue(perSecond[7] >= 90, "full speed within seconds: " + perSecond[7]);
  }

  @Test
  void noCallStartsWhileTooManyPersistsAreInFlight() {
    Admission admission = new Admission(SETTINGS);
    assertEquals(0, admission.admit(T0, 5, 50));
    assertEquals(1, admission.admit(T0.plusSeconds(1), 5, 49));
  }

  @Test
  void aSecondHeldBackByPersistsInFlightKeepsItsRate() {
    Admission admission = new Admission(SETTINGS);
    int ms = 0;
    for (; ms < 10_000; ms += 50) {
      admission.admit(T0.plusMillis(ms), 1000, 0);
    }
    assertEquals(100, admission.rate());
    // The journal is slow: persists in flight at the bound for two seconds, a few admitted.
    for (; ms < 12_000; ms += 50) {
      admission.admit(T0.plusMillis(ms), 1000, ms % 1000 == 0 ? 45 : 50);
    }
    assertEquals(100, admission.rate(), "the rate is kept, not cut to twice what passed");
    // The journal caught up: a full quarter second's calls at once, at the kept rate.
    assertEquals(25, admission.admit(T0.plusMillis(ms), 1000, 0));
    assertEquals(100, admission.rate());
  }

  @Test
  void aSecondWithLittleWantedStillSetsTheNextRate() {
    Admission admission = new Admission(SETTINGS);
    int ms = 0;
    for (; ms < 10_000; ms += 50) {
      admission.admit(T0.plusMillis(ms), 1000, 0);
    }
    for (; ms < 11_050; ms += 50) {
      admission.admit(T0.plusMillis(ms), 1, 0); // the pacer wants one call at a time
    }
    assertTrue(
        admission.rate() < 100, "demand, not the journal, set the second: " + admission.rate());
  }

  @Test
  void aSlowDecisionKeepsTheRateAndAQuietOneStartsTheRampAgain() {
    Admission admission = new Admission(SETTINGS);
    int ms = 0;
    for (; ms < 10_000; ms += 50) {
      admission.admit(T0.plusMillis(ms), 1000, 0);
    }
    assertEquals(100, admission.rate());
    // No decision for 2.5 s while the dialer still wanted calls (a hopper query under load).
    ms += 2_500;
    assertEquals(25, admission.admit(T0.plusMillis(ms), 1000, 0), "a full quarter second's calls");
    assertEquals(100, admission.rate(), "kept: the dialer was busy, not quiet");
    // Then the campaign pauses (the dialer wants nothing) and resumes 3 s later: a ramp again.
    admission.quiet();
    ms += 3_000;
    admission.admit(T0.plusMillis(ms), 1000, 0);
    assertEquals(10, admission.rate());
  }

  @Test
  void aQuietSpellStartsTheRampAgain() {
    Admission admission = new Admission(SETTINGS);
    for (int ms = 0; ms < 10_000; ms += 50) {
      admission.admit(T0.plusMillis(ms), 1000, 0);
    }
    assertEquals(100, admission.rate());
    // Nothing wanted for a while (an interlock held dialing): the next burst ramps from the floor.
    for (int ms = 10_000; ms < 15_000; ms += 50) {
      admission.admit(T0.plusMillis(ms), 0, 0);
    }
    assertEquals(10, admission.rate());
  }

  @Test
  void eachSecondIsRecordedWithItsRateAndWhatItAdmitted() {
    Admission admission = new Admission(SETTINGS);
    assertEquals(0, admission.windows().size(), "nothing asked yet");
    for (int ms = 0; ms < 1000; ms += 100) {
      admission.admit(T0.plusMillis(ms), 1000, 0); // 2.5 tokens at first, then 1 per 100 ms
    }
    admission.admit(T0.plusMillis(1000), 1000, 0);
    admission.quiet(); // the dialer wants nothing for a while (paused, nothing to dial)
    admission.admit(T0.plusMillis(4000), 1000, 0); // after a quiet spell: a new ramp
    var windows = admission.windows();
    assertEquals(
        java.util.List.of(
            new AdmissionWindow(T0, 10, 11, 10, 0, 0, 0),
            new AdmissionWindow(T0.plusMillis(1000), 22, 2, 1, 0, 0, 0),
            new AdmissionWindow(T0.plusMillis(4000), 10, 2, 1, 0, 0, 0)),
        windows,
        "twice what the first second admitted, then back at the floor");
  }

  @Test
  void theDefaultsComeFromTheEngineConfig() {
    Admission.Settings defaults = Admission.Settings.fromConfig(ConfigFactory.load());
    assertTrue(defaults.ceiling() >= defaults.floor() && defaults.growth() > 1);
  }
}
