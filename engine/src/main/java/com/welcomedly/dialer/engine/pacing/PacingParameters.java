package com.welcomedly.dialer.engine.pacing;

/**
 * The campaign's pacing settings. They travel in every {@link PacingSnapshot}, so a supervisor's
 * change takes effect at the next decision.
 *
 * @param mode pacing mode
 * @param targetAbandonRate fraction of live answers the predictive pacer aims to abandon (e.g.
 *     0.03); the abandon ledger's regulatory cap is separate and always enforced
 * @param maxLinesPerAgent cap on the campaign's channels (calls in flight plus agents on a call)
 *     per active agent
 * @param powerRatio calls in flight per free agent in POWER mode
 * @param minAgentsForPredictive below this many active (ready or busy) agents, PREDICTIVE and POWER
 *     fall back to PROGRESSIVE: small teams cannot absorb a surplus answer
 * @param trunkCallsPerSecond the trunk's dial rate cap (token bucket rate); 0 = uncapped
 * @param trunkBurst token bucket depth: dials that may start at once after a quiet spell
 * @param graceSeconds legal window from answer to agent audio (2 s in the US and UK)
 * @param bridgeSeconds time to bridge an agent once one is free (eats into the grace)
 * @param previewTimeoutSeconds how long an agent may hold a previewed lead before it is withdrawn
 */
public record PacingParameters(
    PacingMode mode,
    double targetAbandonRate,
    double maxLinesPerAgent,
    double powerRatio,
    int minAgentsForPredictive,
    double trunkCallsPerSecond,
    double trunkBurst,
    double graceSeconds,
    double bridgeSeconds,
    double previewTimeoutSeconds) {

  public PacingParameters {
    if (mode == null) {
      throw new IllegalArgumentException("mode is required");
    }
    if (!(targetAbandonRate > 0 && targetAbandonRate < 1)) {
      throw new IllegalArgumentException("targetAbandonRate must be in (0, 1)");
    }
    if (!(maxLinesPerAgent >= 1)) {
      throw new IllegalArgumentException("maxLinesPerAgent must be >= 1");
    }
    if (!(powerRatio >= 1)) {
      throw new IllegalArgumentException("powerRatio must be >= 1");
    }
    if (minAgentsForPredictive < 0 || trunkCallsPerSecond < 0 || trunkBurst < 0) {
      throw new IllegalArgumentException("caps must not be negative");
    }
    if (!(graceSeconds > bridgeSeconds && bridgeSeconds >= 0)) {
      throw new IllegalArgumentException("graceSeconds must exceed bridgeSeconds >= 0");
    }
  }

  /** Defaults: predictive at 3 %, 3 lines per agent, ratio 2, 3 agents minimum, no CPS cap. */
  public static PacingParameters defaults() {
    return new PacingParameters(PacingMode.PREDICTIVE, 0.03, 3.0, 2.0, 3, 0.0, 0.0, 2.0, 0.3, 30.0);
  }

  public PacingParameters withMode(PacingMode m) {
    return new PacingParameters(
        m,
        targetAbandonRate,
        maxLinesPerAgent,
        powerRatio,
        minAgentsForPredictive,
        trunkCallsPerSecond,
        trunkBurst,
        graceSeconds,
        bridgeSeconds,
        previewTimeoutSeconds);
  }

  public PacingParameters withTargetAbandonRate(double t) {
    return new PacingParameters(
        mode,
        t,
        maxLinesPerAgent,
        powerRatio,
        minAgentsForPredictive,
        trunkCallsPerSecond,
        trunkBurst,
        graceSeconds,
        bridgeSeconds,
        previewTimeoutSeconds);
  }

  public PacingParameters withMaxLinesPerAgent(double l) {
    return new PacingParameters(
        mode,
        targetAbandonRate,
        l,
        powerRatio,
        minAgentsForPredictive,
        trunkCallsPerSecond,
        trunkBurst,
        graceSeconds,
        bridgeSeconds,
        previewTimeoutSeconds);
  }

  public PacingParameters withPowerRatio(double r) {
    return new PacingParameters(
        mode,
        targetAbandonRate,
        maxLinesPerAgent,
        r,
        minAgentsForPredictive,
        trunkCallsPerSecond,
        trunkBurst,
        graceSeconds,
        bridgeSeconds,
        previewTimeoutSeconds);
  }

  public PacingParameters withMinAgentsForPredictive(int n) {
    return new PacingParameters(
        mode,
        targetAbandonRate,
        maxLinesPerAgent,
        powerRatio,
        n,
        trunkCallsPerSecond,
        trunkBurst,
        graceSeconds,
        bridgeSeconds,
        previewTimeoutSeconds);
  }

  public PacingParameters withTrunkCap(double callsPerSecond, double burst) {
    return new PacingParameters(
        mode,
        targetAbandonRate,
        maxLinesPerAgent,
        powerRatio,
        minAgentsForPredictive,
        callsPerSecond,
        burst,
        graceSeconds,
        bridgeSeconds,
        previewTimeoutSeconds);
  }

  public PacingParameters withGrace(double grace, double bridge) {
    return new PacingParameters(
        mode,
        targetAbandonRate,
        maxLinesPerAgent,
        powerRatio,
        minAgentsForPredictive,
        trunkCallsPerSecond,
        trunkBurst,
        grace,
        bridge,
        previewTimeoutSeconds);
  }
}
