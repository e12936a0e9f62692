package com.welcomedly.dialer.engine.pacing;

/** How a campaign paces its calls. */
public enum PacingMode {
  /** The agent sees the lead first and dials or skips it within a timeout. */
  PREVIEW,
  /** One call per ready agent: never abandons. */
  PROGRESSIVE,
  /** A fixed number of calls in flight per ready agent. */
  POWER,
  /** Model-based: dials while the predicted abandon probability of the next call is acceptable. */
  PREDICTIVE,
  /**
   * Voice broadcast: paced by the trunk's CPS and a concurrent-call cap ({@link AgentlessPacing}).
   */
  AGENTLESS
}
