package com.welcomedly.dialer.engine.dialing;

import com.typesafe.config.Config;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Admission control between the pacer and the journal: how many of the calls the pacer wants may
 * start now. Every call costs about five journal writes within seconds (reservation, dial, answer,
 * connect, end) plus the agent's; a burst — 1,000 agents ready at once, or predictive resuming when
 * the abandon cap clears — asked for 1,000+ calls at once, overflowed the journal's write queue and
 * opened its circuit breaker (issue 18). Two limits keep the node out of that:
 *
 * <ul>
 *   <li>a rate that ramps: originates per second may grow by at most {@code growth} times what was
 *       admitted in the previous second (never below {@code floor}, never above {@code ceiling}),
 *       so a start, a resume or a cleared interlock reaches full speed in a few seconds instead of
 *       at once; a second in which the bound below held calls back keeps its rate. Tokens refill
 *       continuously and at most a quarter second's worth is spent at once. A second or more with
 *       no decision starts again from the floor after a quiet spell (see {@link #quiet}), not while
 *       the dialer still wanted calls.
 *   <li>bounded persists in flight: no new call while the dialer's reservations and its owed lead
 *       and agent steps still waiting for the journal number {@code maxInFlight} or more — a slow
 *       journal slows dialing instead of queueing writes it cannot take.
 * </ul>
 *
 * <p>Plain Java owned by one dialer actor.
 */
final class Admission {

  record Settings(double floor, double growth, double ceiling, int maxInFlight) {
    static Settings fromConfig(Config config) {
      Config c = config.getConfig("dialer.dialing.admission");
      return new Settings(
          c.getDouble("floor-per-second"),
          c.getDouble("growth-per-second"),
          c.getDouble("ceiling-per-second"),
          c.getInt("max-persists-in-flight"));
    }
  }

  private static final long WINDOW_MS = 1000;

  /** Closed windows kept for the dialer's status: two minutes of dialing. */
  static final int WINDOWS_KEPT = 120;

  private final ArrayDeque<AdmissionWindow> closed = new ArrayDeque<>();

  private final Settings settings;
  private double rate;
  private double tokens;
  private long refilledAt = Long.MIN_VALUE;
  private long windowStart;
  private int admittedInWindow;
  private int asksInWindow;
  private int inFlightPeak;
  private int fetchedInWindow;
  private int refusedInWindow;

  /**
   * The persists-in-flight bound held back calls the rate allowed in this window: the journal, not
   * demand, set what was admitted, so the next second keeps this rate instead of falling to twice
   * what passed. Before, every such second cut the rate (250 → 31 → 62 ...) and the dialer spent
   * the seconds after the journal caught up ramping again from near the floor: the 1,000-agent
   * burst of ./bench-load (docs/throughput.md, session 6).
   */
  private boolean heldByInFlight;

  /**
   * The latest decision wanted more calls than it was admitted: the dialer is busy, not quiet. Two
   * seconds without a decision then mean a slow one (a hopper query under load), and the rate is
   * kept; before, that dropped it to the floor as after a quiet spell (the 5,000-agent burst of
   * ./bench-load: 250/s, then 10/s after one slow query). {@link #quiet} clears it.
   */
  private boolean wanting;

  Admission(Settings settings) {
    this.settings = settings;
    this.rate = settings.floor();
  }

  /**
   * Takes up to {@code wanted} calls' admission; {@code inFlight}: persists the dialer still waits
   * for. Returns how many may start now.
   */
  int admit(Instant now, int wanted, int inFlight) {
    refill(now.toEpochMilli());
    int room = Math.max(0, settings.maxInFlight() - inFlight);
    int allowed = Math.min(wanted, (int) Math.floor(tokens));
    int admitted = Math.max(0, Math.min(allowed, room));
    heldByInFlight |= room < allowed;
    wanting = admitted < wanted;
    tokens -= admitted;
    admittedInWindow += admitted;
    asksInWindow++;
    inFlightPeak = Math.max(inFlightPeak, inFlight);
    return admitted;
  }

  /**
   * The hopper returned {@code count} candidates for admitted calls: counted in the window open
   * since the last admission (no window is closed here: only {@link #admit} moves the rate).
   */
  void fetched(int count) {
    fetchedInWindow += count;
  }

  /** A lead refused its reservation: counted as {@link #fetched}. */
  void refused() {
    refusedInWindow++;
  }

  /**
   * The dialer wants no call now (the pacer wants none, the campaign is paused, the PBX is down): a
   * gap of decisions from here on is a quiet spell, and the next burst ramps from the floor.
   */
  void quiet() {
    wanting = false;
  }

  /** The originates per second allowed now. */
  double rate() {
    return rate;
  }

  /** The latest windows, oldest first; the last one is still open. */
  List<AdmissionWindow> windows() {
    List<AdmissionWindow> windows = new ArrayList<>(closed);
    if (refilledAt != Long.MIN_VALUE) {
      windows.add(current());
    }
    return List.copyOf(windows);
  }

  /** When a call held back by the rate may be admitted (one token refilled). */
  Duration retryIn() {
    double missing = Math.max(0, 1 - tokens);
    return Duration.ofMillis(Math.max(20, (long) Math.ceil(missing / rate * 1000)));
  }

  private void refill(long nowMs) {
    if (refilledAt == Long.MIN_VALUE) {
      refilledAt = nowMs;
      windowStart = nowMs;
      tokens = capacity();
      return;
    }
    if (nowMs - windowStart >= 2 * WINDOW_MS) {
      close();
      // No decision for a whole second or more: after a quiet spell start again from the floor;
      // while the dialer still wanted calls (a slow decision) keep the rate.
      rate = wanting ? rate : settings.floor();
      windowStart = nowMs;
      startWindow();
    } else if (nowMs - windowStart >= WINDOW_MS) {
      close();
      double grown =
          Math.min(
              settings.ceiling(), Math.max(settings.floor(), settings.growth() * admittedInWindow));
      rate = heldByInFlight ? Math.max(rate, grown) : grown;
      windowStart += WINDOW_MS;
      startWindow();
    }
    tokens = Math.min(capacity(), tokens + rate * (nowMs - refilledAt) / 1000.0);
    refilledAt = nowMs;
  }

  private void startWindow() {
    admittedInWindow = 0;
    asksInWindow = 0;
    inFlightPeak = 0;
    fetchedInWindow = 0;
    refusedInWindow = 0;
    heldByInFlight = false;
  }

  private AdmissionWindow current() {
    return new AdmissionWindow(
        Instant.ofEpochMilli(windowStart),
        rate,
        admittedInWindow,
        asksInWindow,
        inFlightPeak,
        fetchedInWindow,
        refusedInWindow);
  }

  private void close() {
    if (closed.size() == WINDOWS_KEPT) {
      closed.removeFirst();
    }
    closed.addLast(current());
  }

  private double capacity() {
    return Math.max(1, rate / 4);
  }
}
