package com.welcomedly.dialer.engine.pacing;

import com.welcomedly.dialer.engine.compliance.AbandonLedger;

/**
 * The campaign's learnt pacing state: what the predictive pacer knows about its calls and agents,
 * plus the feedback loop's threshold. The dialer owns one per campaign and feeds it observations as
 * they happen; {@link PredictivePolicy} reads it. Starts from priors and learns online; old
 * observations are forgotten gradually (halving once a window fills) so the model follows a hit
 * rate or talk time that drifts during the day.
 *
 * <p>Observations to feed:
 *
 * <ul>
 *   <li>{@link #observeDialResolved}: every dial once it resolves (live answer, machine answer,
 *       busy/failure, no answer), with the seconds from dial to resolution;
 *   <li>{@link #observeTalk} / {@link #observeWrap}: every finished talk and wrap-up period;
 *   <li>{@link #observeLiveAnswerOutcome}: every live answer once it was connected or abandoned.
 * </ul>
 *
 * <p>Not thread-safe: it belongs to the campaign's dialer actor.
 */
public final class PacingEstimator {

  /**
   * Starting beliefs before observations arrive.
   *
   * @param talkMean talk time mean (s)
   * @param talkCv talk time coefficient of variation (lognormal)
   * @param wrapMean wrap-up mean (s)
   * @param wrapCv wrap-up CV (lognormal)
   * @param liveRate share of dials answered by a live person
   * @param ringTimeout seconds after which an unanswered dial gives up (shapes the prior answer
   *     law)
   */
  public record Priors(
      double talkMean,
      double talkCv,
      double wrapMean,
      double wrapCv,
      double liveRate,
      double ringTimeout) {

    /** Deliberately modest priors (shorter calls, lower hit rate than a typical campaign). */
    public static Priors defaults() {
      return new Priors(120.0, 1.0, 15.0, 0.5, 0.2, 20.0);
    }
  }

  /** Answer-time grid (s after a new dial) on which the pacer evaluates the future. */
  static final double[] GRID = {
    2.0, 3.5, 5.0, 6.5, 8.0, 9.5, 11.0, 12.5, 14.0, 16.0, 18.0, 20.0, 22.0, 24.5
  };

  static final int K = GRID.length;

  /** Resolution-time histogram: 0.25 s bins over 0..40 s, last bin collects the rest. */
  static final int BINS = 161;

  private static final double BIN_WIDTH = 0.25;
  private static final int TALK_SAMPLES_FOR_FIT = 50;
  private static final int RESOLUTIONS_FOR_FIT = 200;
  private static final double DURATION_WINDOW = 4000;
  private static final double RESOLUTION_WINDOW = 1500;
  private static final double OUTCOME_WINDOW = 50_000;

  private static final double REFIT_EVERY_SECONDS = 120.0;
  private static final int TALK_EXACT_SECONDS = 300;
  private static final int TALK_MAX_SECONDS = 1800;
  private static final int TALK_COARSE_STEP = 5;
  static final int WRAP_ROWS = 241;

  private final Priors priors;

  // talk and wrap: sufficient statistics of log durations (lognormal fit)
  private double talkN;
  private double talkS;
  private double talkSs;
  private double wrapN;
  private double wrapS;
  private double wrapSs;

  // dial resolutions: all, and live answers, by time since dial
  private final double[] resolvedHist = new double[BINS];
  private final double[] liveHist = new double[BINS];
  private double resolvedTotal;
  private long resolutionsSeen;

  // feedback loop on the abandon outcome
  // Start cautious: early in a campaign the ledger's denominator is small, so an early excess of
  // abandons trips the cap interlock; the loop climbs to its level within a few hundred answers.
  private double theta = 0.005;
  private static final double FEEDBACK_GAIN = 0.006;
  private double liveOutcomes;
  private double abandonedOutcomes;
  private double target = 0.03;
  private boolean predictiveInForce;
  private AbandonLedger.Status ledger;
  private int activeAgents;

  // fitted tables (rebuilt every REFIT_EVERY_SECONDS of snapshot time)
  private double[][] talkTable;
  private double[][] wrapTable;
  private double[][] pendingTable;
  private double[] newCallLiveByGrid;
  private double[] newCallAnswerWeights;
  private double liveRate;
  private double fittedGap = Double.NaN;
  private double nextRefit = Double.NEGATIVE_INFINITY;

  public PacingEstimator() {
    this(Priors.defaults());
  }

  public PacingEstimator(Priors priors) {
    this.priors = priors;
  }

  // ---- observations ------------------------------------------------------------------------

