package com.welcomedly.dialer.engine.pacing;

import java.util.Random;

/** Shared test states of the pacing model. */
final class PacingFixtures {
  private PacingFixtures() {}

  /** An estimator that has seen the reference scenario's resolutions, talks and wraps. */
  static PacingEstimator trained() {
    PacingEstimator e = new PacingEstimator();
    Random r = new Random(7);
    for (int i = 0; i < 2000; i++) {
      double u = r.nextDouble();
      double pdd = 1.5 + 2.5 * r.nextDouble();
      if (u < 0.25) {
        e.observeDialResolved(pdd + Math.min(20, 3 + 10 * r.nextDouble()), true);
      } else if (u < 0.5) {
        e.observeDialResolved(pdd + 2 * r.nextDouble(), false);
      } else {
        e.observeDialResolved(pdd + 20, false);
      }
    }
    for (int i = 0; i < 500; i++) {
      e.observeTalk(Math.exp(Math.log(150) - 0.35 + 0.83 * r.nextGaussian()));
      e.observeWrap(Math.exp(Math.log(20) - 0.11 + 0.47 * r.nextGaussian()));
    }
    return e;
  }
}
