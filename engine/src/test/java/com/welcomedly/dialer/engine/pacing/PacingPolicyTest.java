package com.welcomedly.dialer.engine.pacing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.welcomedly.dialer.engine.compliance.AbandonLedger;
import com.welcomedly.dialer.engine.pacing.PacingDecision.Interlock;
import com.welcomedly.dialer.engine.pacing.PacingSnapshot.Agent;
import com.welcomedly.dialer.engine.pacing.PacingSnapshot.AgentPhase;
import com.welcomedly.dialer.engine.pacing.PacingSnapshot.Call;
import com.welcomedly.dialer.engine.pacing.PacingSnapshot.CallPhase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Decisions of each mode and interlock on constructed states. */
class PacingPolicyTest {

  private static final double NOW = 10_000.0;

  /** A campaign with history well under the cap (1 % of 10,000 live answers). */
  private static final AbandonLedger.Status CLEAN =
      new AbandonLedger.Status(
          Instant.EPOCH,
          0.03,
          new AbandonLedger.WindowStatus(AbandonLedger.US_WINDOW, 10_000, 100, 0.01),
          new AbandonLedger.WindowStatus(AbandonLedger.UK_WINDOW, 10_000, 100, 0.01));

  private static List<Agent> agents(int ready, int talkingJustStarted, int wrappingLong) {
    List<Agent> a = new ArrayList<>();
    for (int i = 0; i < ready; i++) {
      a.add(new Agent("r" + i, AgentPhase.READY, NOW - 5));
    }
    for (int i = 0; i < talkingJustStarted; i++) {
      a.add(new Agent("t" + i, AgentPhase.TALK, NOW - 1));
    }
    for (int i = 0; i < wrappingLong; i++) {
      a.add(new Agent("w" + i, AgentPhase.WRAP, NOW - 18));
    }
    return a;
  }

