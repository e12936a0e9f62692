package com.welcomedly.dialer.engine.dialing;

import com.welcomedly.dialer.engine.CborSerializable;
import com.welcomedly.dialer.engine.agent.Agent;
import com.welcomedly.dialer.engine.agent.AgentChanges;
import com.welcomedly.dialer.engine.campaign.Campaign;
import com.welcomedly.dialer.engine.campaign.CampaignConfig;
import com.welcomedly.dialer.engine.lead.Lead;
import com.welcomedly.dialer.engine.pacing.Pacer;
import com.welcomedly.dialer.engine.pacing.PacingDecision;
import com.welcomedly.dialer.engine.pacing.PacingObserver;
import com.welcomedly.dialer.engine.persistence.JdbcPool;
import com.welcomedly.dialer.engine.projection.HopperQuery;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.MailboxSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * The dialer of one campaign: a sharded entity, so Cluster Sharding keeps exactly one per campaign
 * in the cluster and moves it when its node dies ({@link DialerSupervisor} re-creates it). It holds
 * no authority: leads lock themselves ({@code ReserveForDial}), agents keep their own state; this
 * actor only decides, asks and tracks (in {@link CallBook}).
 *
 * <p>Every tick (and every call event) it refreshes the campaign, asks the {@link Pacer} how many
 * calls to place, pulls that many candidates from the hopper, reserves them through their Lead
 * entities (refusals are skipped), originates through the gateway, routes live answers to the
 * longest-ready agent with a nailed-up leg, abandons with the safe-harbor message when no agent
 * takes the call within the connect deadline, and records every outcome on the lead.
 *
 * <p>This class is the actor: its protocol, the campaign's refresh and the dispatch of messages and
 * call events. The work is done by its parts, which share a {@link DialerContext}: {@link
 * CallPlacement} (pacing, admission, reserve and originate), {@link LiveAnswerRouting} (bridge
 * first, record after), {@link CallEnd}, {@link CallAdoption} (a previous instance's calls), {@link
 * AgentView} (agents pushed) and {@link CampaignHistory} (abandon ledger and pacing seeds).
 */
