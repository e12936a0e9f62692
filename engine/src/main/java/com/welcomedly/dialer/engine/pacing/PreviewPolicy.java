package com.welcomedly.dialer.engine.pacing;

import java.util.ArrayList;
import java.util.List;

/**
 * PREVIEW: each ready agent without a pending preview is offered one lead with its data; the agent
 * dials it or skips it within the timeout. The pacer itself dials nothing, so it cannot abandon.
 */
public enum PreviewPolicy implements PacingPolicy {
  INSTANCE;

  @Override
  public Proposal propose(PacingSnapshot s, PacingEstimator estimator) {
    double timeout = s.parameters().previewTimeoutSeconds();
    List<String> timedOut = new ArrayList<>();
    for (PacingSnapshot.Agent a : s.listedAgents()) {
      if (a.phase() == PacingSnapshot.AgentPhase.PREVIEWING && s.now() - a.since() >= timeout) {
        timedOut.add(a.id());
      }
    }
    // READY means "no preview pending" (an agent holding one is PREVIEWING); a live answer waiting
    // for an agent (a call dialed before a switch to preview) claims a ready agent first.
    int previews = Math.max(0, s.freeAgents());
    return new Proposal(0, previews, timedOut, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
  }
}
