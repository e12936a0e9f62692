package com.welcomedly.dialer.engine.pacing;

import com.welcomedly.dialer.engine.compliance.AbandonLedger;
import java.util.List;

/**
 * Everything a pacing decision looks at, frozen at one instant. The dialer builds it from its live
 * state whenever it wants a decision. Times are seconds on one monotonic origin of the dialer's
 * choosing (e.g. epoch seconds as a double); nothing in pacing reads a clock.
 *
 * @param now the decision instant
 * @param agents the campaign's logged-in agents
 * @param calls the campaign's calls in flight: dialed and not yet resolved, or answered by a live
 *     person and waiting for an agent
 * @param parameters the campaign's pacing settings at this instant
 * @param ledger the abandon ledger's status at this instant
 */
public record PacingSnapshot(
    double now,
    List<Agent> agents,
    List<Call> calls,
    PacingParameters parameters,
    AbandonLedger.Status ledger) {

  public PacingSnapshot {
    agents = List.copyOf(agents);
    calls = List.copyOf(calls);
    if (parameters == null || ledger == null) {
      throw new IllegalArgumentException("parameters and ledger are required");
    }
  }

  /** Where an agent is in its cycle. */
  public enum AgentPhase {
    /** Idle and available, with no preview pending. */
    READY,
    /** Holding a previewed lead (PREVIEW mode) since {@code since}. */
    PREVIEWING,
    /** A live answer is being bridged to the agent. */
    CONNECTING,
    TALK,
    WRAP,
    /** Logged in but on a break: neither free nor expected back. */
    PAUSED
  }

  /**
   * @param id the agent's id (used only in explanations, e.g. previews that timed out)
   * @param phase current phase
   * @param since when the agent entered this phase
   */
  public record Agent(String id, AgentPhase phase, double since) {}

  /** Where a call in flight is. */
  public enum CallPhase {
    /** Dialed, not yet answered or failed (trying, ringing). */
    DIALING,
    /** A live person answered and waits for an agent inside the grace window. */
    ANSWERED_WAITING
  }

  /**
   * @param id call id
   * @param phase current phase
   * @param dialedAt when the dial was placed
   */
  public record Call(String id, CallPhase phase, double dialedAt) {}

  int count(AgentPhase p) {
    int n = 0;
    for (Agent a : agents) {
      if (a.phase() == p) {
        n++;
      }
    }
    return n;
  }

  int count(CallPhase p) {
    int n = 0;
    for (Call c : calls) {
      if (c.phase() == p) {
        n++;
      }
    }
    return n;
  }

  /** Agents ready and not already claimed by a live answer that waits for one. */
  int freeAgents() {
    return count(AgentPhase.READY) - count(CallPhase.ANSWERED_WAITING);
  }

  /** Agents working this campaign: not paused. */
  int activeAgents() {
    return agents.size() - count(AgentPhase.PAUSED);
  }
}
