package com.welcomedly.dialer.engine.pacing;

import java.util.List;
import java.util.Set;

/**
 * One pacing decision with everything that explains it. The dialer places {@link #callsToPlace}
 * calls (or offers {@link #previewsToOffer} previews), and publishes the record on the campaign's
 * stream and in metrics.
 *
 * @param at decision instant (snapshot time)
 * @param requestedMode the campaign's configured mode
 * @param effectiveMode the mode actually applied (differs while an interlock forces PROGRESSIVE, or
 *     POWER while PREDICTIVE is learning)
 * @param callsToPlace new calls to dial now
 * @param previewsToOffer previews to offer now (PREVIEW mode; one per ready agent without one)
 * @param previewsTimedOut ids of agents whose preview exceeded the timeout: withdraw those leads
 * @param wanted what the mode's policy asked for before caps (lines, CPS) cut it
 * @param agentsReady agents ready
 * @param agentsBusy agents connecting, talking or wrapping
 * @param agentsActive agents not paused
 * @param callsDialing calls dialed and unresolved
 * @param callsWaiting live answers waiting for an agent
 * @param predictedFreeAgents PREDICTIVE: expected agents free when a new call would be answered
 *     (weighted over its answer-time law); NaN otherwise
 * @param predictedLiveAnswers PREDICTIVE: expected live answers from calls already in flight by
 *     then; NaN otherwise
 * @param predictedAbandonNext PREDICTIVE: predicted abandon probability of the first call not
 *     placed; NaN otherwise
 * @param threshold PREDICTIVE: the abandon-probability threshold in force; NaN otherwise
 * @param interlocks interlocks in force (empty: none)
 */
public record PacingDecision(
    double at,
    PacingMode requestedMode,
    PacingMode effectiveMode,
    int callsToPlace,
    int previewsToOffer,
    List<String> previewsTimedOut,
    int wanted,
    int agentsReady,
    int agentsBusy,
    int agentsActive,
    int callsDialing,
    int callsWaiting,
    double predictedFreeAgents,
    double predictedLiveAnswers,
    double predictedAbandonNext,
    double threshold,
    Set<Interlock> interlocks) {

  public PacingDecision {
    previewsTimedOut = List.copyOf(previewsTimedOut);
    interlocks = Set.copyOf(interlocks);
  }

  /** A safety rule that overrode or cut the policy's wish. */
  public enum Interlock {
    /**
     * The ledger's US 30-day window is at (or one abandon from) the cap: progressive until under
     * (AGENTLESS: new calls only for ready agents no waiting call may claim).
     */
    ABANDON_CAP_US_30_DAYS,
    /**
     * The ledger's UK rolling 24 h window is at (or one abandon from) the cap: progressive
     * (AGENTLESS: new calls only for ready agents no waiting call may claim).
     */
    ABANDON_CAP_UK_24_HOURS,
    /** Fewer active agents than the minimum for predictive/power pacing: progressive. */
    TOO_FEW_AGENTS,
    /**
     * The predictive model has too few observations yet: it learns at the campaign's POWER ratio
     * (within the abandon budget), or progressively if another interlock is on too.
     */
    LEARNING,
    /** The lines-per-agent cap cut the calls. */
    LINES_CAP,
    /** The trunk's calls-per-second token bucket cut the calls. */
    TRUNK_CPS,
    /** AGENTLESS: the campaign's concurrent-call cap cut the calls. */
    CONCURRENT_CAP
  }

  /** A short human-readable line for logs and the campaign stream. */
  public String explain() {
    StringBuilder b = new StringBuilder();
    b.append(effectiveMode);
    if (effectiveMode != requestedMode) {
      b.append(" (requested ").append(requestedMode).append(')');
    }
    b.append(": place ").append(callsToPlace);
    if (previewsToOffer > 0) {
      b.append(", offer ").append(previewsToOffer).append(" previews");
    }
    b.append(" (wanted ").append(wanted).append(")");
    b.append("; agents ready ").append(agentsReady).append(" busy ").append(agentsBusy);
    b.append("; calls dialing ").append(callsDialing).append(" waiting ").append(callsWaiting);
    if (!Double.isNaN(threshold)) {
      b.append(
          String.format(
              "; predicted free %.2f answers %.2f next-call abandon %.4f threshold %.4f",
              predictedFreeAgents, predictedLiveAnswers, predictedAbandonNext, threshold));
    }
    if (!interlocks.isEmpty()) {
      b.append("; interlocks ").append(interlocks);
    }
    return b.toString();
  }
}
