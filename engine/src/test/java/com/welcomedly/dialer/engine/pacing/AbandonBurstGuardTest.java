package com.welcomedly.dialer.engine.pacing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.welcomedly.dialer.engine.compliance.AbandonLedger;
import com.welcomedly.dialer.engine.pacing.PacingSnapshot.Agent;
import com.welcomedly.dialer.engine.pacing.PacingSnapshot.AgentPhase;
import com.welcomedly.dialer.engine.pacing.PacingSnapshot.Call;
import com.welcomedly.dialer.engine.pacing.PacingSnapshot.CallPhase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The burst guard keeps out of normal running and throttles when the latest answers run hot. */
class AbandonBurstGuardTest {

  private static final double NOW = 10_000.0;
  private static final double TARGET = 0.03;
  private static final double LIVE_RATE = 0.25;

  /** Abandons the window may hold at the 3 % target (4 % of 500). */
  private static final int LIMIT =
      (int)
          Math.round(
              AbandonBurstGuard.BURST_SHARE_OF_TARGET * TARGET * AbandonBurstGuard.WINDOW_ANSWERS);

  private static final AbandonLedger.Status CLEAN =
      new AbandonLedger.Status(
          Instant.EPOCH,
          0.03,
          new AbandonLedger.WindowStatus(AbandonLedger.US_WINDOW, 10_000, 100, 0.01),
          new AbandonLedger.WindowStatus(AbandonLedger.UK_WINDOW, 10_000, 100, 0.01));

  /** A full window of answers with {@code abandons} abandons, the oldest first when asked. */
  private static RecentOutcomes window(int abandons, boolean abandonsOldest) {
    RecentOutcomes r = new RecentOutcomes(AbandonBurstGuard.WINDOW_ANSWERS);
    int clean = AbandonBurstGuard.WINDOW_ANSWERS - abandons;
    if (!abandonsOldest) {
      for (int i = 0; i < clean; i++) {
        r.record(false);
      }
    }
    for (int i = 0; i < abandons; i++) {
      r.record(true);
    }
    if (abandonsOldest) {
      for (int i = 0; i < clean; i++) {
        r.record(false);
      }
    }
    return r;
  }

  /**
   * 50 agents: 2 ready, the rest talking; {@code dialing} calls ringing, {@code waiting} waiting.
   */
  private static PacingSnapshot campaign(int dialing, int waiting) {
    List<Agent> agents = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      agents.add(new Agent("a" + i, i < 2 ? AgentPhase.READY : AgentPhase.TALK, NOW - 60));
    }
    List<Call> calls = new ArrayList<>();
    for (int i = 0; i < dialing; i++) {
      calls.add(new Call("d" + i, CallPhase.DIALING, NOW - 4));
    }
    for (int i = 0; i < waiting; i++) {
      calls.add(new Call("w" + i, CallPhase.ANSWERED_WAITING, NOW - 9));
    }
    return new PacingSnapshot(
        NOW, agents, calls, PacingParameters.defaults().withMode(PacingMode.PREDICTIVE), CLEAN);
  }

  @Test
  void normalRunningIsLeftAlone() {
    // 2.9 % of the latest 500 answers, nothing waiting
    assertEquals(1.0, AbandonBurstGuard.factor(campaign(8, 0), window(15, false), LIVE_RATE));
  }

  @Test
  void aHotWindowThrottlesTheThresholdDownToTheFloorAtTheLimit() {
    double warm = AbandonBurstGuard.factor(campaign(0, 0), window(LIMIT - 2, false), LIVE_RATE);
    double atLimit = AbandonBurstGuard.factor(campaign(0, 0), window(LIMIT, false), LIVE_RATE);
    assertTrue(warm < 1.0 && warm > atLimit, warm + " vs " + atLimit);
    assertEquals(AbandonBurstGuard.FLOOR, atLimit, 1e-12);
  }

  @Test
  void answersWaitingForAnAgentAreChargedAsAbandons() {
    RecentOutcomes r = window(LIMIT - 3, false);
    assertTrue(
        AbandonBurstGuard.factor(campaign(0, 2), r, LIVE_RATE)
            < AbandonBurstGuard.factor(campaign(0, 0), r, LIVE_RATE));
  }

  @Test
  void abandonsAboutToLeaveTheWindowAreCredited() {
    // the same count, but the abandons are the oldest answers: the answers in flight (40 dials at
    // a 25 % hit rate: 10) push 10 of them out of the window
    double recent = AbandonBurstGuard.factor(campaign(40, 0), window(LIMIT - 1, false), LIVE_RATE);
    double leaving = AbandonBurstGuard.factor(campaign(40, 0), window(LIMIT - 1, true), LIVE_RATE);
    assertTrue(leaving > recent, leaving + " vs " + recent);
    assertEquals(1.0, leaving);
  }

  @Test
  void thePacersThresholdDropsWhileTheLatestAnswersRunHot() {
    PacingSnapshot s =
        new PacingSnapshot(
            NOW,
            campaign(0, 0).agents(),
            List.of(),
            PacingParameters.defaults().withMode(PacingMode.PREDICTIVE),
            CLEAN);
    PacingEstimator calm = PacingFixtures.trained();
    PacingEstimator hot = PacingFixtures.trained();
    // outcomes observed before any predictive decision leave the threshold where it is
    for (int i = 0; i < AbandonBurstGuard.WINDOW_ANSWERS; i++) {
      calm.observeLiveAnswerOutcome(false);
      hot.observeLiveAnswerOutcome(i >= AbandonBurstGuard.WINDOW_ANSWERS - LIMIT);
    }
    PacingDecision c = Pacer.decide(s, calm, new TokenBucket());
    PacingDecision h = Pacer.decide(s, hot, new TokenBucket());
    assertTrue(h.threshold() < c.threshold(), h.explain() + " | " + c.explain());
  }
}
