package com.welcomedly.dialer.engine.pacing;

/**
 * The campaign's latest live-answer outcomes, oldest first, as a fixed-size ring: how many of them
 * were abandoned, and how many of those leave the window as the next answers arrive. The regulated
 * ledger windows (24 h, 30 days) say nothing about how abandons are spread inside a day; this short
 * count lets the pacer see a burst while it is happening.
 *
 * <p>Not thread-safe: it belongs to the campaign's {@link PacingEstimator}.
 */
final class RecentOutcomes {
  private final boolean[] abandoned;
  private int next;
  private int size;
  private int abandons;

  RecentOutcomes(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    this.abandoned = new boolean[capacity];
  }

  /** One more live answer: abandoned or connected. The oldest leaves once the ring is full. */
  void record(boolean wasAbandoned) {
    if (size == abandoned.length) {
      if (abandoned[next]) {
        abandons--;
      }
    } else {
      size++;
    }
    abandoned[next] = wasAbandoned;
    if (wasAbandoned) {
      abandons++;
    }
    next = (next + 1) % abandoned.length;
  }

  int capacity() {
    return abandoned.length;
  }

  int size() {
    return size;
  }

  /** Abandons among the outcomes held. */
  int abandons() {
    return abandons;
  }

  /**
   * Abandons that leave the window when {@code answers} more outcomes arrive: those among the
   * oldest {@code answers} outcomes (none while the ring is not yet full, as nothing leaves then).
   */
  int abandonsLeavingAfter(int answers) {
    int leaving = Math.min(size, size + answers - abandoned.length);
    int oldest = size < abandoned.length ? 0 : next;
    int count = 0;
    for (int i = 0; i < leaving; i++) {
      if (abandoned[(oldest + i) % abandoned.length]) {
        count++;
      }
    }
    return count;
  }
}
