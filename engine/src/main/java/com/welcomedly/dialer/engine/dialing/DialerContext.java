package com.welcomedly.dialer.engine.dialing;

import com.welcomedly.dialer.engine.agent.Agent;
import com.welcomedly.dialer.engine.campaign.Campaign;
import com.welcomedly.dialer.engine.campaign.CampaignConfig;
import com.welcomedly.dialer.engine.lead.Lead;
import com.welcomedly.dialer.engine.pacing.PacingEstimator;
import com.welcomedly.dialer.engine.projection.HopperQuery;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.pattern.StatusReply;
import org.slf4j.Logger;

/**
 * What the parts of one campaign's dialer share (they all run on the {@link CampaignDialer} actor's
 * thread, never elsewhere): its collaborators, its working memory ({@link CallBook}), the campaign
 * as last read, and the steps it owes leads and agents. Plain Java; the parts are split by
 * responsibility (placing calls, routing live answers, ending calls, adopting, the agents' view,
 * the campaign's history) and this is the room they share.
 */
final class DialerContext {

  /** Leads this instance reserved (the latest {@value #RESERVED_HERE}): none is adoptable. */
  private static final int RESERVED_HERE = 100_000;

  final String campaignId;
  final ActorContext<CampaignDialer.Command> actor;
  final TimerScheduler<CampaignDialer.Command> timers;
  final ActorRef<TelephonyGateway.Command> gateway;
  final HopperQuery hopper;
  final Clock clock;
  final ClusterSharding sharding;
  final Duration askTimeout;
  final Duration safeHarborMargin;
  final ActorRef<TelephonyGateway.CallEvent> callEvents;
  final ActorRef<TelephonyGateway.AgentLegEvent> legEvents;
  final TelephonyEventRelay relays;
  final CallBook book = new CallBook();
  final DialerLatency latency;
  final SafeHarborEvidence safeHarbor = new SafeHarborEvidence();

  /** Leads left out of the hopper queries a while after their call or a refusal. */
  final RestingLeads resting = new RestingLeads();

  final PacingEstimator estimator = new PacingEstimator();
  final PacingObservations observations = new PacingObservations(estimator);
  final Logger log;

  /** Attempts reserved before this instance started belong to a previous one (adoption). */
  final Instant startedAt;

  final Set<String> reservedHere =
      Collections.newSetFromMap(
          new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
              return size() > RESERVED_HERE;
            }
          });

  private final RetriedSteps steps;

  Campaign.Summary campaign;
  boolean pbxUp;
  CampaignDialer.Totals totals = CampaignDialer.Totals.ZERO;

  DialerContext(
      String campaignId,
      ActorContext<CampaignDialer.Command> actor,
      TimerScheduler<CampaignDialer.Command> timers,
      ActorRef<TelephonyGateway.Command> gateway,
      HopperQuery hopper,
      Clock clock) {
    this.campaignId = campaignId;
    this.actor = actor;
    this.timers = timers;
    this.gateway = gateway;
    this.hopper = hopper;
    this.clock = clock;
    this.log = actor.getLog();
    this.sharding = ClusterSharding.get(actor.getSystem());
    com.typesafe.config.Config config = actor.getSystem().settings().config();
    this.askTimeout = config.getDuration("dialer.dialing.ask-timeout");
    this.safeHarborMargin = SafeHarborTiming.margin(config);
    // The gateway answers to this node's relay, which reaches the dialer through sharding: events
    // of calls in flight follow the dialer when it moves instead of dying with this instance.
    this.relays = TelephonyEventRelay.get(actor.getSystem());
    this.callEvents = relays.calls(campaignId);
    this.legEvents = relays.legs(campaignId);
    this.steps =
        new RetriedSteps(
            actor.getSystem().scheduler(),
            actor.getSystem().executionContext(),
            RetriedSteps.Settings.fromConfig(config));
    this.latency = new DialerLatency(campaignId);
    this.startedAt = clock.instant();
  }

  CampaignConfig config() {
    return campaign.config();
  }

  /** Owed steps still waiting or being retried (admission control counts them). */
  int pendingSteps() {
    return steps.pending();
  }

  void outcome(String outcome) {
    DialingMetrics.outcomes(campaignId, outcome).increment();
  }

  static String deadlineKey(String attemptId) {
    return "deadline-" + attemptId;
  }

  /**
   * A lead step, retried until it lands (see {@link RetriedSteps}); a refusal is logged: the lead's
   * own timers recover anything left behind.
   */
  CompletionStage<RetriedSteps.Outcome> leadStep(
      String leadId, Function<ActorRef<StatusReply<Lead.Summary>>, Lead.Command> command) {
    return timed(
        stepName(command),
        name ->
            steps.send(
                "Lead " + leadId,
                name,
                () ->
                    sharding
                        .entityRefFor(Lead.ENTITY_KEY, leadId)
                        .ask(command::apply, askTimeout)));
  }

  CompletionStage<RetriedSteps.Outcome> agentStep(
      String agentId, Function<ActorRef<StatusReply<Agent.Summary>>, Agent.Command> command) {
    if (agentId == null) {
      return CompletableFuture.completedFuture(RetriedSteps.Outcome.REFUSED); // no agent known yet
    }
    return timed(
        stepName(command),
        name ->
            steps.send(
                "Agent " + agentId,
                name,
                () ->
                    sharding
                        .entityRefFor(Agent.ENTITY_KEY, agentId)
                        .ask(command::apply, askTimeout)));
  }

  /** A step's time from sent to landed (retries included), in {@code dialer_step_seconds}. */
  private CompletionStage<RetriedSteps.Outcome> timed(
      String name, Function<String, CompletionStage<RetriedSteps.Outcome>> step) {
    long sent = System.nanoTime();
    // Only Kamon (thread-safe) is touched off the actor's thread.
    return step.apply(name)
        .whenComplete(
            (o, e) -> DialingMetrics.step(campaignId, name).record(System.nanoTime() - sent));
  }

  /** The command's simple name (e.g. EndCall), for the retry log lines. */
  private static <R> String stepName(Function<ActorRef<R>, ?> command) {
    try {
      return command.apply(null).getClass().getSimpleName();
    } catch (RuntimeException e) {
      return "step";
    }
  }
}
