package com.welcomedly.dialer.engine.pacing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.welcomedly.dialer.engine.compliance.AbandonLedger;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The feedback loop's aim follows the ledger's windows onto a set-point a margin under the cap. */
class AbandonAimTest {

  private static final double TARGET = 0.03;
  private static final double SETPOINT = AbandonAim.SETPOINT_SHARE * TARGET;

  private static AbandonLedger.WindowStatus window(long answers, long abandoned) {
    return new AbandonLedger.WindowStatus(
        AbandonLedger.UK_WINDOW,
        answers,
        abandoned,
        answers == 0 ? 0 : (double) abandoned / answers);
  }

  private static AbandonLedger.Status ledger(
      AbandonLedger.WindowStatus us30Days, AbandonLedger.WindowStatus uk24Hours) {
    return new AbandonLedger.Status(Instant.EPOCH, 0.03, us30Days, uk24Hours);
  }

  /** Both windows hold the same history. */
  private static AbandonLedger.Status ledger(long answers, long abandoned) {
    return ledger(window(answers, abandoned), window(answers, abandoned));
  }

  @Test
  void withoutALedgerTheAimTracksTheCampaignsOwnRateOntoTheSetpoint() {
    assertEquals(SETPOINT, AbandonAim.aim(TARGET, SETPOINT, null, 50), 1e-12);
    assertEquals(SETPOINT - 0.005, AbandonAim.aim(TARGET, SETPOINT + 0.005, null, 50), 1e-12);
    assertEquals(SETPOINT + 0.005, AbandonAim.aim(TARGET, SETPOINT - 0.005, null, 50), 1e-12);
    // a large excess is paid back at a floor, never by stopping altogether
    assertEquals(0.2 * SETPOINT, AbandonAim.aim(TARGET, 0.5, null, 50), 1e-12);
  }

  @Test
  void aSmallWindowIsSteeredAMarginOfAbandonsUnderTheCap() {
    // 1,000 answers at 2.9 %: the window's set-point is 3 % − 4 abandons / 1,000 = 2.6 %, and the
    // window is 0.3 point over it, so the aim is 2.3 % although the campaign's own rate is on aim
    double aim = AbandonAim.aim(TARGET, SETPOINT, ledger(1_000, 29), 10);
    assertEquals(0.026 - 0.003, aim, 1e-12);
  }

  @Test
  void aFullWindowRunsCloseToTheTarget() {
    double small = AbandonAim.aim(TARGET, SETPOINT, ledger(2_000, 56), 50);
    double full = AbandonAim.aim(TARGET, SETPOINT, ledger(40_000, 1_120), 50);
    assertTrue(full > small, full + " vs " + small);
    // the full window's margin is 0.01 point: the campaign's own set-point binds
    assertEquals(SETPOINT, full, 1e-9);
  }

  @Test
  void theMarginGrowsWithTheTeam() {
    AbandonLedger.Status l = ledger(2_000, 56);
    assertTrue(AbandonAim.aim(TARGET, SETPOINT, l, 200) < AbandonAim.aim(TARGET, SETPOINT, l, 10));
    assertEquals(AbandonAim.MARGIN_MIN_ABANDONS, AbandonAim.margin(10), 1e-12);
    assertEquals(16.0, AbandonAim.margin(200), 1e-12);
  }

  @Test
  void theTighterWindowDecides() {
    // the 30-day window is clean, the last 24 hours ran hot: the aim follows the 24 h window
    AbandonLedger.Status hot24h = ledger(window(50_000, 1_000), window(2_000, 58));
    double aim = AbandonAim.aim(TARGET, SETPOINT, hot24h, 10);
    assertEquals(2 * (0.03 - 4.0 / 2_000) - 0.029, aim, 1e-12);
  }

  @Test
  void aWindowStillFillingIsLeftToTheCapInterlock() {
    // under 300 answers a window's rate is too coarse to steer on
    assertEquals(SETPOINT, AbandonAim.aim(TARGET, SETPOINT, ledger(200, 8), 10), 1e-12);
  }
}
