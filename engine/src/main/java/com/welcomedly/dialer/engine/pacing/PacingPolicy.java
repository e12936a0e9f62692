package com.welcomedly.dialer.engine.pacing;

import java.util.List;

/**
 * One pacing mode's rule: from a snapshot (and the campaign's learnt estimates) to how many calls
 * it wants now. Pure: no clocks, no actors, no I/O. The interlocks and caps that apply to every
 * mode live in {@link Pacer}, which is what the dialer calls.
 */
public sealed interface PacingPolicy
    permits PreviewPolicy, ProgressivePolicy, PowerPolicy, PredictivePolicy {

  Proposal propose(PacingSnapshot snapshot, PacingEstimator estimator);

  /**
   * A policy's wish with its explanation (NaN where a figure does not apply to the mode).
   *
   * @param calls new calls to dial now
   * @param previews previews to offer now
   * @param previewsTimedOut agents whose preview timed out
   * @param predictedFreeAgents expected free agents when a new call would be answered
   * @param predictedLiveAnswers expected live answers from calls already in flight by then
   * @param predictedAbandonNext predicted abandon probability of the first call not placed
   * @param threshold the abandon-probability threshold applied
   */
  record Proposal(
      int calls,
      int previews,
      List<String> previewsTimedOut,
      double predictedFreeAgents,
      double predictedLiveAnswers,
      double predictedAbandonNext,
      double threshold) {

    public Proposal {
      previewsTimedOut = List.copyOf(previewsTimedOut);
    }

    static Proposal ofCalls(int calls) {
      return new Proposal(
          Math.max(0, calls), 0, List.of(), Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
  }

  static PacingPolicy forMode(PacingMode mode) {
    return switch (mode) {
      case PREVIEW -> PreviewPolicy.INSTANCE;
      case PROGRESSIVE -> ProgressivePolicy.INSTANCE;
      case POWER -> PowerPolicy.INSTANCE;
      case PREDICTIVE -> PredictivePolicy.INSTANCE;
      case AGENTLESS ->
          throw new IllegalArgumentException("AGENTLESS is paced by AgentlessPacing, not a policy");
    };
  }
}
