package com.welcomedly.dialer.engine.pacing;

/**
 * A trunk's calls-per-second cap: tokens refill at the configured rate up to the burst depth, and
 * each dial takes one. Dials refused now are simply asked for again at the next decision, which
 * smooths bursts (after a wave of failures, say) into the trunk's rate. One instance per trunk,
 * owned by whoever owns the trunk; time is passed in.
 */
public final class TokenBucket {
  private double tokens = Double.NaN;
  private double last = Double.NaN;

  /**
   * Takes up to {@code wanted} tokens at {@code now}.
   *
   * @param rate tokens per second; {@code <= 0} means uncapped
   * @param burst bucket depth; below 1 it defaults to {@code max(1, rate)}
   * @return the number of dials allowed now
   */
  public int take(double now, int wanted, double rate, double burst) {
    if (rate <= 0 || wanted <= 0) {
      return Math.max(0, wanted);
    }
    double depth = burst >= 1 ? burst : Math.max(1.0, rate);
    if (Double.isNaN(tokens)) {
      tokens = depth;
    } else if (now > last) {
      tokens = Math.min(depth, tokens + (now - last) * rate);
    }
    last = Double.isNaN(last) ? now : Math.max(last, now);
    tokens = Math.min(tokens, depth);
    int granted = (int) Math.min(wanted, Math.floor(tokens + 1e-9));
    tokens -= granted;
    return granted;
  }
}
