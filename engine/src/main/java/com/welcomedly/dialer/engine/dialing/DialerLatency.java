package com.welcomedly.dialer.engine.dialing;

import com.welcomedly.dialer.engine.CborSerializable;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dialer's latency instruments: each sample goes to its Prometheus histogram ({@link
 * DialingMetrics}) and to a window of the last {@value #WINDOW} samples per step, whose percentiles
 * the dialer's status shows (supervisor stats), so an operator sees the live figures without a
 * Prometheus. Owned by one dialer actor: recorded only from its message handlers.
 */
public final class DialerLatency {

  /** A measured step; {@code name} is its key in the status and its metric label. */
  enum Step {
    /** Originate sent → the PBX reports the answer. */
    ORIGINATE_TO_ANSWER("originate_to_answer"),
    /** Live answer handled → bridged to an agent (also {@code dialer_answer_to_bridge_seconds}). */
    ANSWER_TO_BRIDGE("answer_to_bridge"),
    /** A telephony event's time at the gateway → the dialer handles it (relay and mailbox). */
    EVENT_WAIT("event_wait"),
    /** One pacing decision: snapshot of the book and the pacer. */
    DECISION("decision"),
    /** Lead.ReserveForDial asked → its answer handled (journal write and mailbox). */
    RESERVE_LEAD("reserve_lead"),
    /** Agent.Reserve asked → its answer handled (journal write and mailbox). */
    RESERVE_AGENT("reserve_agent");

    final String label;

    Step(String label) {
      this.label = label;
    }
  }

  /** Percentiles of the recent window, in milliseconds. */
  public record Percentiles(int samples, double p50Ms, double p99Ms, double maxMs)
      implements CborSerializable {}

  static final int WINDOW = 1024;

  private final String campaignId;
  private final Map<Step, long[]> windows = new EnumMap<>(Step.class);
  private final Map<Step, Integer> counts = new EnumMap<>(Step.class);

  DialerLatency(String campaignId) {
    this.campaignId = campaignId;
  }

  void record(Step step, long nanos) {
    long value = Math.max(0, nanos);
    DialingMetrics.latency(campaignId, step).record(value);
    long[] window = windows.computeIfAbsent(step, s -> new long[WINDOW]);
    int count = counts.merge(step, 1, Integer::sum);
    window[(count - 1) % WINDOW] = value;
    if (count == 2 * WINDOW) {
      counts.put(step, WINDOW); // keeps the index bounded; the window stays full
    }
  }

  /** Each measured step's recent percentiles, keyed by its name. */
  Map<String, Percentiles> snapshot() {
    Map<String, Percentiles> out = new LinkedHashMap<>();
    for (Step step : Step.values()) {
      Integer count = counts.get(step);
      if (count == null) {
        continue;
      }
      int n = Math.min(count, WINDOW);
      long[] sorted = Arrays.copyOf(windows.get(step), n);
      Arrays.sort(sorted);
      out.put(
          step.label,
          new Percentiles(n, millis(sorted, 0.50), millis(sorted, 0.99), sorted[n - 1] / 1e6));
    }
    return out;
  }

  private static double millis(long[] sorted, double quantile) {
    int index = (int) Math.ceil(quantile * sorted.length) - 1;
    return sorted[Math.max(0, index)] / 1e6;
  }
}
