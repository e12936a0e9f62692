package com.welcomedly.dialer.engine.pacing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.welcomedly.dialer.engine.pacing.PacingSnapshot.AgentPhase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The observation path's derivations: talk and wrap-up from phase reports, seeding. */
class PacingObserverTest {

  private static double[] fitted(PacingEstimator e) {
    return new double[] {e.talkMean(), e.wrapMean()};
  }

  @Test
  void talkAndWrapComeFromTransitionsWhateverTheSourceOrder() {
    PacingEstimator estimator = new PacingEstimator();
    PacingObserver o = new PacingObserver(estimator);
    for (int i = 0; i < 200; i++) {
      double t = i * 1000.0;
      o.agentState("a", AgentPhase.READY, t);
      o.agentState("a", AgentPhase.CONNECTING, t + 1);
      o.agentState("a", AgentPhase.TALK, t + 2); // the dialer's bridge
      o.agentState("a", AgentPhase.TALK, t + 2.05); // the agent's own ON_CALL, polled: same stretch
      o.agentState("a", AgentPhase.WRAP, t + 102); // the dialer's hang-up
      o.agentState("a", AgentPhase.TALK, t + 2.05); // a stale poll: ignored
      o.agentState("a", AgentPhase.WRAP, t + 102.03); // the agent's WRAP_UP, polled
      o.agentState("a", i % 2 == 0 ? AgentPhase.READY : AgentPhase.PAUSED, t + 112);
    }
    double[] means = fitted(estimator);
    assertEquals(100.0, means[0], 1e-3);
    assertEquals(10.0, means[1], 1e-3);
  }

  @Test
  void anAgentThatLeftStartsAfresh() {
    PacingEstimator estimator = new PacingEstimator();
    PacingObserver o = new PacingObserver(estimator);
    for (int i = 0; i < 100; i++) {
      double t = i * 1000.0;
      o.agentState("a", AgentPhase.TALK, t);
      o.agentState("a", AgentPhase.WRAP, t + 50);
      o.agentGone("a"); // logged out in wrap-up: that wrap-up is not a sample
      o.agentState("a", AgentPhase.READY, t + 500);
    }
    double[] means = fitted(estimator);
    assertEquals(50.0, means[0], 1e-3);
    assertEquals(PacingEstimator.Priors.defaults().wrapMean(), means[1], 1e-3);
  }

  @Test
  void aSeedEndsLearningAndCarriesTheLaws() {
    List<PacingObserver.Resolution> dials = new ArrayList<>();
    List<Double> talks = new ArrayList<>();
    List<Double> wraps = new ArrayList<>();
    List<Boolean> outcomes = new ArrayList<>();
    for (int i = 0; i < Pacer.RESOLUTIONS_BEFORE_PREDICTIVE; i++) {
      dials.add(new PacingObserver.Resolution(10.0, i % 4 == 0));
      talks.add(150.0);
      wraps.add(20.0);
      outcomes.add(i % 50 == 0);
    }
    PacingEstimator estimator = new PacingEstimator();
    new PacingObserver(estimator).seed(new PacingObserver.History(dials, talks, wraps, outcomes));
    assertEquals(Pacer.RESOLUTIONS_BEFORE_PREDICTIVE, estimator.resolutionsSeen());
    double[] means = fitted(estimator);
    assertEquals(150.0, means[0], 1e-3);
    assertEquals(20.0, means[1], 1e-3);
    assertTrue(estimator.observedAbandonRate() > 0.0);
  }
}
