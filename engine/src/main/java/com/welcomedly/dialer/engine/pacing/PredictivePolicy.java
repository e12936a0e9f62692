package com.welcomedly.dialer.engine.pacing;

import java.util.List;

/**
 * PREDICTIVE: model-based pacing.
 *
 * <p>For a new dial whose live answer would arrive at τ (law {@code w_k} on a time grid {@code
 * t_k}, learnt from the campaign's answer times), the answer is abandoned iff the answers arriving
 * before it have used up every agent free by its deadline τ + g (g = grace − bridge). So
 *
 * <pre>
 *   P(abandon | live) ≈ Σ_k w_k · P(A_n(t_k) ≥ F(t_k))
 *   F(t)   = free now + Σ_busy agents Bernoulli(P(free by t + g | elapsed talk/wrap))
 *   A_n(t) = Σ_dials in flight Bernoulli(P(live answer by elapsed + t | unresolved at elapsed))
 *            + n earlier new dials × Bernoulli(P(live answer by t))
 * </pre>
 *
 * <p>P(A − F ≥ 0) uses a normal approximation with a skewness (Edgeworth) correction and a
 * continuity correction, from the exact mean, variance and third cumulant of the Bernoulli sums.
 * The pacer places the (n+1)-th call while that probability stays at or under the threshold θ,
 * which the {@link PacingEstimator}'s feedback loop steers so that the realised abandon rate meets
 * the target: the model's bias (it ignores earlier losses, so it overstates risk) is absorbed by θ.
 */
public enum PredictivePolicy implements PacingPolicy {
  INSTANCE;

  private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);

  @Override
  public Proposal propose(PacingSnapshot s, PacingEstimator est) {
    PacingParameters p = s.parameters();
    double gap = p.graceSeconds() - p.bridgeSeconds();
    est.ensureFitted(s.now(), gap);
    int k = PacingEstimator.K;
    double now = s.now();

    double free0 = s.freeAgents();
    double[] muF = new double[k];
    double[] vF = new double[k];
    double[] k3F = new double[k];
    java.util.Arrays.fill(muF, free0);
    for (PacingSnapshot.Agent a : s.listedAgents()) {
      double[] row =
          switch (a.phase()) {
            case CONNECTING -> est.talkRow(0);
            case TALK -> est.talkRow(now - a.since());
            case WRAP -> est.wrapRow(now - a.since());
            default -> null; // READY is counted in free0; PREVIEWING and PAUSED will not take calls
          };
      if (row != null) {
        addBernoullis(row, muF, vF, k3F, 1);
      }
    }
    double[] muA = new double[k];
    double[] vA = new double[k];
    double[] k3A = new double[k];
    for (PacingSnapshot.Call c : s.listedCalls()) {
      if (c.phase() == PacingSnapshot.CallPhase.DIALING) {
        addBernoullis(est.pendingRow(now - c.dialedAt()), muA, vA, k3A, 1);
      }
    }
    double[] an = est.newCallLiveByGrid();
    double[] w = est.newCallAnswerWeights();
    double theta = est.threshold() * headroomFactor(s);

    int limit = 8 * s.activeAgents() + 10;
    int n = 0;
    double[] risks = new double[8];
    double risk = risk(0, muA, vA, k3A, muF, vF, k3F, an, w);
    while (n < limit && risk <= theta) {
      if (n == risks.length) {
        risks = java.util.Arrays.copyOf(risks, 2 * n);
      }
      risks[n] = risk;
      n++;
      risk = risk(n, muA, vA, k3A, muF, vF, k3F, an, w);
    }
    est.stageRisks(risks, n);
    double predFree = 0;
    double predAnswers = 0;
    for (int i = 0; i < k; i++) {
      predFree += w[i] * muF[i];
      predAnswers += w[i] * muA[i];
    }
    return new Proposal(n, 0, List.of(), predFree, predAnswers, risk, theta);
  }

  /** Abandons the ledger can still take before its tighter window reaches the cap. */
  static double headroom(PacingSnapshot s) {
    var l = s.ledger();
    return Math.min(
        l.cap() * l.us30Days().liveAnswers() - l.us30Days().abandoned(),
        l.cap() * l.uk24Hours().liveAnswers() - l.uk24Hours().abandoned());
  }

  /**
   * Scales the threshold down when the ledger is within a reserve of abandons of its cap. Hitting
   * the cap forces progressive pacing (a costly fallback); the feedback loop's aim keeps a margin
   * under the cap in each window ({@link AbandonAim}), and this reserve acts at once, between two
   * answers, when a burst of abandons has eaten into it. It is small on purpose: a wide reserve
   * throttles the threshold in normal running too, and a threshold that swings costs occupancy.
   * {@value #RESERVE_MIN_ABANDONS} abandons, or {@value #RESERVE_PER_AGENT} per active agent.
   */
  static double headroomFactor(PacingSnapshot s) {
    double reserve = Math.max(RESERVE_MIN_ABANDONS, RESERVE_PER_AGENT * s.activeAgents());
    return Math.min(1.0, Math.max(0.05, headroom(s) / reserve));
  }

  static final double RESERVE_MIN_ABANDONS = 4.0;
  static final double RESERVE_PER_AGENT = 0.1;

  private static void addBernoullis(
      double[] prob, double[] mu, double[] var, double[] k3, int times) {
    for (int i = 0; i < prob.length; i++) {
      double q = prob[i];
      if (q > 0.0) {
        double v = q * (1.0 - q);
        mu[i] += times * q;
        var[i] += times * v;
        k3[i] += times * v * (1.0 - 2.0 * q);
      }
    }
  }

  /** Predicted abandon probability of a new dial placed after {@code n} other new dials. */
  static double risk(
      int n,
      double[] muA,
      double[] vA,
      double[] k3A,
      double[] muF,
      double[] vF,
      double[] k3F,
      double[] an,
      double[] w) {
    double r = 0.0;
    for (int k = 0; k < w.length; k++) {
      if (w[k] <= 1e-4) {
        continue;
      }
      double q = an[k];
      double vq = q * (1.0 - q);
      double mu = muA[k] + n * q - muF[k]; // D = A − F; an abandon needs D ≥ 0
      double var = vA[k] + vF[k] + n * vq;
      double pk;
      if (var < 1e-9) {
        pk = mu >= -1e-9 ? 1.0 : 0.0;
      } else {
        double sd = Math.sqrt(var);
        double y = -(mu + 0.5) / sd; // P(D ≥ 0) = 1 − P(D ≤ −0.5)
        double gamma = (k3A[k] + n * vq * (1.0 - 2.0 * q) - k3F[k]) / (var * sd);
        double cdf =
            PacingEstimator.normalCdf(y)
                + gamma * (1.0 - y * y) * INV_SQRT_2PI * Math.exp(-0.5 * y * y) / 6.0;
        pk = Math.min(1.0, Math.max(0.0, 1.0 - cdf));
      }
      r += w[k] * pk;
    }
    return r;
  }
}
