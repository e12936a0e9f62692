package com.welcomedly.dialer.engine.pacing;

import com.welcomedly.dialer.engine.pacing.PacingDecision.Interlock;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Pacing of an AGENTLESS (voice-broadcast) campaign: no agent decides how many calls to place, the
 * trunk does. Calls go out as fast as the campaign's calls-per-second cap allows (the trunk's
 * {@link TokenBucket}), while fewer than its concurrent-call cap are up (reserving, ringing,
 * playing the message, waiting for or talking to an agent after the transfer key). Agents only take
 * the calls whose callee pressed the transfer key, routed like any live answer.
 *
 * <p>A transfer no agent takes within the connect deadline is an abandon, so the campaign's abandon
 * ledger holds new dials as it holds predictive over-dialing (the same {@link AbandonBudget} rule
 * and {@code ABANDON_CAP_*} interlocks): while either window is at its cap, a new call goes out
 * only for a ready agent that no call still waiting to transfer (ringing, hearing the message,
 * waiting for an agent) may claim — the agentless form of predictive's fall-back to progressive.
 * With no agent ready the campaign holds; each transfer an agent takes adds a clean live answer, so
 * the rate comes back under the cap instead of waiting for the abandons to age out of the window.
 *
 * <p>Deterministic and free of clocks and actors: the same inputs and bucket state give the same
 * decision.
 */
public final class AgentlessPacing {
  private AgentlessPacing() {}

  /**
   * Decides now.
   *
   * @param s the campaign at this instant (its calls dialing and waiting, its agents)
   * @param callsUp every call the campaign holds now, whatever its phase
   * @param callsMayTransfer the calls that may still ask for an agent: reserving, ringing, hearing
   *     the message, or waiting for an agent after the transfer key
   * @param callsPerSecond the campaign's trunk CPS cap (above 0)
   * @param maxConcurrentCalls the campaign's concurrent-call cap (at least 1)
   * @param trunk the campaign's token bucket (takes the tokens of the calls placed)
   */
  public static PacingDecision decide(
      PacingSnapshot s,
      int callsUp,
      int callsMayTransfer,
      double callsPerSecond,
      int maxConcurrentCalls,
      TokenBucket trunk) {
    Set<Interlock> interlocks = EnumSet.noneOf(Interlock.class);
    int room = Math.max(0, maxConcurrentCalls - callsUp);
    if (room == 0) {
      interlocks.add(Interlock.CONCURRENT_CAP);
    }
    int calls = room;
    if (AbandonBudget.exhausted(s.ledger().us30Days(), s.ledger().cap())) {
      interlocks.add(Interlock.ABANDON_CAP_US_30_DAYS);
    }
    if (AbandonBudget.exhausted(s.ledger().uk24Hours(), s.ledger().cap())) {
      interlocks.add(Interlock.ABANDON_CAP_UK_24_HOURS);
    }
    if (interlocks.contains(Interlock.ABANDON_CAP_US_30_DAYS)
        || interlocks.contains(Interlock.ABANDON_CAP_UK_24_HOURS)) {
      int uncovered = s.count(PacingSnapshot.AgentPhase.READY) - callsMayTransfer;
      calls = Math.min(calls, Math.max(0, uncovered));
    }
    if (calls > 0) {
      // Depth of one second of calls: a pause of the loop never turns into a burst above the cap.
      int granted = trunk.take(s.now(), calls, callsPerSecond, Math.max(1.0, callsPerSecond));
      if (granted < calls) {
        calls = granted;
        interlocks.add(Interlock.TRUNK_CPS);
      }
    }
    int onCall =
        s.count(PacingSnapshot.AgentPhase.CONNECTING) + s.count(PacingSnapshot.AgentPhase.TALK);
    return new PacingDecision(
        s.now(),
        PacingMode.AGENTLESS,
        PacingMode.AGENTLESS,
        calls,
        0,
        List.of(),
        room,
        s.count(PacingSnapshot.AgentPhase.READY),
        onCall + s.count(PacingSnapshot.AgentPhase.WRAP),
        s.activeAgents(),
        s.count(PacingSnapshot.CallPhase.DIALING),
        s.count(PacingSnapshot.CallPhase.ANSWERED_WAITING),
        Double.NaN,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        interlocks);
  }
}
