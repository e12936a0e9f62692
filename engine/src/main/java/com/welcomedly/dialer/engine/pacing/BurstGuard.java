package com.welcomedly.dialer.engine.pacing;

/**
 * Spreads abandons within a day: the campaign's latest {@value #BLOCK} live-answer outcomes, and
 * the rule that holds new dials while the abandons in them, plus the abandons the calls already in
 * flight are expected to bring, would take that block over {@link #BLOCK_SHARE} of its answers.
 *
 * <p>Why expected abandons rather than a count: a count threshold binds whenever the block holds a
 * few abandons more than usual, which is often (binomial spread of ±0.75 point at a 2.9 % mean),
 * and a threshold that swings costs occupancy. The expected abandons of the calls in flight are
 * small in normal running and large only in a real burst (answers waiting for an agent, many calls
 * ringing while every agent is busy), so the guard binds when a burst is under way and the block is
 * already near its limit. The abandons among the oldest answers, which the answers in flight will
 * push out of the block, are taken off first.
 */
final class BurstGuard {

  /** Live answers per block (the benchmark's "worst 500-answer block"). */
  static final int BLOCK = 500;

  /** Highest abandon share a block of the latest answers should reach. */
  static final double BLOCK_SHARE =
      Double.parseDouble(System.getProperty("pacing.guard.share", "0.04"));

  /**
   * Abandons kept in hand under the block's limit: the expected abandons of the calls in flight are
   * a mean, and a burst lands more than its mean about half the time.
   */
  static final double SAFETY_ABANDONS =
      Double.parseDouble(System.getProperty("pacing.guard.safety", "2.0"));

  /**
   * Expected abandons in flight below which the guard never holds: a block already near its limit
   * with nothing at risk in flight is left to the feedback loop (holding every dial then would
   * bring no new answers to push the old abandons out).
   */
  static final double MIN_BURST_ABANDONS =
      Double.parseDouble(System.getProperty("pacing.guard.minBurst", "0.5"));

  static final boolean ENABLED = Boolean.parseBoolean(System.getProperty("pacing.guard", "true"));

  private final boolean[] outcomes = new boolean[BLOCK];
  private int size;
  private int next;
  private int abandons;

  /** A live answer was connected or abandoned. */
  void record(boolean abandoned) {
    if (size == BLOCK) {
      if (outcomes[next]) {
        abandons--;
      }
    } else {
      size++;
    }
    outcomes[next] = abandoned;
    if (abandoned) {
      abandons++;
    }
    next = (next + 1) % BLOCK;
  }

  /** Abandons among the latest {@value #BLOCK} outcomes. */
  int abandons() {
    return abandons;
  }

  /**
   * Abandons among the latest outcomes once {@code arriving} more answers have come in (they push
   * the oldest out of the block; the arriving ones are counted by the caller).
   */
  double abandonsAfter(double arriving) {
    int leaving = (int) Math.floor(Math.max(0.0, size + arriving - BLOCK));
    int left = 0;
    int oldest = size == BLOCK ? next : 0;
    for (int i = 0; i < Math.min(leaving, size); i++) {
      if (outcomes[(oldest + i) % BLOCK]) {
        left++;
      }
    }
    return abandons - left;
  }

  /**
   * Whether new dials must wait: the block's abandons after the answers in flight, plus their
   * expected abandons, reach the block's limit less the safety.
   *
   * @param answersInFlight expected live answers of the calls in flight (waiting ones included)
   * @param expectedAbandons expected abandons among them
   */
  boolean holds(double answersInFlight, double expectedAbandons) {
    if (!ENABLED || expectedAbandons < MIN_BURST_ABANDONS) {
      return false;
    }
    double limit = BLOCK * BLOCK_SHARE - SAFETY_ABANDONS;
    return abandonsAfter(answersInFlight) + expectedAbandons >= limit;
  }
}
