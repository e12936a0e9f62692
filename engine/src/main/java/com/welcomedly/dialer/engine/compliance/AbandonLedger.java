package com.welcomedly.dialer.engine.compliance;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * Per-campaign abandon ledger: abandoned calls ÷ live answers over the two regulated windows at
 * once.
 *
 * <ul>
 *   <li><b>US</b> (47 CFR 64.1200(a)(7), 16 CFR 310.4(b)(4)): "per campaign per 30-day period". We
 *       read this as a <em>rolling</em> 30 days: the rate must be under the cap over every 30-day
 *       window, which is the strictest reading and satisfies any fixed-period reading too. Events
 *       are kept in one-minute buckets, and a bucket stays in the window until its whole minute has
 *       left it, so the window may count up to one minute more than 30 days — never less.
 *   <li><b>UK</b> (Ofcom): rolling 24 hours, kept in one-second buckets with the same rounding.
 * </ul>
 *
 * <p>Pure and single-threaded (the campaign's dialer owns it and feeds it from events); time is
 * always passed in, never read from a clock. Times must not go backwards.
 */
public final class AbandonLedger {

  public static final Duration US_WINDOW = Duration.ofDays(30);
  public static final Duration UK_WINDOW = Duration.ofHours(24);

  /** Regulatory cap of both rules: 3 % of live answers. */
  public static final double DEFAULT_CAP = 0.03;

  /** One regulated window's figures. */
  public record WindowStatus(Duration window, long liveAnswers, long abandoned, double rate) {
    public boolean atOrOverCap(double cap) {
      return liveAnswers > 0 && rate >= cap;
    }

    /**
     * True if one more abandoned live answer would put the window at or over the cap. Pacing stops
     * over-dialing here rather than at the cap itself: calls already ringing can still be abandoned
     * after the switch, and they must not push the rate past the cap.
     */
    public boolean oneAbandonFromCap(double cap) {
      return (double) (abandoned + 1) / (liveAnswers + 1) >= cap;
    }
  }

  /** The ledger at one instant: both windows and whether either is at or over the cap. */
  public record Status(Instant at, double cap, WindowStatus us30Days, WindowStatus uk24Hours) {
    public boolean usAtOrOverCap() {
      return us30Days.atOrOverCap(cap);
    }

    public boolean ukAtOrOverCap() {
      return uk24Hours.atOrOverCap(cap);
    }

    public boolean atOrOverCap() {
      return usAtOrOverCap() || ukAtOrOverCap();
    }

    /** The US window is at the cap or one abandon from it. */
    public boolean usAtCapGuard() {
      return us30Days.oneAbandonFromCap(cap);
    }

    /** The UK window is at the cap or one abandon from it. */
    public boolean ukAtCapGuard() {
      return uk24Hours.oneAbandonFromCap(cap);
    }

    /** A ledger with nothing in it (for a campaign that has not dialed yet). */
    public static Status empty(Instant at) {
      return new Status(
          at,
          DEFAULT_CAP,
          new WindowStatus(US_WINDOW, 0, 0, 0.0),
          new WindowStatus(UK_WINDOW, 0, 0, 0.0));
    }
  }

  private final double cap;
  private final Window us = new Window(US_WINDOW.toSeconds(), 60);
  private final Window uk = new Window(UK_WINDOW.toSeconds(), 1);

  public AbandonLedger() {
    this(DEFAULT_CAP);
  }

  public AbandonLedger(double cap) {
    if (!(cap > 0 && cap < 1)) {
      throw new IllegalArgumentException("cap must be a fraction in (0, 1): " + cap);
    }
    this.cap = cap;
  }

  /** A live person answered (whether or not an agent then took the call). */
  public void recordLiveAnswer(Instant at) {
    us.add(at.getEpochSecond(), 1, 0);
    uk.add(at.getEpochSecond(), 1, 0);
  }

  /**
   * A live answer was abandoned (no agent within the 2 s window, AMD false positives included).
   * Record its live answer too with {@link #recordLiveAnswer}: the denominator is live answers.
   */
  public void recordAbandon(Instant at) {
    us.add(at.getEpochSecond(), 0, 1);
    uk.add(at.getEpochSecond(), 0, 1);
  }

  public Status status(Instant now) {
    long s = now.getEpochSecond();
    return new Status(now, cap, us.status(s, US_WINDOW), uk.status(s, UK_WINDOW));
  }

  public double cap() {
    return cap;
  }

  /** Sliding window of fixed-width buckets with running totals. */
  private static final class Window {
    private final long lengthSeconds;
    private final long bucketSeconds;
    // each bucket: {bucketStart, live, abandoned}
    private final ArrayDeque<long[]> buckets = new ArrayDeque<>();
    private long live;
    private long abandoned;

    Window(long lengthSeconds, long bucketSeconds) {
      this.lengthSeconds = lengthSeconds;
      this.bucketSeconds = bucketSeconds;
    }

    void add(long epochSecond, long dLive, long dAbandoned) {
      long start = Math.floorDiv(epochSecond, bucketSeconds) * bucketSeconds;
      evict(epochSecond);
      long[] last = buckets.peekLast();
      if (last == null || last[0] < start) {
        last = new long[] {start, 0, 0};
        buckets.addLast(last);
      }
      // An out-of-order event (clock skew between sources) lands in the newest bucket: counting it
      // slightly late keeps it in the window longer, which errs on the safe side.
      last[1] += dLive;
      last[2] += dAbandoned;
      live += dLive;
      abandoned += dAbandoned;
    }

    /** A bucket leaves once its end is at or before now − length. */
    private void evict(long now) {
      while (!buckets.isEmpty() && buckets.peekFirst()[0] + bucketSeconds <= now - lengthSeconds) {
        long[] b = buckets.pollFirst();
        live -= b[1];
        abandoned -= b[2];
      }
    }

    WindowStatus status(long now, Duration window) {
      evict(now);
      return new WindowStatus(window, live, abandoned, live == 0 ? 0.0 : (double) abandoned / live);
    }
  }
}
