package com.welcomedly.dialer.engine.pacing;

import com.welcomedly.dialer.engine.compliance.AbandonLedger;
import java.util.List;

/**
 * Everything a pacing decision looks at, frozen at one instant. The dialer builds it from its live
 * state whenever it wants a decision. Times are seconds on one monotonic origin of the dialer's
 * choosing (e.g. epoch seconds as a double); nothing in pacing reads a clock.
 *
 * <p>The counts by phase ({@link Tally}) are what every mode reads; the lists with each agent's and
 * call's clock are read only by the modes that look at elapsed times ({@link #readsClocks}:
 * PREDICTIVE, PREVIEW). A dialer with thousands of agents keeps the tally up to date as its agents
 * and calls change and lists them only for those modes ({@link #counted}), so a POWER or
 * PROGRESSIVE decision costs the same at 5,000 agents as at 5 (issue 18).
 *
 * @param now the decision instant
 * @param agents the campaign's logged-in agents; null when not listed (see {@link #counted})
 * @param calls the campaign's calls in flight: dialed and not yet resolved, or answered by a live
 *     person and waiting for an agent; null when not listed
 * @param tally the agents and calls counted by phase
 * @param parameters the campaign's pacing settings at this instant
 * @param ledger the abandon ledger's status at this instant
 */
public record PacingSnapshot(
    double now,
    List<Agent> agents,
    List<Call> calls,
    Tally tally,
    PacingParameters parameters,
    AbandonLedger.Status ledger) {

  public PacingSnapshot {
    if ((agents == null) != (calls == null)) {
      throw new IllegalArgumentException("agents and calls are listed together or not at all");
    }
    agents = agents == null ? null : List.copyOf(agents);
    calls = calls == null ? null : List.copyOf(calls);
    if (parameters == null || ledger == null || tally == null) {
      throw new IllegalArgumentException("tally, parameters and ledger are required");
    }
  }

  /** Every agent and call listed; the tally is counted from the lists. */
  public PacingSnapshot(
      double now,
      List<Agent> agents,
      List<Call> calls,
      PacingParameters parameters,
      AbandonLedger.Status ledger) {
    this(now, agents, calls, Tally.of(agents, calls), parameters, ledger);
  }

  /**
   * A snapshot of counts only, for a mode that does not read clocks ({@link #readsClocks} false):
   * the agents and calls are not listed.
   */
  public static PacingSnapshot counted(
      double now, Tally tally, PacingParameters parameters, AbandonLedger.Status ledger) {
    return new PacingSnapshot(now, null, null, tally, parameters, ledger);
  }

  /** Whether a campaign paced in {@code mode} needs the agents and calls listed with clocks. */
  public static boolean readsClocks(PacingMode mode) {
    return mode == PacingMode.PREDICTIVE || mode == PacingMode.PREVIEW;
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

  /**
   * The agents and calls counted by phase.
   *
   * @param agents agents by {@link AgentPhase} ordinal
   * @param calls calls by {@link CallPhase} ordinal
   */
  public record Tally(int[] agents, int[] calls) {
    public Tally {
      if (agents.length != AgentPhase.values().length
          || calls.length != CallPhase.values().length) {
        throw new IllegalArgumentException("one count per phase");
      }
      agents = agents.clone();
      calls = calls.clone();
    }

    /** Counts the lists. */
    public static Tally of(List<Agent> agents, List<Call> calls) {
      int[] a = new int[AgentPhase.values().length];
      int[] c = new int[CallPhase.values().length];
      for (Agent agent : agents) {
        a[agent.phase().ordinal()]++;
      }
      for (Call call : calls) {
        c[call.phase().ordinal()]++;
      }
      return new Tally(a, c);
    }

    public int count(AgentPhase p) {
      return agents[p.ordinal()];
    }

    public int count(CallPhase p) {
      return calls[p.ordinal()];
    }

    /** Every logged-in agent, paused or not. */
    public int agentsTotal() {
      int n = 0;
      for (int count : agents) {
        n += count;
      }
      return n;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Tally t
          && java.util.Arrays.equals(agents, t.agents)
          && java.util.Arrays.equals(calls, t.calls);
    }

    @Override
    public int hashCode() {
      return 31 * java.util.Arrays.hashCode(agents) + java.util.Arrays.hashCode(calls);
    }

    @Override
    public String toString() {
      return "Tally[agents="
          + java.util.Arrays.toString(agents)
          + ", calls="
          + java.util.Arrays.toString(calls)
          + "]";
    }
  }

  /** The listed agents; for the modes that read clocks only. */
  List<Agent> listedAgents() {
    if (agents == null) {
      throw new IllegalStateException("this mode reads the agents' clocks: list them");
    }
    return agents;
  }

  /** The listed calls; for the modes that read clocks only. */
  List<Call> listedCalls() {
    if (calls == null) {
      throw new IllegalStateException("this mode reads the calls' clocks: list them");
    }
    return calls;
  }

  int count(AgentPhase p) {
    return tally.count(p);
  }

  int count(CallPhase p) {
    return tally.count(p);
  }

  /** Agents ready and not already claimed by a live answer that waits for one. */
  int freeAgents() {
    return count(AgentPhase.READY) - count(CallPhase.ANSWERED_WAITING);
  }

  /** Agents working this campaign: not paused. */
  int activeAgents() {
    return tally.agentsTotal() - count(AgentPhase.PAUSED);
  }
}
