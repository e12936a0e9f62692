package com.welcomedly.dialer.engine.pacing;

import com.welcomedly.dialer.engine.pacing.PacingDecision.Interlock;
import java.util.EnumSet;
import java.util.Set;

/**
 * The dialer's entry point to pacing: picks the policy of the campaign's mode, applies the
 * interlocks that override every mode, and returns an explained {@link PacingDecision}.
 *
 * <ol>
 *   <li>POWER and PREDICTIVE fall back to PROGRESSIVE while the abandon ledger is at or over its
 *       cap in either window, or one abandon from it (calls already ringing when the fallback
 *       starts can still be abandoned, and must not carry the rate past the cap) — on a small
 *       sample counted against the budget of 100 live answers ({@link AbandonBudget}), so an empty
 *       ledger never holds a new campaign back — while fewer agents than the minimum are active;
 *       PREDICTIVE dials at the campaign's POWER ratio while the model has not yet seen enough
 *       dials resolve (LEARNING) and nothing else holds it back;
 *   <li>the mode's policy proposes a number of calls;
 *   <li>the lines-per-agent cap and the trunk's calls-per-second bucket cut it.
 * </ol>
 *
 * Deterministic: the same snapshot, estimator state and bucket state give the same decision.
 */
public final class Pacer {

  /** Dial resolutions the predictive model needs before it takes over from progressive. */
  public static final int RESOLUTIONS_BEFORE_PREDICTIVE = 200;

  private Pacer() {}

  /**
   * Decides now.
   *
   * @param s the campaign at this instant
   * @param estimator the campaign's learnt state (the dialer feeds it observations)
   * @param trunk the trunk's calls-per-second bucket (takes the tokens of the calls placed)
   */
  public static PacingDecision decide(
      PacingSnapshot s, PacingEstimator estimator, TokenBucket trunk) {
    PacingParameters p = s.parameters();
    PacingMode requested = p.mode();
    Set<Interlock> interlocks = EnumSet.noneOf(Interlock.class);
    int active = s.activeAgents();
    if (requested == PacingMode.POWER || requested == PacingMode.PREDICTIVE) {
      if (AbandonBudget.exhausted(s.ledger().us30Days(), s.ledger().cap())) {
        interlocks.add(Interlock.ABANDON_CAP_US_30_DAYS);
      }
      if (AbandonBudget.exhausted(s.ledger().uk24Hours(), s.ledger().cap())) {
        interlocks.add(Interlock.ABANDON_CAP_UK_24_HOURS);
      }
      if (active < p.minAgentsForPredictive()) {
        interlocks.add(Interlock.TOO_FEW_AGENTS);
      }
      if (requested == PacingMode.PREDICTIVE
          && estimator.resolutionsSeen() < RESOLUTIONS_BEFORE_PREDICTIVE) {
        interlocks.add(Interlock.LEARNING);
      }
    }
    PacingMode effective;
    if (interlocks.isEmpty()) {
      effective = requested;
    } else if (interlocks.equals(EnumSet.of(Interlock.LEARNING))) {
      // Learning is the only reason not to predict: dial at the campaign's POWER ratio, which the
      // abandon budget still guards, rather than 1:1 — the model sees its first 200 resolutions
      // POWER-ratio times sooner and the agents are not idle meanwhile.
      effective = PacingMode.POWER;
    } else {
      effective = PacingMode.PROGRESSIVE;
    }
    estimator.noteDecision(
        p.targetAbandonRate(), effective == PacingMode.PREDICTIVE, s.ledger(), active);
    PacingPolicy.Proposal proposal = PacingPolicy.forMode(effective).propose(s, estimator);

    int dialing = s.count(PacingSnapshot.CallPhase.DIALING);
    int waiting = s.count(PacingSnapshot.CallPhase.ANSWERED_WAITING);
    int onCall =
        s.count(PacingSnapshot.AgentPhase.CONNECTING) + s.count(PacingSnapshot.AgentPhase.TALK);
    int calls = proposal.calls();
    if (calls > 0) {
      int maxLines = (int) Math.floor(p.maxLinesPerAgent() * active + 1e-9);
      int room = Math.max(0, maxLines - dialing - waiting - onCall);
      if (room < calls) {
        calls = room;
        interlocks.add(Interlock.LINES_CAP);
      }
    }
    if (calls > 0) {
      int granted = trunk.take(s.now(), calls, p.trunkCallsPerSecond(), p.trunkBurst());
      if (granted < calls) {
        calls = granted;
        interlocks.add(Interlock.TRUNK_CPS);
      }
    }
    estimator.commitDials(calls);
    int busy = onCall + s.count(PacingSnapshot.AgentPhase.WRAP);
    return new PacingDecision(
        s.now(),
        requested,
        effective,
        calls,
        proposal.previews(),
        proposal.previewsTimedOut(),
        proposal.calls(),
        s.count(PacingSnapshot.AgentPhase.READY),
        busy,
        active,
        dialing,
        waiting,
        proposal.predictedFreeAgents(),
        proposal.predictedLiveAnswers(),
        proposal.predictedAbandonNext(),
        proposal.threshold(),
        interlocks);
  }
}