  /** A dial resolved {@code seconds} after it was placed; {@code live} if a person answered. */
  public void observeDialResolved(double seconds, boolean live) {
    int b = Math.min(BINS - 1, Math.max(0, (int) (seconds / BIN_WIDTH)));
    resolvedHist[b] += 1;
    if (live) {
      liveHist[b] += 1;
    }
    resolvedTotal += 1;
    resolutionsSeen++;
    if (resolvedTotal > 2 * RESOLUTION_WINDOW) {
      for (int i = 0; i < BINS; i++) {
        resolvedHist[i] *= 0.5;
        liveHist[i] *= 0.5;
      }
      resolvedTotal *= 0.5;
    }
  }

  /** A talk period ended after {@code seconds} (bridge to hang-up). */
  public void observeTalk(double seconds) {
    if (seconds > 0) {
      double l = Math.log(seconds);
      talkN += 1;
      talkS += l;
      talkSs += l * l;
      if (talkN > 2 * DURATION_WINDOW) {
        talkN *= 0.5;
        talkS *= 0.5;
        talkSs *= 0.5;
      }
    }
  }

  /** A wrap-up period ended after {@code seconds}. */
  public void observeWrap(double seconds) {
    if (seconds > 0) {
      double l = Math.log(seconds);
      wrapN += 1;
      wrapS += l;
      wrapSs += l * l;
      if (wrapN > 2 * DURATION_WINDOW) {
        wrapN *= 0.5;
        wrapS *= 0.5;
        wrapSs *= 0.5;
      }
    }
  }

  /**
   * A live answer was connected to an agent or abandoned. Drives the threshold's feedback loop
   * (only while predictive pacing is in force: answers paced progressively say nothing about the
   * threshold).
   */
  public void observeLiveAnswerOutcome(boolean abandoned) {
    liveOutcomes += 1;
    if (abandoned) {
      abandonedOutcomes += 1;
    }
    if (liveOutcomes > 2 * OUTCOME_WINDOW) {
      liveOutcomes *= 0.5;
      abandonedOutcomes *= 0.5;
    }
    if (!predictiveInForce) {
      return;
    }
    // Stochastic approximation: each answer nudges the threshold up by the aim and down by an
    // abandon, so it settles where the abandon rate equals the aim; the aim tracks the campaign's
    // own rate and the ledger's windows onto their set-points (AbandonAim).
    double aim = AbandonAim.aim(target, abandonedOutcomes / liveOutcomes, ledger, activeAgents);
    double x = abandoned ? 1.0 : 0.0;
    theta *= Math.exp(FEEDBACK_GAIN * (aim - x) / target);
    theta = Math.min(0.9, Math.max(0.001, theta));
  }

  private double[] staged = new double[0];
  private int stagedCount;
  private double expectedAbandons;

  /** The policy's predicted abandon probability of each call it proposes, in order. */
  void stageRisks(double[] risks, int count) {
    staged = risks;
    stagedCount = count;
  }

  /** The pacer placed {@code placed} of the staged calls: their predicted abandons are booked. */
  void commitDials(int placed) {
    for (int i = 0; i < Math.min(placed, stagedCount); i++) {
      expectedAbandons += liveRate * staged[i];
    }
    stagedCount = 0;
  }

  /**
   * Abandons the model predicted for the calls it placed (live rate × predicted abandon
   * probability, summed): compared with the realised abandons it shows how conservative the model
   * is, which the threshold absorbs.
   */
  public double expectedAbandons() {
    return expectedAbandons;
  }

  // ---- read side ---------------------------------------------------------------------------

  /** The abandon-probability threshold the feedback loop currently applies to the next call. */
  public double threshold() {
    return theta;
  }

  /** Dial resolutions observed since creation (the predictive pacer learns until it has 200). */
  public long resolutionsSeen() {
    return resolutionsSeen;
  }

  /**
   * Mean talk time (s) of the lognormal law the model uses: fitted once 50 talks were observed, the
   * prior's before.
   */
  public double talkMean() {
    return talkN >= TALK_SAMPLES_FOR_FIT ? fittedMean(talkN, talkS, talkSs) : priors.talkMean();
  }

  /** Mean wrap-up time (s) of the law the model uses, as {@link #talkMean}. */
  public double wrapMean() {
    return wrapN >= TALK_SAMPLES_FOR_FIT ? fittedMean(wrapN, wrapS, wrapSs) : priors.wrapMean();
  }

  private static double fittedMean(double n, double s, double ss) {
    double m = s / n;
    return Math.exp(m + Math.max(1e-6, ss / n - m * m) / 2.0);
  }

  /** Estimated share of dials answered live (from the last fit). */
  public double liveRate() {
    return liveRate;
  }

  /** Abandon rate of the outcomes observed (recent window). */
  public double observedAbandonRate() {
    return liveOutcomes == 0 ? 0.0 : abandonedOutcomes / liveOutcomes;
  }

