package com.welcomedly.dialer.engine.pacing;

/**
 * Spreads abandons evenly within a day: scales the predictive threshold down while the campaign's
 * latest {@value #WINDOW_ANSWERS} live answers, counting the answers already waiting for an agent
 * as abandons, come close to {@value #BURST_SHARE_OF_TARGET} × the target (4 % at a 3 % target).
 *
 * <p>Why: the feedback loop and the ledger's windows hold the rate over a day or a month, but at a
 * 2.9 % mean a block of 500 answers has a binomial spread of ±0.75 point and abandons come in
 * bursts (several answers arriving while every agent is busy), so some quarter-hours run well over
 * the target. The guard looks only at the recent past and what is already in flight: the abandons
 * among the oldest answers leave the window as the answers in flight arrive (they are credited),
 * while answers waiting for an agent are charged as abandons. It acts between two answers, like the
 * ledger's reserve ({@link PredictivePolicy#headroomFactor}), and stays out of normal running: the
 * reserve of abandons over which it scales is a few abandons above the window's usual count.
 */
final class AbandonBurstGuard {
  private AbandonBurstGuard() {}

  /** Live answers in the sliding window (the bench's "500-answer block"). */
  static final int WINDOW_ANSWERS = 500;

  static final double BURST_SHARE_OF_TARGET =
      Double.parseDouble(System.getProperty("pacing.burst.share", "1.3333333333333333"));
  static final double RESERVE_MIN_ABANDONS =
      Double.parseDouble(System.getProperty("pacing.burst.min", "4"));
  static final double RESERVE_PER_AGENT =
      Double.parseDouble(System.getProperty("pacing.burst.perAgent", "0"));
  static final double FLOOR = 0.05;

  /**
   * The factor applied to the threshold (1 in normal running, down to {@value #FLOOR}).
   *
   * @param s the campaign now (answers waiting, dials in flight, active agents, target)
   * @param recent the latest live-answer outcomes
   * @param liveRate share of dials answered live (answers expected from the dials in flight)
   */
  static double factor(PacingSnapshot s, RecentOutcomes recent, double liveRate) {
    if (BURST_SHARE_OF_TARGET <= 0) {
      return 1.0;
    }
    int waiting = s.count(PacingSnapshot.CallPhase.ANSWERED_WAITING);
    int inFlight = waiting + (int) Math.round(liveRate * s.count(PacingSnapshot.CallPhase.DIALING));
    double limit = BURST_SHARE_OF_TARGET * s.parameters().targetAbandonRate() * recent.capacity();
    double expected = recent.abandons() - recent.abandonsLeavingAfter(inFlight) + waiting;
    double reserve = Math.max(RESERVE_MIN_ABANDONS, RESERVE_PER_AGENT * s.activeAgents());
    return Math.min(1.0, Math.max(FLOOR, (limit - expected) / reserve));
  }
}
