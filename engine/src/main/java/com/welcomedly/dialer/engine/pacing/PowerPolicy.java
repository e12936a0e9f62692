package com.welcomedly.dialer.engine.pacing;

/**
 * POWER: a fixed ratio of calls in flight per free agent, {@code floor(ratio × free) − dialing}.
 * Simple and predictable, but the right ratio depends on the hit rate and team size, so it either
 * wastes agent time or abandons when those move; the predictive mode adapts instead.
 */
public enum PowerPolicy implements PacingPolicy {
  INSTANCE;

  @Override
  public Proposal propose(PacingSnapshot s, PacingEstimator estimator) {
    int free = Math.max(0, s.freeAgents());
    int goal = (int) Math.floor(s.parameters().powerRatio() * free + 1e-9);
    return Proposal.ofCalls(goal - s.count(PacingSnapshot.CallPhase.DIALING));
  }
}