public final class CampaignDialer extends AbstractBehavior<CampaignDialer.Command> {
  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "CampaignDialer");

  public static void init(ActorSystem<?> system, ActorRef<TelephonyGateway.Command> gateway) {
    HopperQuery hopper = new HopperQuery(JdbcPool.get(system));
    ClusterSharding.get(system)
        .init(
            Entity.of(
                    ENTITY_KEY,
                    ctx -> create(ctx.getEntityId(), gateway, hopper, Clock.systemUTC()))
                .withEntityProps(props())
                .withStopMessage(HandOff.INSTANCE));
  }

  /**
   * The dialer's props: its own dispatcher, so it is not queued behind thousands of entity actors
   * and projections on the default one, and a mailbox that takes the PBX's events first ({@link
   * LiveAnswersFirst}). Issue 18: a live answer waited p99 101 ms for the dialer at 5,000 agents.
   */
  static Props props() {
    return MailboxSelector.fromConfig(MAILBOX).withDispatcherFromConfig(DISPATCHER);
  }

  /** The dispatcher of the event path: the dialers, the node's gateway and its event relays. */
  public static final String DISPATCHER = "dialer.dialing.dispatcher";

  static final String MAILBOX = "dialer.dialing.mailbox";

  public static Behavior<Command> create(
      String campaignId,
      ActorRef<TelephonyGateway.Command> gateway,
      HopperQuery hopper,
      Clock clock) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> new CampaignDialer(ctx, timers, campaignId, gateway, hopper, clock)));
  }

  // ---- protocol -------------------------------------------------------------------------------

  public interface Command extends CborSerializable {}

  /** Keep running: sent by the supervisor for every ACTIVE or PAUSED campaign. */
  public record Wake(String reason) implements Command {}

  /** What the dialer is doing, for tests, the API and operators. */
  public record GetStatus(ActorRef<Status> replyTo) implements Command {}

  public record Status(
      String campaignId,
      Campaign.Status campaignStatus,
      boolean pbxUp,
      int callsInFlight,
      int agentsReady,
      Map<String, String> calls,
      PacingDecision lastDecision,
      Totals totals,
      PacingModel pacingModel,
      Map<String, DialerLatency.Percentiles> latency,
      double admissionRate,
      List<AdmissionWindow> admissionWindows)
      implements CborSerializable {}

  /**
   * What the pacing model has learnt: dial resolutions seen (predictive takes over at 200), the
   * talk and wrap-up means it uses, the live-answer rate and the feedback loop's threshold.
   */
  public record PacingModel(
      long resolutionsSeen, double talkMean, double wrapMean, double liveRate, double threshold)
      implements CborSerializable {}

  /**
   * What this dialer instance has done since it started (a moved dialer starts again at zero; the
   * campaign's lasting figures come from its leads' events).
   */
  public record Totals(
      long dials, long liveAnswers, long connects, long abandons, long machines, long ended)
      implements CborSerializable {
    static final Totals ZERO = new Totals(0, 0, 0, 0, 0, 0);

    Totals dial() {
      return new Totals(dials + 1, liveAnswers, connects, abandons, machines, ended);
    }

    Totals liveAnswer() {
      return new Totals(dials, liveAnswers + 1, connects, abandons, machines, ended);
    }

    Totals connect() {
      return new Totals(dials, liveAnswers, connects + 1, abandons, machines, ended);
    }

    Totals abandon() {
      return new Totals(dials, liveAnswers, connects, abandons + 1, machines, ended);
    }

    Totals machine() {
      return new Totals(dials, liveAnswers, connects, abandons, machines + 1, ended);
    }

    Totals end() {
      return new Totals(dials, liveAnswers, connects, abandons, machines, ended + 1);
    }
  }

  private enum Tick implements Command {
    INSTANCE
  }

  private record CampaignLoaded(Campaign.Summary summary) implements Command {}

  /** The agents re-read by {@link AgentView#resync} (those that answered). */
  record AgentsLoaded(List<Agent.Changed> agents) implements Command {}

  /** One agent's change, pushed by the agent ({@link AgentChanges}). */
  record AgentChanged(Agent.Changed change) implements Command {}

  private enum AgentResync implements Command {
    INSTANCE
  }

  /** Route waiting calls and decide once for the agents' pushes queued before it (AgentView). */
  enum AgentsSettle implements Command {
    INSTANCE
  }

  record CandidatesFetched(List<HopperQuery.Candidate> candidates, String error)
      implements Command {}

  /** {@code askedAt}: System.nanoTime() when the reservation was asked (0: not asked here). */
  record LeadReserved(String attemptId, Lead.Reservation reservation, String error, long askedAt)
      implements Command {}

  /** {@code unanswered}: the ask failed (no reply), so the record may still land later. */
  record AgentReserved(
      String attemptId, String agentId, String error, boolean unanswered, long askedAt)
      implements Command {}

  /** Calls the pacer wanted were held back by admission control: decide again. */
  enum AdmitAgain implements Command {
    INSTANCE
  }

  /** A call event, delivered through sharding by {@link TelephonyEventRelay}. */
  record FromCall(TelephonyGateway.CallEvent event) implements Command {}

  /** An agent leg event, delivered through sharding by {@link TelephonyEventRelay}. */
  record FromLeg(TelephonyGateway.AgentLegEvent event) implements Command {}

  private record FromPbx(TelephonyGateway.PbxStatus status) implements Command {}

  /**
   * Sharding stops this instance (hand-off, passivation): it stops once this node's event relays
   * have queued everything they told it directly; later events go to the next instance.
   */
  enum HandOff implements Command {
    INSTANCE
  }

  /** One of this node's relays has queued everything it told this instance directly. */
  enum RelayDrained implements Command {
    INSTANCE
  }

  record ConnectDeadline(String attemptId) implements Command {}

  private enum AdoptTick implements Command {
    INSTANCE
  }

  record InCallFound(List<String> leadIds, String error) implements Command {}

  record LedgerSeed(List<HopperQuery.LiveAnswer> answers, String error) implements Command {}

  record PacingSeed(PacingObserver.History history, String error) implements Command {}

  /** {@code reconciled} null when the leads or the PBX could not be asked: retried next sweep. */
  record AdoptionChecked(List<Lead.Summary> leads, TelephonyGateway.Reconciled reconciled)
      implements Command {}

  // ---- state ----------------------------------------------------------------------------------

  private final DialerContext d;
  private final CampaignHistory history;
  private final PreviewDesk previews;
  private final AgentlessDialing agentless;
  // Not final: the preview desk and agentless dialing, built first, call into them.
  private CallPlacement placement;
  private final CallEnd callEnd;
  private LiveAnswerRouting routing;
  private final CallAdoption adoption;
  private final AgentView agents;

  /** Relays still to confirm their drain after a {@link HandOff}; 0 while running. */
  private int drainsAwaited;

  private CampaignDialer(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      String campaignId,
      ActorRef<TelephonyGateway.Command> gateway,
      HopperQuery hopper,
      Clock clock) {
    super(context);
    com.typesafe.config.Config config = context.getSystem().settings().config();
    this.d = new DialerContext(campaignId, context, timers, gateway, hopper, clock);
    this.history = new CampaignHistory(d);
    this.previews =
        new PreviewDesk(
            campaignId,
            context,
            timers,
            hopper,
            d.book,
            gateway,
            clock,
            d.askTimeout,
            (attemptId, agentId, reservation) ->
                this.placement.dialPreview(attemptId, agentId, reservation),
            d::leadStep,
            d::agentStep);
    this.placement =
        new CallPlacement(
            d, history, new Admission(Admission.Settings.fromConfig(config)), previews);
    this.agentless =
        new AgentlessDialing(
            campaignId,
            d.book,
            clock,
            context.getLog(),
            call -> this.routing.liveAnswer(call),
            d::leadStep);
    this.callEnd = new CallEnd(d, history, previews, agentless);
    this.routing = new LiveAnswerRouting(d, history, previews, callEnd);
    this.adoption = new CallAdoption(d, history, routing);
    this.agents = new AgentView(d, adoption, routing, placement::decide);
    gateway.tell(
        new TelephonyGateway.Subscribe(
            context.messageAdapter(TelephonyGateway.PbxStatus.class, FromPbx::new)));
    timers.startTimerWithFixedDelay(Tick.INSTANCE, config.getDuration("dialer.dialing.tick"));
    timers.startTimerWithFixedDelay(
        AgentResync.INSTANCE, config.getDuration("dialer.dialing.agent-resync"));
    timers.startTimerWithFixedDelay(
        AdoptTick.INSTANCE, Duration.ZERO, config.getDuration("dialer.dialing.adopt-interval"));
    // Last, once nothing here can fail: while this instance runs, this node's relays tell it
    // directly (TelephonyEventRelay); PostStop or a hand-off unregisters it.
    d.relays.register(campaignId, context.getSelf());
    context.getLog().info("Dialer of campaign {} started", campaignId);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Wake.class, w -> onTick())
        .onMessageEquals(Tick.INSTANCE, this::onTick)
        .onMessageEquals(AdmitAgain.INSTANCE, () -> run(placement::decide))
        .onMessage(GetStatus.class, this::onGetStatus)
        .onMessage(CampaignLoaded.class, this::onCampaignLoaded)
        .onMessageEquals(AgentResync.INSTANCE, () -> run(agents::resyncRound))
        .onMessageEquals(AgentsSettle.INSTANCE, () -> run(agents::onSettle))
        .onMessage(AgentsLoaded.class, m -> run(() -> agents.onResynced(m)))
        .onMessage(AgentChanged.class, m -> run(() -> agents.onChanged(m.change())))
        .onMessage(CandidatesFetched.class, m -> run(() -> placement.onCandidates(m)))
        .onMessage(LeadReserved.class, m -> run(() -> placement.onLeadReserved(m)))
        .onMessage(AgentReserved.class, m -> run(() -> routing.onAgentReserved(m)))
        .onMessage(FromCall.class, m -> run(() -> onCallEvent(m.event())))
        .onMessage(FromLeg.class, m -> run(() -> onLegEvent(m.event())))
        .onMessage(FromPbx.class, this::onPbx)
        .onMessage(ConnectDeadline.class, m -> run(() -> routing.onConnectDeadline(m)))
        .onMessageEquals(AdoptTick.INSTANCE, () -> run(adoption::sweep))
        .onMessage(InCallFound.class, m -> run(() -> adoption.onInCallFound(m)))
        .onMessage(AdoptionChecked.class, m -> run(() -> adoption.onAdoptionChecked(m)))
        .onMessage(LedgerSeed.class, m -> run(() -> history.onLedgerSeed(m)))
        .onMessage(PacingSeed.class, m -> run(() -> history.onPacingSeed(m)))
        .onMessage(
            Preview.Message.class,
            m -> run(() -> previews.onMessage(new PreviewDesk.Situation(d.campaign, d.pbxUp), m)))
        .onMessageEquals(HandOff.INSTANCE, this::onHandOff)
        .onMessageEquals(RelayDrained.INSTANCE, this::onRelayDrained)
        .onSignal(
            PostStop.class,
            stopped -> {
              d.relays.unregister(d.campaignId, getContext().getSelf());
              return this;
            })
        .build();
  }

  private Behavior<Command> run(Runnable handler) {
    handler.run();
    return this;
  }

  // ---- hand-off --------------------------------------------------------------------------------

  private Behavior<Command> onHandOff() {
    if (drainsAwaited > 0) {
      return this; // already handing off
    }
    drainsAwaited = d.relays.handOff(d.campaignId, getContext().getSelf());
    return drainsAwaited == 0 ? Behaviors.stopped() : this;
  }

  private Behavior<Command> onRelayDrained() {
    drainsAwaited--;
    if (drainsAwaited == 0) {
      getContext().getLog().info("Dialer of campaign {} handed off", d.campaignId);
      return Behaviors.stopped();
    }
    return this;
  }

  // ---- the campaign ---------------------------------------------------------------------------

  private Behavior<Command> onTick() {
    getContext()
        .pipeToSelf(
            d.sharding
                .entityRefFor(Campaign.ENTITY_KEY, d.campaignId)
                .ask(Campaign.GetSummary::new, d.askTimeout),
            (summary, failure) -> failure == null ? new CampaignLoaded(summary) : null);
    return this;
  }

  private Behavior<Command> onCampaignLoaded(CampaignLoaded loaded) {
    Campaign.Summary summary = loaded.summary();
    if (summary.config() == null || summary.status() == Campaign.Status.FINISHED) {
      if (d.book.callsInFlight() == 0) {
        getContext()
            .getLog()
            .info("Campaign {} is {}: dialer stops", d.campaignId, summary.status());
        d.book
            .legs()
            .forEach(agentId -> d.gateway.tell(new TelephonyGateway.ReleaseAgent(agentId)));
        DialingMetrics.campaignStopped(d.campaignId);
        return Behaviors.stopped();
      }
    }
    boolean firstLoad = d.campaign == null;
    boolean newAgents =
        !firstLoad
            && summary.config() != null
            && (d.campaign.config() == null
                || !d.campaign.config().assignedAgents().equals(summary.config().assignedAgents()));
    d.campaign = summary;
    if (summary.config() != null) {
      if (firstLoad || newAgents) {
        agents.resync(); // agents assigned since are read now, not at the next re-read
      }
      if (firstLoad) {
        // A moved dialer takes its predecessor's calls over now, not at the next sweep.
        adoption.sweep();
      }
      routing.routeWaitingCalls();
      placement.decide();
    }
    return this;
  }

  // ---- call events ----------------------------------------------------------------------------

  private void onCallEvent(TelephonyGateway.CallEvent event) {
    Optional<CallBook.Call> found = d.book.call(event.callId());
    if (found.isEmpty()) {
      return;
    }
    CallBook.Call call = found.get();
    CampaignConfig config = d.config();
    if (AdoptedAnswer.isRepeat(event, call)) {
      return; // also reported by the gateway of the node this call was adopted from
    }
    Instant now = d.clock.instant();
    if (event.at() != null) {
      d.latency.record(DialerLatency.Step.EVENT_WAIT, Duration.between(event.at(), now).toNanos());
    }
    if (config.dialsAgentless() && agentless.onCallEvent(call, event)) {
      return;
    }
    if (event instanceof TelephonyGateway.Answered) {
      if (call.dialedAt() != null && call.phase() == CallBook.Phase.DIALING) {
        d.latency.record(
            DialerLatency.Step.ORIGINATE_TO_ANSWER,
            Duration.between(call.dialedAt(), now).toNanos());
      }
      d.leadStep(call.leadId(), r -> new Lead.MarkAnswered(call.attemptId(), r));
      if (!config.amd().enabled()) {
        routing.liveAnswer(call);
      }
    } else if (event instanceof TelephonyGateway.MachineDetection amd) {
      if (amd.verdict() == TelephonyGateway.AmdVerdict.MACHINE) {
        d.book.machine(call.attemptId());
        d.totals = d.totals.machine();
        d.observations.dialResolved(call.dialedAt(), now, false);
        d.gateway.tell(new TelephonyGateway.Hangup(call.attemptId()));
      } else {
        routing.liveAnswer(call);
      }
    } else if (event instanceof TelephonyGateway.Bridged bridged) {
      routing.bridged(call, bridged.agentId(), now);
    } else if (event instanceof TelephonyGateway.SafeHarborFailed failed) {
      // Still an abandon (counted at the deadline); but no message played: say so loudly, and
      // record it as evidence on the lead.
      d.log.warn("Safe-harbor message not played on {}: {}", call.attemptId(), failed.reason());
      DialingMetrics.safeHarborFailures(d.campaignId).increment();
      d.safeHarbor.record(event).ifPresent(command -> d.leadStep(call.leadId(), command));
    } else if (event instanceof TelephonyGateway.SafeHarborPlayed played) {
      d.safeHarbor.record(event).ifPresent(command -> d.leadStep(call.leadId(), command));
      if (played.optedOut()) {
        d.leadStep(
            call.leadId(),
            r -> new Lead.MarkDnc(Lead.DncSource.SAFE_HARBOR_OPT_OUT, "safe-harbor", r));
      }
    } else if (event.isFinal()) {
      callEnd.callEnded(call, event, config);
    } else {
      d.safeHarbor.record(event).ifPresent(command -> d.leadStep(call.leadId(), command));
    }
  }

  // ---- agent legs and PBX ---------------------------------------------------------------------

  private void onLegEvent(TelephonyGateway.AgentLegEvent event) {
    if (event instanceof TelephonyGateway.AgentLegUp up) {
      d.book.legUp(up.agentId());
      routing.routeWaitingCalls();
    } else if (event instanceof TelephonyGateway.AgentLegDown
        || event instanceof TelephonyGateway.AgentLegFailed) {
      d.book.legDown(event.agentId()); // nailed up again when the agent is seen again
    }
  }

  private Behavior<Command> onPbx(FromPbx message) {
    boolean wasUp = d.pbxUp;
    d.pbxUp = message.status() instanceof TelephonyGateway.PbxUp;
    if (!d.pbxUp) {
      d.book.allLegsDown();
    } else if (!wasUp) {
      // PBX back: nail the agents' legs up and dial now, not at the next tick.
      agents.resync();
      return onTick();
    }
    return this;
  }

  private Behavior<Command> onGetStatus(GetStatus get) {
    get.replyTo()
        .tell(
            new Status(
                d.campaignId,
                d.campaign == null ? null : d.campaign.status(),
                d.pbxUp,
                d.book.callsInFlight(),
                d.book.readyAgents(),
                d.book.phases(),
                placement.lastDecision(),
                d.totals,
                new PacingModel(
                    d.estimator.resolutionsSeen(),
                    d.estimator.talkMean(),
                    d.estimator.wrapMean(),
                    d.estimator.liveRate(),
                    d.estimator.threshold()),
                d.latency.snapshot(),
                placement.admissionRate(),
                placement.admissionWindows()));
    return this;
  }
}
