package com.welcomedly.dialer.engine.pacing;

import com.welcomedly.dialer.engine.compliance.AbandonLedger;

/**
 * The abandon rate the predictive feedback loop aims at for the next live answer, from the
 * campaign's own outcomes and from the abandon ledger's regulated windows.
 *
 * <p>Budget tracking: the aim is the set-point minus the current excess over it, so an early excess
 * is paid back and the long-run rate converges onto the set-point rather than merely near it. The
 * set-point is {@value #SETPOINT_SHARE} of the target. Each regulated window (rolling 24 h and 30
 * days) whose ledger holds at least {@value #MIN_WINDOW_ANSWERS} live answers gets its own
 * set-point: at most the cap minus a margin of abandons, {@code cap − margin / liveAnswers}, and
 * the aim tracks that window's ledger rate onto it. A burst of abandons moves a window's rate by
 * {@code burst / liveAnswers}: early in a window (a new campaign, the first hours of a day) the
 * margin keeps the rate far enough under the cap that a burst of answers already in flight does not
 * carry it over (and does not trip the ledger interlock's costly progressive fallback); in a full
 * window the margin is a few hundredths of a percent and the rate runs close to the target. The
 * margin grows with the team, whose answers in flight can be abandoned together: {@value
 * #MARGIN_MIN_ABANDONS} abandons, or {@value #MARGIN_PER_AGENT} per active agent.
 */
final class AbandonAim {
  private AbandonAim() {}

  /**
   * Share of the target the loop steers to: the ledger's cap (normally the target) forces
   * progressive pacing when reached; the window margins below keep the rate off it early.
   */
  static final double SETPOINT_SHARE = 0.98;

  /** A window is steered on its own once its ledger holds this many live answers. */
  static final long MIN_WINDOW_ANSWERS = 300;

  static final double MARGIN_MIN_ABANDONS = 4.0;
  static final double MARGIN_PER_AGENT = 0.08;

  /**
   * The aim for the next answer.
   *
   * @param target the campaign's target abandon rate
   * @param ownRate the campaign's own abandon rate over its recent outcomes (the estimator's)
   * @param ledger the ledger at the last decision, or null before the first one
   * @param activeAgents active agents at the last decision (sizes the margin)
   */
  static double aim(double target, double ownRate, AbandonLedger.Status ledger, int activeAgents) {
    double setpoint = SETPOINT_SHARE * target;
    double aim = setpoint - (ownRate - setpoint);
    if (ledger != null) {
      double margin = margin(activeAgents);
      aim = Math.min(aim, windowAim(setpoint, ledger.cap(), margin, ledger.us30Days()));
      aim = Math.min(aim, windowAim(setpoint, ledger.cap(), margin, ledger.uk24Hours()));
    }
    return Math.max(0.2 * setpoint, aim);
  }

  /** Abandons kept in hand under each window's cap. */
  static double margin(int activeAgents) {
    return Math.max(MARGIN_MIN_ABANDONS, MARGIN_PER_AGENT * activeAgents);
  }

  private static double windowAim(
      double setpoint, double cap, double margin, AbandonLedger.WindowStatus window) {
    if (window.liveAnswers() < MIN_WINDOW_ANSWERS) {
      return Double.POSITIVE_INFINITY;
    }
    double windowSetpoint = Math.min(setpoint, cap - margin / window.liveAnswers());
    return windowSetpoint - (window.rate() - windowSetpoint);
  }
}
