package com.welcomedly.dialer.engine.telephony;

import kamon.Kamon;
import kamon.metric.Counter;
import kamon.metric.Gauge;
import kamon.metric.Histogram;
import kamon.metric.MeasurementUnit;
import kamon.metric.Metric;

/**
 * AMI gateway instruments: connection health, actions sent and their results, skipped packets, and
 * the engine's and the PBX's shares of a live answer's way to its agent ({@link BridgeTiming}).
 */
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

  private static final Metric.Histogram ANSWER_TO_BRIDGE_ACTION =
      Kamon.histogram(
          "dialer.answer.to.bridge.action",
          "The engine's share of answer to bridge: the gateway's receipt of the live answer to the"
              + " Bridge action written to the PBX",
          MeasurementUnit.time().nanoseconds());
  private static final Metric.Histogram BRIDGE_ACTION_TO_BRIDGED =
      Kamon.histogram(
          "dialer.bridge.action.to.bridged",
          "The PBX's share of answer to bridge: the Bridge action written to the gateway's receipt"
              + " of Bridged",
          MeasurementUnit.time().nanoseconds());

  private TelephonyMetrics() {}

  public static Histogram answerToBridgeAction() {
    return ANSWER_TO_BRIDGE_ACTION.withoutTags();
  }

  public static Histogram bridgeActionToBridged() {
    return BRIDGE_ACTION_TO_BRIDGED.withoutTags();
  }

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
