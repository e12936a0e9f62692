package com.welcomedly.dialer.engine.pacing;

/**
 * PROGRESSIVE: exactly one call in flight per free agent. Every answer has an agent reserved for
 * it, so it never abandons; it is also every interlock's fallback.
 */
public enum ProgressivePolicy implements PacingPolicy {
  INSTANCE;

  @Override
  public Proposal propose(PacingSnapshot s, PacingEstimator estimator) {
    return Proposal.ofCalls(s.freeAgents() - s.count(PacingSnapshot.CallPhase.DIALING));
  }
}
