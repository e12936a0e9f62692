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
  public static final String REASON = "reason";

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
  public static final String STEP = "step";

  private static final Metric.Histogram ORIGINATE_TO_ANSWER =
      Kamon.histogram(
          "dialer.originate.to.answer",
          "Originate sent to the PBX reporting the answer",
          MeasurementUnit.time().nanoseconds());
  private static final Metric.Histogram EVENT_WAIT =
      Kamon.histogram(
          "dialer.event.wait",
          "A telephony event's time at the gateway to the dialer handling it (relay and mailbox)",
          MeasurementUnit.time().nanoseconds());
  private static final Metric.Histogram DECISION =
      Kamon.histogram(
          "dialer.decision",
          "One pacing decision of the dialer (book snapshot and pacer)",
          MeasurementUnit.time().nanoseconds());
  private static final Metric.Histogram STEPS =
      Kamon.histogram(
          "dialer.step",
          "A dialer's ask to a lead or agent, sent to answer handled (retries included)",
          MeasurementUnit.time().nanoseconds());
  private static final Metric.Gauge ADMISSION_RATE =
      Kamon.gauge(
          "dialer.admission.rate", "Originates per second the dialer's admission control allows");
  private static final Metric.Counter LATE_BRIDGES =
      Kamon.counter(
          "dialer.late.bridges",
          "Live answers bridged after the connect deadline: counted as abandons, not connects");
  private static final Metric.Counter BRIDGES_NOT_TAKEN =
      Kamon.counter(
          "dialer.bridges.not.taken",
          "Live answers bridged first whose agent refused the record: safe-harbor message, abandon");

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

  /** {@code reason}: one of {@link AbandonReason}'s labels. */
  public static Counter abandons(String campaignId, AbandonReason reason) {
    return ABANDONS.withTag(CAMPAIGN, campaignId).withTag(REASON, reason.label);
  }

  /**
   * Why a live answer was an abandon, as the {@code reason} label of {@code dialer_abandons_total}:
   * so that abandons can be explained (a pacing matter, a caller's patience, or the engine).
   */
  public enum AbandonReason {
    /** No agent by the connect deadline: the safe-harbor message played. */
    DEADLINE("deadline"),
    /** The caller hung up while waiting for an agent (or before the bridge reached one). */
    HUNG_UP("hung_up"),
    /** Bridged first to an agent whose record was refused: safe-harbor message. */
    NOT_TAKEN("not_taken"),
    /** Bridged after the connect deadline. */
    LATE_BRIDGE("late_bridge");

    public final String label;

    AbandonReason(String label) {
      this.label = label;
    }
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

  static Histogram latency(String campaignId, DialerLatency.Step step) {
    return switch (step) {
      case ORIGINATE_TO_ANSWER -> ORIGINATE_TO_ANSWER.withTag(CAMPAIGN, campaignId);
      case ANSWER_TO_BRIDGE -> answerToBridge(campaignId);
      case EVENT_WAIT -> EVENT_WAIT.withTag(CAMPAIGN, campaignId);
      case DECISION -> DECISION.withTag(CAMPAIGN, campaignId);
      default -> step(campaignId, step.label);
    };
  }

  /** {@code step}: a bounded name (reserve_lead, reserve_agent, or a step command's class). */
  static Histogram step(String campaignId, String step) {
    return STEPS.withTag(CAMPAIGN, campaignId).withTag(STEP, step);
  }

  static Gauge admissionRate(String campaignId) {
    return ADMISSION_RATE.withTag(CAMPAIGN, campaignId);
  }

  static Counter lateBridges(String campaignId) {
    return LATE_BRIDGES.withTag(CAMPAIGN, campaignId);
  }

  static Counter bridgesNotTaken(String campaignId) {
    return BRIDGES_NOT_TAKEN.withTag(CAMPAIGN, campaignId);
  }
}