  private static List<Call> dialing(int n, double age) {
    List<Call> c = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      c.add(new Call("c" + i, CallPhase.DIALING, NOW - age));
    }
    return c;
  }

  private static PacingSnapshot snapshot(
      List<Agent> agents, List<Call> calls, PacingParameters p, AbandonLedger.Status ledger) {
    return new PacingSnapshot(NOW, agents, calls, p, ledger);
  }

  /** An estimator that has seen the reference scenario's resolutions, talks and wraps. */
  private static PacingEstimator trained() {
    PacingEstimator e = new PacingEstimator();
    Random r = new Random(7);
    for (int i = 0; i < 2000; i++) {
      double u = r.nextDouble();
      double pdd = 1.5 + 2.5 * r.nextDouble();
      if (u < 0.25) {
        e.observeDialResolved(pdd + Math.min(20, 3 + 10 * r.nextDouble()), true);
      } else if (u < 0.5) {
        e.observeDialResolved(pdd + 2 * r.nextDouble(), false);
      } else {
        e.observeDialResolved(pdd + 20, false);
      }
    }
    for (int i = 0; i < 500; i++) {
      e.observeTalk(Math.exp(Math.log(150) - 0.35 + 0.83 * r.nextGaussian()));
      e.observeWrap(Math.exp(Math.log(20) - 0.11 + 0.47 * r.nextGaussian()));
    }
    return e;
  }

  private static PacingParameters params(PacingMode mode) {
    return PacingParameters.defaults().withMode(mode);
  }

  @Test
  void progressivePlacesOneCallPerFreeAgentCountingCallsInFlight() {
    List<Call> calls = new ArrayList<>(dialing(1, 5));
    calls.add(new Call("w", CallPhase.ANSWERED_WAITING, NOW - 10));
    PacingDecision d =
        Pacer.decide(
            snapshot(agents(4, 2, 0), calls, params(PacingMode.PROGRESSIVE), CLEAN),
            new PacingEstimator(),
            new TokenBucket());
    // 4 ready − 1 claimed by the waiting answer − 1 already dialing
    assertEquals(2, d.callsToPlace());
    assertEquals(PacingMode.PROGRESSIVE, d.effectiveMode());
    assertTrue(d.interlocks().isEmpty());
    assertEquals(4, d.agentsReady());
    assertEquals(2, d.agentsBusy());
    assertEquals(1, d.callsDialing());
    assertEquals(1, d.callsWaiting());
    assertTrue(Double.isNaN(d.threshold()));
  }

  @Test
  void progressiveNeverOverdials() {
    PacingDecision d =
        Pacer.decide(
            snapshot(agents(1, 5, 0), dialing(3, 5), params(PacingMode.PROGRESSIVE), CLEAN),
            new PacingEstimator(),
            new TokenBucket());
    assertEquals(0, d.callsToPlace());
  }

  @Test
  void powerKeepsTheRatioOfCallsPerFreeAgent() {
    PacingParameters p = params(PacingMode.POWER).withPowerRatio(2.5);
    PacingDecision d =
        Pacer.decide(
            snapshot(agents(2, 3, 0), dialing(1, 5), p, CLEAN),
            new PacingEstimator(),
            new TokenBucket());
    assertEquals(4, d.callsToPlace()); // floor(2.5 × 2) − 1
    assertEquals(PacingMode.POWER, d.effectiveMode());
  }

  @Test
  void previewOffersOneLeadPerReadyAgentAndReportsTimeouts() {
    List<Agent> a = new ArrayList<>(agents(2, 1, 0));
    a.add(new Agent("slow", AgentPhase.PREVIEWING, NOW - 31));
    a.add(new Agent("thinking", AgentPhase.PREVIEWING, NOW - 5));
    PacingDecision d =
        Pacer.decide(
            snapshot(a, List.of(), params(PacingMode.PREVIEW), CLEAN),
            new PacingEstimator(),
            new TokenBucket());
    assertEquals(0, d.callsToPlace());
    assertEquals(2, d.previewsToOffer());
    assertEquals(List.of("slow"), d.previewsTimedOut());
  }

  @Test
  void predictiveLearnsAtThePowerRatioFirst() {
    PacingDecision d =
        Pacer.decide(
            snapshot(agents(3, 10, 0), List.of(), params(PacingMode.PREDICTIVE), CLEAN),
            new PacingEstimator(),
            new TokenBucket());
    assertEquals(PacingMode.POWER, d.effectiveMode());
    assertTrue(d.interlocks().contains(Interlock.LEARNING));
    assertEquals(6, d.callsToPlace()); // 3 free agents × the default ratio 2
  }

  @Test
  void predictiveLearnsProgressivelyWhenAnotherInterlockIsOn() {
    PacingParameters p = params(PacingMode.PREDICTIVE).withMinAgentsForPredictive(5);
    PacingDecision d =
        Pacer.decide(
            snapshot(agents(3, 0, 0), List.of(), p, AbandonLedger.Status.empty(Instant.EPOCH)),
            new PacingEstimator(),
            new TokenBucket());
    assertEquals(PacingMode.PROGRESSIVE, d.effectiveMode());
    assertEquals(3, d.callsToPlace());
  }

  @Test
  void aFreshPowerCampaignHonoursItsRatioFromTheFirstCall() {
    PacingParameters p = params(PacingMode.POWER).withPowerRatio(2.0);
    PacingDecision d =
        Pacer.decide(
            snapshot(agents(3, 0, 0), List.of(), p, AbandonLedger.Status.empty(Instant.EPOCH)),
            new PacingEstimator(),
            new TokenBucket());
    assertEquals(PacingMode.POWER, d.effectiveMode(), d.explain());
    assertTrue(d.interlocks().isEmpty(), d.explain());
    assertEquals(6, d.callsToPlace());
  }

  @Test
  void aFreshCampaignsFirstAbandonsAreChargedAgainstTheBudgetOfAHundredAnswers() {
    AbandonLedger ledger = new AbandonLedger(0.03);
    Instant t = Instant.parse("2026-03-01T10:00:00Z");
    // 1 abandon in 5 live answers (20 %): a second one would still be 2 % of the budget basis
    for (int i = 0; i < 5; i++) {
      ledger.recordLiveAnswer(t);
    }
    ledger.recordAbandon(t);
    assertEquals(PacingMode.POWER, powerWith(ledger.status(t)).effectiveMode());
    // the second abandon: a third would reach 3 % of 100 — progressive until enough answers
    ledger.recordLiveAnswer(t);
    ledger.recordAbandon(t);
    PacingDecision two = powerWith(ledger.status(t));
    assertEquals(PacingMode.PROGRESSIVE, two.effectiveMode(), two.explain());
    assertTrue(two.interlocks().contains(Interlock.ABANDON_CAP_US_30_DAYS));
    assertTrue(two.interlocks().contains(Interlock.ABANDON_CAP_UK_24_HOURS));
    assertEquals(3, two.callsToPlace());
    for (int i = 0; i < 94; i++) {
      ledger.recordLiveAnswer(t); // 2 abandons in 100 answers: a third would make 3 of 101
    }
    assertEquals(PacingMode.POWER, powerWith(ledger.status(t)).effectiveMode());
  }

  /** A POWER campaign (default ratio 2) with 3 ready agents and this ledger. */
  private static PacingDecision powerWith(AbandonLedger.Status ledger) {
    return Pacer.decide(
        snapshot(agents(3, 0, 0), List.of(), params(PacingMode.POWER), ledger),
        new PacingEstimator(),
        new TokenBucket());
  }

  @Test
  void fromAHundredAnswersTheBudgetIsTheLedgersOwnGuard() {
    for (long answers = 99; answers < 400; answers += 7) {
      for (long abandoned = 0; abandoned < 15; abandoned++) {
        AbandonLedger.WindowStatus w =
            new AbandonLedger.WindowStatus(
                AbandonLedger.US_WINDOW, answers, abandoned, (double) abandoned / answers);
        assertEquals(
            w.oneAbandonFromCap(0.03),
            AbandonBudget.exhausted(w, 0.03),
            answers + " answers, " + abandoned + " abandoned");
      }
    }
  }

  @Test
  void predictiveOverdialsForReadyAgentsByAboutTheInverseHitRate() {
    PacingDecision d =
        Pacer.decide(
            snapshot(agents(5, 20, 0), List.of(), params(PacingMode.PREDICTIVE), CLEAN),
            trained(),
            new TokenBucket());
    assertEquals(PacingMode.PREDICTIVE, d.effectiveMode());
    // five free agents and a 25 % hit rate: more than one call each, but not a flood (the
    // threshold starts cautious)
    assertTrue(d.callsToPlace() > 5, d.explain());
    assertTrue(d.callsToPlace() < 60, d.explain());
    assertTrue(d.predictedAbandonNext() > d.threshold(), d.explain());
    assertTrue(d.predictedFreeAgents() >= 5, d.explain());
  }

  @Test
  void predictiveHoldsBackWhenCallsInFlightAlreadyCoverTheFreeAgents() {
    PacingEstimator est = trained();
    PacingDecision many =
        Pacer.decide(
            snapshot(agents(2, 20, 0), dialing(40, 3), params(PacingMode.PREDICTIVE), CLEAN),
            est,
            new TokenBucket());
    assertEquals(0, many.callsToPlace(), many.explain());
    assertTrue(many.predictedLiveAnswers() > 2, many.explain());
  }

  @Test
  void predictiveDialsAheadForAgentsLikelyToFreeUp() {
    PacingEstimator est = trained();
    // no one is ready; agents 18 s into a 20 s wrap-up vs. agents who just started talking
    PacingDecision fresh =
        Pacer.decide(
            snapshot(agents(0, 25, 0), List.of(), params(PacingMode.PREDICTIVE), CLEAN),
            est,
            new TokenBucket());
    PacingDecision late =
        Pacer.decide(
            snapshot(agents(0, 0, 25), List.of(), params(PacingMode.PREDICTIVE), CLEAN),
            est,
            new TokenBucket());
    assertTrue(
        late.callsToPlace() > fresh.callsToPlace(), fresh.explain() + " | " + late.explain());
    assertTrue(late.predictedFreeAgents() > fresh.predictedFreeAgents());
  }

  @Test
  void decisionsAreDeterministic() {
    PacingSnapshot s =
        snapshot(agents(4, 15, 6), dialing(7, 6), params(PacingMode.PREDICTIVE), CLEAN);
    PacingDecision a = Pacer.decide(s, trained(), new TokenBucket());
    PacingDecision b = Pacer.decide(s, trained(), new TokenBucket());
    assertEquals(a, b);
  }

  @Test
  void ledgerAtTheCapForcesProgressiveUntilBackUnder() {
    AbandonLedger ledger = new AbandonLedger(0.03);
    Instant t = Instant.parse("2026-03-01T10:00:00Z");
    for (int i = 0; i < 97; i++) {
      ledger.recordLiveAnswer(t);
    }
    for (int i = 0; i < 3; i++) {
      ledger.recordLiveAnswer(t);
      ledger.recordAbandon(t);
    }
    PacingEstimator est = trained();
    PacingDecision capped =
        Pacer.decide(
            snapshot(agents(5, 20, 0), List.of(), params(PacingMode.PREDICTIVE), ledger.status(t)),
            est,
            new TokenBucket());
    assertEquals(PacingMode.PROGRESSIVE, capped.effectiveMode());
    assertTrue(capped.interlocks().contains(Interlock.ABANDON_CAP_US_30_DAYS));
    assertTrue(capped.interlocks().contains(Interlock.ABANDON_CAP_UK_24_HOURS));
    assertEquals(5, capped.callsToPlace());
    ledger.recordLiveAnswer(t.plusSeconds(1)); // 3 of 101: under, but one abandon from the cap
    PacingDecision guarded =
        Pacer.decide(
            snapshot(
                agents(5, 20, 0),
                List.of(),
                params(PacingMode.PREDICTIVE),
                ledger.status(t.plusSeconds(2))),
            est,
            new TokenBucket());
    assertEquals(PacingMode.PROGRESSIVE, guarded.effectiveMode());
    for (int i = 0; i < 40; i++) {
      ledger.recordLiveAnswer(t.plusSeconds(1)); // 3 of 141: a 4th abandon would still be under
    }
    PacingDecision under =
        Pacer.decide(
            snapshot(
                agents(5, 20, 0),
                List.of(),
                params(PacingMode.PREDICTIVE),
                ledger.status(t.plusSeconds(2))),
            est,
            new TokenBucket());
    assertEquals(PacingMode.PREDICTIVE, under.effectiveMode());
  }

  @Test
  void tooFewAgentsFallsBackToProgressive() {
    PacingParameters p = params(PacingMode.POWER).withMinAgentsForPredictive(5);
    List<Agent> a = new ArrayList<>(agents(2, 2, 0));
    a.add(new Agent("p", AgentPhase.PAUSED, NOW - 100)); // paused agents do not count
    PacingDecision d = Pacer.decide(snapshot(a, List.of(), p, CLEAN), trained(), new TokenBucket());
    assertEquals(PacingMode.PROGRESSIVE, d.effectiveMode());
    assertTrue(d.interlocks().contains(Interlock.TOO_FEW_AGENTS));
    assertEquals(2, d.callsToPlace());
    assertEquals(4, d.agentsActive());
  }

  @Test
  void linesPerAgentCapCutsTheCalls() {
    PacingParameters p = params(PacingMode.POWER).withPowerRatio(5).withMaxLinesPerAgent(1.5);
    // 4 active agents → 6 lines; 2 agents talking + 1 dialing leave room for 3
    PacingDecision d =
        Pacer.decide(
            snapshot(agents(2, 2, 0), dialing(1, 2), p, CLEAN), trained(), new TokenBucket());
    assertEquals(9, d.wanted());
    assertEquals(3, d.callsToPlace());
    assertTrue(d.interlocks().contains(Interlock.LINES_CAP));
  }

  @Test
  void trunkTokenBucketSmoothsABurst() {
    PacingParameters p = params(PacingMode.PROGRESSIVE).withTrunkCap(2.0, 3.0);
    TokenBucket trunk = new TokenBucket();
    PacingDecision first =
        Pacer.decide(snapshot(agents(10, 0, 0), List.of(), p, CLEAN), trained(), trunk);
    assertEquals(3, first.callsToPlace()); // the burst depth
    assertTrue(first.interlocks().contains(Interlock.TRUNK_CPS));
    PacingSnapshot half = new PacingSnapshot(NOW + 0.5, agents(10, 0, 0), dialing(3, 0), p, CLEAN);
    assertEquals(1, Pacer.decide(half, trained(), trunk).callsToPlace()); // 0.5 s × 2/s
    assertFalse(
        Pacer.decide(snapshot(agents(1, 0, 0), List.of(), p, CLEAN), trained(), new TokenBucket())
            .interlocks()
            .contains(Interlock.TRUNK_CPS));
  }

  @Test
  void parameterChangesTakeEffectAtTheNextDecision() {
    PacingEstimator est = trained();
    TokenBucket trunk = new TokenBucket();
    List<Agent> a = agents(4, 10, 0);
    PacingDecision predictive =
        Pacer.decide(snapshot(a, List.of(), params(PacingMode.PREDICTIVE), CLEAN), est, trunk);
    PacingDecision progressive =
        Pacer.decide(snapshot(a, List.of(), params(PacingMode.PROGRESSIVE), CLEAN), est, trunk);
    assertTrue(predictive.callsToPlace() > 4);
    assertEquals(4, progressive.callsToPlace());
    // a lower target lowers the threshold at once
    double before = est.threshold();
    Pacer.decide(
        snapshot(a, List.of(), params(PacingMode.PREDICTIVE).withTargetAbandonRate(0.015), CLEAN),
        est,
        trunk);
    assertEquals(before / 2, est.threshold(), 1e-12);
  }

  @Test
  void feedbackLowersTheThresholdAfterAbandonsAndRaisesItAfterConnects() {
    PacingEstimator est = trained();
    Pacer.decide(
        snapshot(agents(4, 10, 0), List.of(), params(PacingMode.PREDICTIVE), CLEAN),
        est,
        new TokenBucket());
    double t0 = est.threshold();
    est.observeLiveAnswerOutcome(true);
    double t1 = est.threshold();
    assertTrue(t1 < t0);
    for (int i = 0; i < 50; i++) {
      est.observeLiveAnswerOutcome(false);
    }
    assertTrue(est.threshold() > t1);
  }
}
