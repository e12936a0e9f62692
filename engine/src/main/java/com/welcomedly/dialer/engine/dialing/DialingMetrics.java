package com.welcomedly.dialer.engine.dialing;

import kamon.Kamon;
import kamon.metric.Counter;
import kamon.metric.Gauge;
import kamon.metric.Histogram;
import kamon.metric.MeasurementUnit;
import kamon.metric.Metric;

/**
 * The dialing loop's instruments, declared once. Every series is tagged with the campaign id so
 * Prometheus can compute per-campaign abandon rates ({@code abandons / live_answers}).
 */
public final class DialingMetrics {
  public static final String CAMPAIGN = "campaign";
  public static final String OUTCOME = "outcome";

  private static final Metric.Counter DIALS =
      Kamon.counter("dialer.dials", "Customer calls originated");
  private static final Metric.Counter OUTCOMES =
      Kamon.counter("dialer.call.outcomes", "Finished dial attempts by outcome");
  private static final Metric.Counter LIVE_ANSWERS =
      Kamon.counter("dialer.live.answers", "Calls answered by a person");
  private static final Metric.Counter CONNECTS =
      Kamon.counter("dialer.connects", "Live answers bridged to an agent");
  private static final Metric.Counter ABANDONS =
      Kamon.counter("dialer.abandons", "Live answers not connected within the deadline");
  private static final Metric.Counter SAFE_HARBOR_FAILURES =
      Kamon.counter(
          "dialer.safe.harbor.failures",
          "Abandoned calls whose safe-harbor message the PBX could not play");
  private static final Metric.Gauge CALLS_IN_FLIGHT =
      Kamon.gauge("dialer.calls.in.flight", "Customer calls originated and not yet ended");
  private static final Metric.Histogram ANSWER_TO_BRIDGE =
      Kamon.histogram(
          "dialer.answer.to.bridge",
          "Live answer to agent bridged",
          MeasurementUnit.time().nanoseconds());

  private DialingMetrics() {}

  public static Counter dials(String campaignId) {
    return DIALS.withTag(CAMPAIGN, campaignId);
  }

  public static Counter outcomes(String campaignId, String outcome) {
    return OUTCOMES.withTag(CAMPAIGN, campaignId).withTag(OUTCOME, outcome);
  }

  public static Counter liveAnswers(String campaignId) {
    return LIVE_ANSWERS.withTag(CAMPAIGN, campaignId);
  }

  public static Counter connects(String campaignId) {
    return CONNECTS.withTag(CAMPAIGN, campaignId);
  }

  public static Counter abandons(String campaignId) {
    return ABANDONS.withTag(CAMPAIGN, campaignId);
  }

  public static Counter safeHarborFailures(String campaignId) {
    return SAFE_HARBOR_FAILURES.withTag(CAMPAIGN, campaignId);
  }

  public static Gauge callsInFlight(String campaignId) {
    return CALLS_IN_FLIGHT.withTag(CAMPAIGN, campaignId);
  }

  public static Histogram answerToBridge(String campaignId) {
    return ANSWER_TO_BRIDGE.withTag(CAMPAIGN, campaignId);
  }
}