  /**
   * Called by the pacer at each decision: the target, whether predictive pacing is applied, the
   * ledger and the active agents (the feedback loop aims at the ledger's windows).
   */
  void noteDecision(
      double targetAbandonRate,
      boolean predictive,
      AbandonLedger.Status ledgerNow,
      int activeAgentsNow) {
    ledger = ledgerNow;
    activeAgents = activeAgentsNow;
    if (targetAbandonRate != target) {
      // a supervisor moved the target: restart the threshold proportionally
      theta = Math.min(0.9, Math.max(0.001, theta * targetAbandonRate / target));
      target = targetAbandonRate;
    }
    predictiveInForce = predictive;
  }

  // ---- model -------------------------------------------------------------------------------

  /** Rebuilds the tables when due (every 2 min of snapshot time) or when the grace changed. */
  void ensureFitted(double now, double gap) {
    if (talkTable == null || gap != fittedGap || now >= nextRefit) {
      fit(gap);
      fittedGap = gap;
      nextRefit = now + REFIT_EVERY_SECONDS;
    }
  }

  /** P(agent in talk for {@code elapsed} s is free by grid point k + gap). */
  double[] talkRow(double elapsed) {
    int e = (int) Math.max(0, elapsed);
    int i =
        e < TALK_EXACT_SECONDS
            ? e
            : TALK_EXACT_SECONDS + (e - TALK_EXACT_SECONDS) / TALK_COARSE_STEP;
    return talkTable[Math.min(i, talkTable.length - 1)];
  }

  /** P(agent in wrap for {@code elapsed} s is free by grid point k + gap). */
  double[] wrapRow(double elapsed) {
    int i = (int) (Math.max(0, elapsed) * 2.0);
    return wrapTable[Math.min(i, WRAP_ROWS - 1)];
  }

  /** P(a dial unresolved after {@code elapsed} s is answered live within grid point k more). */
  double[] pendingRow(double elapsed) {
    int i = (int) (Math.max(0, elapsed) / BIN_WIDTH);
    return pendingTable[Math.min(i, BINS - 1)];
  }

  /** P(a new dial is answered live by grid point k). */
  double[] newCallLiveByGrid() {
    return newCallLiveByGrid;
  }

  /** Law of a new dial's live-answer time on the grid, given that it is answered live. */
  double[] newCallAnswerWeights() {
    return newCallAnswerWeights;
  }

  private void fit(double gap) {
    double tmu;
    double tsg;
    if (talkN >= TALK_SAMPLES_FOR_FIT) {
      double m = talkS / talkN;
      tmu = m;
      tsg = Math.sqrt(Math.max(1e-6, talkSs / talkN - m * m));
    } else {
      tmu = lognormMu(priors.talkMean(), priors.talkCv());
      tsg = lognormSigma(priors.talkCv());
    }
    double wmu;
    double wsg;
    if (wrapN >= TALK_SAMPLES_FOR_FIT) {
      double m = wrapS / wrapN;
      wmu = m;
      wsg = Math.sqrt(Math.max(1e-6, wrapSs / wrapN - m * m));
    } else {
      wmu = lognormMu(priors.wrapMean(), priors.wrapCv());
      wsg = lognormSigma(priors.wrapCv());
    }
    fitAgents(gap, tmu, tsg, wmu, wsg);
    fitCalls();
  }

  /**
   * Agent tables: for a busy agent, the probability of being free by each grid point (plus the
   * grace an answer can wait), given the time already spent in talk or wrap (hazard of the fitted
   * lognormals: remaining talk convolved with a full wrap).
   */
  private void fitAgents(double gap, double tmu, double tsg, double wmu, double wsg) {
    int emax = TALK_MAX_SECONDS + 40;
    double[] survival = new double[emax + 1];
    for (int x = 0; x <= emax; x++) {
      survival[x] = 1.0 - lognormCdf(x, tmu, tsg);
    }
    double[] wrapCdfHalf = new double[80];
    for (int x = 0; x < wrapCdfHalf.length; x++) {
      wrapCdfHalf[x] = lognormCdf(x * 0.5, wmu, wsg);
    }
    int rows = TALK_EXACT_SECONDS + (TALK_MAX_SECONDS - TALK_EXACT_SECONDS) / TALK_COARSE_STEP + 1;
    double[][] talk = new double[rows][K];
    for (int r = 0; r < rows; r++) {
      int e =
          r < TALK_EXACT_SECONDS
              ? r
              : TALK_EXACT_SECONDS + (r - TALK_EXACT_SECONDS) * TALK_COARSE_STEP;
      double se = survival[e];
      double[] row = talk[r];
      for (int k = 0; k < K; k++) {
        double h = GRID[k] + gap;
        if (se < 1e-12) {
          row[k] = wrapCdf(wrapCdfHalf, h);
          continue;
        }
        double acc = 0.0;
        for (int s = 0; s < h && e + s + 1 <= emax; s++) {
          acc += (survival[e + s] - survival[e + s + 1]) * wrapCdf(wrapCdfHalf, h - s - 0.5);
        }
        row[k] = acc / se;
      }
    }
    double[][] wrap = new double[WRAP_ROWS][K];
    for (int ui = 0; ui < WRAP_ROWS; ui++) {
      double u = ui * 0.5;
      double wu = lognormCdf(u, wmu, wsg);
      double den = 1.0 - wu;
      for (int k = 0; k < K; k++) {
        wrap[ui][k] = den < 1e-12 ? 1.0 : (lognormCdf(u + GRID[k] + gap, wmu, wsg) - wu) / den;
      }
    }
    talkTable = talk;
    wrapTable = wrap;
  }

