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

  public static final String WINDOW = "window";

  private static final Metric.Gauge ABANDON_RATIO =
      Kamon.gauge(
          "dialer.abandon.ratio",
          "Abandoned / live answers over the regulated window (us_30d, uk_24h) ending now");
  private static final Metric.Gauge ABANDON_CAP =
      Kamon.gauge("dialer.abandon.cap.ratio", "The regulatory abandon cap the ledger enforces");
  private static final Metric.Gauge CAMPAIGN_ACTIVE =
      Kamon.gauge("dialer.campaign.active", "1 while the campaign is ACTIVE on this node's dialer");
  private static final Metric.Gauge READY_AGENTS =
      Kamon.gauge("dialer.campaign.ready.agents", "Agents READY with their leg up, per campaign");

  private DialingMetrics() {}

  /**
   * The campaign as its dialer sees it on each pacing decision: the abandon ledger of both windows,
   * whether it may dial, and how many agents wait. Alerts compare these (abandon near the cap, an
   * ACTIVE campaign with ready agents that places no calls).
   */
  static void campaignState(
      String campaignId,
      com.welcomedly.dialer.engine.compliance.AbandonLedger.Status ledger,
      boolean active,
      int readyAgents) {
    ABANDON_RATIO
        .withTag(CAMPAIGN, campaignId)
        .withTag(WINDOW, "us_30d")
        .update(ledger.us30Days().rate());
    ABANDON_RATIO
        .withTag(CAMPAIGN, campaignId)
        .withTag(WINDOW, "uk_24h")
        .update(ledger.uk24Hours().rate());
    ABANDON_CAP.withTag(CAMPAIGN, campaignId).update(ledger.cap());
    CAMPAIGN_ACTIVE.withTag(CAMPAIGN, campaignId).update(active ? 1 : 0);
    READY_AGENTS.withTag(CAMPAIGN, campaignId).update(readyAgents);
  }

  /** The dialer stopped (campaign finished or gone): it no longer dials here. */
  static void campaignStopped(String campaignId) {
    CAMPAIGN_ACTIVE.withTag(CAMPAIGN, campaignId).update(0);
    READY_AGENTS.withTag(CAMPAIGN, campaignId).update(0);
  }

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
