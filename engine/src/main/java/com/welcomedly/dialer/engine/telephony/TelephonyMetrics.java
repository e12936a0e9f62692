package com.welcomedly.dialer.engine.telephony;

import kamon.Kamon;
import kamon.metric.Counter;
import kamon.metric.Gauge;
import kamon.metric.Metric;

/** AMI gateway instruments: connection health, actions sent and their results, skipped packets. */
public final class TelephonyMetrics {
  public static final String ACTION = "action";
  public static final String RESULT = "result";
  public static final String OUTCOME = "outcome";

  private static final Metric.Gauge PBX_UP =
      Kamon.gauge("dialer.ami.connected", "1 while the AMI connection is logged in, else 0");
  private static final Metric.Counter RECONNECTS =
      Kamon.counter("dialer.ami.reconnects", "AMI reconnect attempts");
  private static final Metric.Counter ACTIONS =
      Kamon.counter("dialer.ami.actions", "AMI actions by name and result");
  private static final Metric.Counter SKIPPED_EVENTS =
      Kamon.counter("dialer.ami.events.skipped", "Malformed or unexpected AMI packets skipped");

  private static final Metric.Counter CALL_OUTCOMES =
      Kamon.counter("dialer.calls.outcomes", "Calls ended, by final event (Busy, HungUp, ...)");

  private TelephonyMetrics() {}

  public static Counter callOutcomes(String outcome) {
    return CALL_OUTCOMES.withTag(OUTCOME, outcome);
  }

  public static Gauge pbxUp() {
    return PBX_UP.withoutTags();
  }

  public static Counter reconnects() {
    return RECONNECTS.withoutTags();
  }

  public static Counter actions(String action, String result) {
    return ACTIONS.withTag(ACTION, action).withTag(RESULT, result);
  }

  public static Counter skippedEvents() {
    return SKIPPED_EVENTS.withoutTags();
  }
}
