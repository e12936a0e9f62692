package com.welcomedly.dialer.engine.agent;

import kamon.Kamon;
import kamon.metric.Counter;
import kamon.metric.Gauge;
import kamon.metric.Metric;

/** Agent-side instruments: how many agents sit in each state, and why they pause. */
public final class AgentMetrics {
  public static final String STATE = "state";
  public static final String REASON = "reason";

  private static final Metric.Gauge AGENTS_BY_STATE =
      Kamon.gauge("dialer.agents", "Logged-in agents by state");
  private static final Metric.Counter PAUSES =
      Kamon.counter("dialer.agent.pauses", "Agent pauses by reason");
  private static final Metric.Counter WRAP_UP_TIMEOUTS =
      Kamon.counter("dialer.agent.wrapup.timeouts", "Wrap-ups closed by the timeout disposition");

  private AgentMetrics() {}

  public static Gauge agents(String state) {
    return AGENTS_BY_STATE.withTag(STATE, state);
  }

  public static Counter pauses(String reason) {
    return PAUSES.withTag(REASON, reason);
  }

  public static Counter wrapUpTimeouts() {
    return WRAP_UP_TIMEOUTS.withoutTags();
  }
}