  /** Call tables from the empirical (or prior) law of resolution and live-answer times. */
  private void fitCalls() {
    double[] cumResolved = new double[BINS];
    double[] cumLive = new double[BINS];
    if (resolvedTotal >= RESOLUTIONS_FOR_FIT) {
      double cr = 0;
      double cl = 0;
      for (int b = 0; b < BINS; b++) {
        cr += resolvedHist[b];
        cl += liveHist[b];
        cumResolved[b] = cr / resolvedTotal;
        cumLive[b] = cl / resolvedTotal;
      }
    } else {
      // prior: live answers spread evenly over 3 s .. ring timeout, resolutions over 0 .. timeout+5
      double end = Math.max(4.0, priors.ringTimeout());
      for (int b = 0; b < BINS; b++) {
        double t = b * BIN_WIDTH;
        cumLive[b] = priors.liveRate() * Math.min(1.0, Math.max(0.0, (t - 3.0) / (end - 3.0)));
        cumResolved[b] = Math.min(1.0, t / (end + 5.0));
      }
    }
    liveRate = cumLive[BINS - 1];
    double[][] pending = new double[BINS][K];
    for (int ei = 0; ei < BINS; ei++) {
      double e = ei * BIN_WIDTH;
      double unresolved = 1.0 - cumAt(cumResolved, e);
      double cle = cumAt(cumLive, e);
      for (int k = 0; k < K; k++) {
        pending[ei][k] =
            unresolved < 1e-6
                ? 0.0
                : Math.max(0.0, Math.min(1.0, (cumAt(cumLive, e + GRID[k]) - cle) / unresolved));
      }
    }
    double[] live = new double[K];
    double[] weights = new double[K];
    double p = Math.max(1e-6, liveRate);
    double prev = 0.0;
    for (int k = 0; k < K; k++) {
      live[k] = cumAt(cumLive, GRID[k]);
      // the last grid bin collects every later answer
      double c = k < K - 1 ? live[k] : p;
      weights[k] = Math.max(0.0, c - prev) / p;
      prev = c;
    }
    pendingTable = pending;
    newCallLiveByGrid = live;
    newCallAnswerWeights = weights;
  }

  private static double cumAt(double[] cum, double t) {
    int i = (int) (t / BIN_WIDTH);
    return cum[Math.min(Math.max(i, 0), BINS - 1)];
  }

  private static double wrapCdf(double[] half, double t) {
    if (t <= 0) {
      return 0.0;
    }
    int i = (int) (t * 2.0);
    return i < half.length ? half[i] : 1.0;
  }

  static double lognormMu(double mean, double cv) {
    return Math.log(mean) - Math.log(1.0 + cv * cv) / 2.0;
  }

  static double lognormSigma(double cv) {
    return Math.sqrt(Math.log(1.0 + cv * cv));
  }

  static double lognormCdf(double x, double mu, double sigma) {
    if (x <= 0) {
      return 0.0;
    }
    return normalCdf((Math.log(x) - mu) / sigma);
  }

  static double normalCdf(double z) {
    return 0.5 * (1.0 + erf(z / Math.sqrt(2.0)));
  }

  /** erf with absolute error below 1.2e-7 (Numerical Recipes' erfc Chebyshev fit). */
  static double erf(double x) {
    double z = Math.abs(x);
    double t = 1.0 / (1.0 + 0.5 * z);
    double ans =
        t
            * Math.exp(
                -z * z
                    - 1.26551223
                    + t
                        * (1.00002368
                            + t
                                * (0.37409196
                                    + t
                                        * (0.09678418
                                            + t
                                                * (-0.18628806
                                                    + t
                                                        * (0.27886807
                                                            + t
                                                                * (-1.13520398
                                                                    + t
                                                                        * (1.48851587
                                                                            + t
                                                                                * (-0.82215223
                                                                                    + t
                                                                                        * 0.17087277)))))))));
    return x >= 0 ? 1.0 - ans : ans - 1.0;
  }
}
