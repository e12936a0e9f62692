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

  /**
   * An agent's stored change: it leaves its old state's gauge and joins the new one, and a pause
   * (or a change of pause reason) counts once. Each node counts the agents it hosts; the
   * cluster-wide number is the sum over nodes, which is what a Prometheus {@code sum} shows.
   */
  static void moved(AgentState before, AgentState after) {
    if (before.status() != after.status()) {
      left(before);
      entered(after);
    }
    if (after.status() == Agent.Status.PAUSED
        && after.pauseReason() != null
        && (before.status() != Agent.Status.PAUSED
            || before.pauseReason() != after.pauseReason())) {
      pauses(after.pauseReason().name()).increment();
    }
  }

  /** The agent is now hosted here (recovered) in this state. */
  static void entered(AgentState state) {
    if (state.status() != Agent.Status.LOGGED_OUT) {
      agents(state.status().name()).increment();
    }
  }

  /** The agent left this state, or this node (passivated, rebalanced, stopped). */
  static void left(AgentState state) {
    if (state.status() != Agent.Status.LOGGED_OUT) {
      agents(state.status().name()).decrement();
    }
  }
}
