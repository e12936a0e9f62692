package com.welcomedly.dialer.engine.dialing;

import com.welcomedly.dialer.engine.CborSerializable;
import com.welcomedly.dialer.engine.agent.Agent;
import com.welcomedly.dialer.engine.campaign.Campaign;
import com.welcomedly.dialer.engine.campaign.CampaignConfig;
import com.welcomedly.dialer.engine.campaign.Disposition;
import com.welcomedly.dialer.engine.compliance.AbandonLedger;
import com.welcomedly.dialer.engine.lead.Lead;
import com.welcomedly.dialer.engine.pacing.Pacer;
import com.welcomedly.dialer.engine.pacing.PacingDecision;
import com.welcomedly.dialer.engine.pacing.PacingEstimator;
import com.welcomedly.dialer.engine.pacing.PacingObserver;
import com.welcomedly.dialer.engine.pacing.PacingSnapshot;
import com.welcomedly.dialer.engine.pacing.TokenBucket;
import com.welcomedly.dialer.engine.persistence.JdbcPool;
import com.welcomedly.dialer.engine.projection.HopperQuery;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;

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
 */
public final class CampaignDialer extends AbstractBehavior<CampaignDialer.Command> {
  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "CampaignDialer");

  public static void init(ActorSystem<?> system, ActorRef<TelephonyGateway.Command> gateway) {
    HopperQuery hopper = new HopperQuery(JdbcPool.get(system));
    ClusterSharding.get(system)
        .init(
            Entity.of(
                ENTITY_KEY, ctx -> create(ctx.getEntityId(), gateway, hopper, Clock.systemUTC())));
  }

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

  private record AgentsLoaded(List<Agent.Summary> agents) implements Command {}

  private record CandidatesFetched(List<HopperQuery.Candidate> candidates, String error)
      implements Command {}

  /** {@code askedAt}: System.nanoTime() when the reservation was asked (0: not asked here). */
  private record LeadReserved(
      String attemptId, Lead.Reservation reservation, String error, long askedAt)
      implements Command {}

  /** {@code unanswered}: the ask failed (no reply), so the Reserve may still land later. */
  private record AgentReserved(
      String attemptId, String agentId, String error, boolean unanswered, long askedAt)
      implements Command {}

  /** Calls the pacer wanted were held back by admission control: decide again. */
  private enum AdmitAgain implements Command {
    INSTANCE
  }

  /** A call event, delivered through sharding by {@link TelephonyEventRelay}. */
  record FromCall(TelephonyGateway.CallEvent event) implements Command {}

  /** An agent leg event, delivered through sharding by {@link TelephonyEventRelay}. */
  record FromLeg(TelephonyGateway.AgentLegEvent event) implements Command {}

  private record FromPbx(TelephonyGateway.PbxStatus status) implements Command {}

  private record ConnectDeadline(String attemptId) implements Command {}

  private enum AdoptTick implements Command {
    INSTANCE
  }

  private record InCallFound(List<String> leadIds, String error) implements Command {}

  /** {@code reconciled} null when the leads or the PBX could not be asked: retried next sweep. */
  private record LedgerSeed(List<HopperQuery.LiveAnswer> answers, String error)
      implements Command {}

  private record PacingSeed(PacingObserver.History history, String error) implements Command {}

  private record AdoptionChecked(List<Lead.Summary> leads, TelephonyGateway.Reconciled reconciled)
      implements Command {}

  // ---- state ----------------------------------------------------------------------------------

  private final String campaignId;
  private final ActorRef<TelephonyGateway.Command> gateway;
  private final HopperQuery hopper;
  private final Clock clock;
  private final TimerScheduler<Command> timers;
  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final ActorRef<TelephonyGateway.CallEvent> callEvents;
  private final ActorRef<TelephonyGateway.AgentLegEvent> legEvents;
  private final RetriedSteps steps;
  private final Duration safeHarborMargin;

  private final CallBook book = new CallBook();
  private final Admission admission;
  private final DialerLatency latency;
  private final PreviewDesk previews;
  private final AgentlessDialing agentless;
  private final SafeHarborEvidence safeHarbor = new SafeHarborEvidence();
  private final PacingEstimator estimator = new PacingEstimator();
  private final PacingObservations observations = new PacingObservations(estimator);

  /** The pacing model was seeded from the campaign's history (see {@link #seedPacing}). */
  private boolean pacingSeeded;

  private boolean pacingSeeding;
  private AbandonLedger ledger = new AbandonLedger();

  /**
   * Live answers this instance recorded before its ledger was seeded from the campaign's past ones;
   * null once seeded. The ledger takes times in order only, so a late seed starts a fresh ledger
   * with the past answers and then these.
   */
  private List<HopperQuery.LiveAnswer> beforeSeed = new ArrayList<>();

  private boolean seeding;
  private final TokenBucket trunk = new TokenBucket();

  private Campaign.Summary campaign;
  private boolean pbxUp;
  private boolean fetching;
  private PacingDecision lastDecision;
  private Totals totals = Totals.ZERO;

  /** Attempts reserved before this instance started belong to a previous one: see adopt(). */
  private final Instant startedAt;

  private boolean adopting;

  /** Leads this instance reserved (the latest {@value #RESERVED_HERE}): none is adoptable. */
  private final Set<String> reservedHere =
      Collections.newSetFromMap(
          new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
              return size() > RESERVED_HERE;
            }
          });

  private static final int RESERVED_HERE = 100_000;

  /** A first sweep completed: the calls still up are in the book, so agents can be judged. */
  private boolean sweptOnce;

  private CampaignDialer(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      String campaignId,
      ActorRef<TelephonyGateway.Command> gateway,
      HopperQuery hopper,
      Clock clock) {
    super(context);
    this.campaignId = campaignId;
    this.gateway = gateway;
    this.hopper = hopper;
    this.clock = clock;
    this.timers = timers;
    this.sharding = ClusterSharding.get(context.getSystem());
    this.askTimeout =
        context.getSystem().settings().config().getDuration("dialer.dialing.ask-timeout");
    // The gateway answers to this node's relay, which reaches the dialer through sharding: events
    // of calls in flight follow the dialer when it moves instead of dying with this instance.
    TelephonyEventRelay relay = TelephonyEventRelay.get(context.getSystem());
    this.callEvents = relay.calls(campaignId);
    this.legEvents = relay.legs(campaignId);
    this.steps =
        new RetriedSteps(
            context.getSystem().scheduler(),
            context.getSystem().executionContext(),
            RetriedSteps.Settings.fromConfig(context.getSystem().settings().config()));
    this.safeHarborMargin = SafeHarborTiming.margin(context.getSystem().settings().config());
    this.admission =
        new Admission(Admission.Settings.fromConfig(context.getSystem().settings().config()));
    this.latency = new DialerLatency(campaignId);
    gateway.tell(
        new TelephonyGateway.Subscribe(
            context.messageAdapter(TelephonyGateway.PbxStatus.class, FromPbx::new)));
    Duration tick = context.getSystem().settings().config().getDuration("dialer.dialing.tick");
    timers.startTimerWithFixedDelay(Tick.INSTANCE, tick);
    this.startedAt = clock.instant();
    this.previews =
        new PreviewDesk(
            campaignId,
            context,
            timers,
            hopper,
            book,
            gateway,
            clock,
            askTimeout,
            this::dialPreview,
            this::leadStep,
            this::agentStep);
    this.agentless =
        new AgentlessDialing(
            campaignId, book, clock, context.getLog(), this::liveAnswer, this::leadStep);
    timers.startTimerWithFixedDelay(
        AdoptTick.INSTANCE,
        Duration.ZERO,
        context.getSystem().settings().config().getDuration("dialer.dialing.adopt-interval"));
    context.getLog().info("Dialer of campaign {} started", campaignId);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Wake.class, w -> onTick())
        .onMessageEquals(Tick.INSTANCE, this::onTick)
        .onMessageEquals(
            AdmitAgain.INSTANCE,
            () -> {
              decide();
              return this;
            })
        .onMessage(GetStatus.class, this::onGetStatus)
        .onMessage(CampaignLoaded.class, this::onCampaignLoaded)
        .onMessage(AgentsLoaded.class, this::onAgentsLoaded)
        .onMessage(CandidatesFetched.class, this::onCandidates)
        .onMessage(LeadReserved.class, this::onLeadReserved)
        .onMessage(AgentReserved.class, this::onAgentReserved)
        .onMessage(FromCall.class, m -> onCallEvent(m.event()))
        .onMessage(FromLeg.class, m -> onLegEvent(m.event()))
        .onMessage(FromPbx.class, this::onPbx)
        .onMessage(ConnectDeadline.class, this::onConnectDeadline)
        .onMessageEquals(AdoptTick.INSTANCE, this::onAdoptTick)
        .onMessage(InCallFound.class, this::onInCallFound)
        .onMessage(AdoptionChecked.class, this::onAdoptionChecked)
        .onMessage(LedgerSeed.class, this::onLedgerSeed)
        .onMessage(PacingSeed.class, this::onPacingSeed)
        .onMessage(Preview.Message.class, this::onPreview)
        .build();
  }

  // ---- refresh and pacing ---------------------------------------------------------------------

  private Behavior<Command> onTick() {
    getContext()
        .pipeToSelf(
            sharding
                .entityRefFor(Campaign.ENTITY_KEY, campaignId)
                .ask(Campaign.GetSummary::new, askTimeout),
            (summary, failure) -> failure == null ? new CampaignLoaded(summary) : null);
    return this;
  }

  private Behavior<Command> onCampaignLoaded(CampaignLoaded loaded) {
    Campaign.Summary summary = loaded.summary();
    if (summary.config() == null || summary.status() == Campaign.Status.FINISHED) {
      if (book.callsInFlight() == 0) {
        getContext().getLog().info("Campaign {} is {}: dialer stops", campaignId, summary.status());
        book.legs().forEach(agentId -> gateway.tell(new TelephonyGateway.ReleaseAgent(agentId)));
        DialingMetrics.campaignStopped(campaignId);
        return Behaviors.stopped();
      }
    }
    boolean firstLoad = this.campaign == null;
    this.campaign = summary;
    if (summary.config() != null) {
      refreshAgents(summary.config());
      if (firstLoad) {
        // A moved dialer takes its predecessor's calls over now, not at the next sweep.
        onAdoptTick();
      }
    }
    return this;
  }

  private void refreshAgents(CampaignConfig config) {
    List<CompletableFuture<Agent.Summary>> asks = new ArrayList<>();
    for (String agentId : config.assignedAgents()) {
      asks.add(
          sharding
              .entityRefFor(Agent.ENTITY_KEY, agentId)
              .ask(Agent.GetSummary::new, askTimeout)
              .toCompletableFuture());
    }
    // One slow agent must not blind the dialer: the agents that answered are used, the others are
    // asked again at the next tick (AgentRefresh).
    getContext()
        .pipeToSelf(
            AgentRefresh.answered(asks),
            (agents, failure) -> failure == null ? new AgentsLoaded(agents) : null);
  }

  private Behavior<Command> onAgentsLoaded(AgentsLoaded loaded) {
    for (Agent.Summary agent : loaded.agents()) {
      boolean loggedIn = agent.status() != Agent.Status.LOGGED_OUT && agent.phoneEndpoint() != null;
      if (loggedIn && agent.campaigns().contains(campaignId)) {
        book.agentSeen(agent);
        observations.agentSeen(agent, campaignId);
        adoptAgent(agent);
        if (book.needsLeg(agent.agentId())) {
          book.legRequested(agent.agentId());
          gateway.tell(
              new TelephonyGateway.NailUpAgent(agent.agentId(), agent.phoneEndpoint(), legEvents));
        }
      } else if (book.knowsAgent(agent.agentId())) {
        book.agentGone(agent.agentId());
        observations.agentGone(agent.agentId());
        gateway.tell(new TelephonyGateway.ReleaseAgent(agent.agentId()));
      }
    }
    routeWaitingCalls();
    decide();
    return this;
  }

  private void decide() {
    if (campaign == null || campaign.config() == null || fetching) {
      return;
    }
    long decisionStart = System.nanoTime();
    Instant now = clock.instant();
    AbandonLedger.Status ledgerNow = ledger.status(now);
    PacingSnapshot snapshot =
        book.snapshot(now, PacingSettings.of(campaign.config(), safeHarborMargin), ledgerNow);
    PacingDecision decision =
        campaign.config().dialsAgentless()
            ? AgentlessDialing.pace(snapshot, book, campaign.config(), trunk)
            : Pacer.decide(snapshot, estimator, trunk);
    latency.record(DialerLatency.Step.DECISION, System.nanoTime() - decisionStart);
    lastDecision = decision;
    DialingMetrics.callsInFlight(campaignId).update(book.callsInFlight());
    // A node that is leaving (SIGTERM, coordinated shutdown) places no new calls: the dialer's
    // next instance, on a node that stays, takes the campaign and these calls over.
    boolean active =
        campaign.status() == Campaign.Status.ACTIVE
            && CoordinatedShutdown.get(getContext().getSystem()).getShutdownReason().isEmpty();
    if (active && pbxUp) {
      previews.offer(decision.previewsToOffer(), campaign.config());
    }
    DialingMetrics.campaignState(campaignId, ledgerNow, active, book.readyAgentIds().size());
    if (!active || !pbxUp || decision.callsToPlace() <= 0) {
      return;
    }
    int admitted = admitted(now, decision.callsToPlace());
    if (admitted <= 0) {
      return;
    }
    fetching = true;
    getContext()
        .pipeToSelf(
            hopper.candidates(
                campaignId,
                now,
                campaign.config().callingWindow(),
                book.readyAgentIds(),
                book.heldLeads(),
                admitted),
            (candidates, failure) ->
                failure == null
                    ? new CandidatesFetched(candidates, null)
                    : new CandidatesFetched(List.of(), failure.getMessage()));
  }

  /**
   * How many of the calls the pacer wants may start now (see {@link Admission}); the rest are
   * decided again as soon as the rate allows, not at the next tick.
   */
  private int admitted(Instant now, int wanted) {
    int admitted = admission.admit(now, wanted, book.reservations() + steps.pending());
    DialingMetrics.admissionRate(campaignId).update(admission.rate());
    if (admitted < wanted) {
      timers.startSingleTimer(AdmitAgain.INSTANCE, admission.retryIn());
    }
    return admitted;
  }

  // ---- reserve and originate ------------------------------------------------------------------

  private Behavior<Command> onCandidates(CandidatesFetched fetched) {
    fetching = false;
    if (fetched.error() != null) {
      getContext().getLog().warn("Hopper query failed for {}: {}", campaignId, fetched.error());
      return this;
    }
    for (HopperQuery.Candidate candidate : fetched.candidates()) {
      String attemptId = UUID.randomUUID().toString();
      book.reserving(attemptId, candidate.leadId(), candidate.callbackAgentId());
      long askedAt = System.nanoTime();
      getContext()
          .pipeToSelf(
              sharding
                  .entityRefFor(Lead.ENTITY_KEY, candidate.leadId())
                  .ask(
                      (ActorRef<StatusReply<Lead.Reservation>> r) ->
                          new Lead.ReserveForDial(
                              attemptId,
                              campaign.config().dialPolicy(),
                              candidate.callbackAgentId(),
                              r),
                      askTimeout),
              (reply, failure) ->
                  failure != null
                      ? new LeadReserved(attemptId, null, failure.getMessage(), askedAt)
                      : reply.isSuccess()
                          ? new LeadReserved(attemptId, reply.getValue(), null, askedAt)
                          : new LeadReserved(
                              attemptId, null, reply.getError().getMessage(), askedAt));
    }
    return this;
  }

  private Behavior<Command> onLeadReserved(LeadReserved reserved) {
    if (reserved.askedAt() != 0) {
      latency.record(DialerLatency.Step.RESERVE_LEAD, System.nanoTime() - reserved.askedAt());
    }
    Optional<CallBook.Call> call = book.call(reserved.attemptId());
    if (call.isEmpty()) {
      return this;
    }
    if (reserved.error() != null) {
      // The hopper is only an index: the lead said no (already dialing, window, cap, ...).
      book.forget(reserved.attemptId());
      return this;
    }
    CampaignConfig config = campaign.config();
    if (campaign.status() != Campaign.Status.ACTIVE || !pbxUp) {
      leadStep(
          call.get().leadId(),
          r -> new Lead.ReleaseReservation(reserved.attemptId(), "campaign paused or PBX down", r));
      book.forget(reserved.attemptId());
      return this;
    }
    Lead.Reservation reservation = reserved.reservation();
    reservedHere.add(reservation.leadId());
    book.dialing(reserved.attemptId(), clock.instant());
    gateway.tell(
        new TelephonyGateway.Originate(
            reserved.attemptId(),
            campaignId,
            reservation.leadId(),
            reservation.number(),
            config.dialStringTemplate(),
            config.callerId(),
            config.ringTimeout(),
            config.amd().enabled(),
            callEvents,
            AgentlessDialing.broadcast(config)));
    leadStep(
        reservation.leadId(),
        r ->
            new Lead.MarkDialing(
                reserved.attemptId(),
                config.ringTimeout().plus(Duration.ofMinutes(1)),
                config.ringTimeout(),
                r));
    DialingMetrics.dials(campaignId).increment();
    totals = totals.dial();
    return this;
  }

  // ---- PREVIEW (the logic is in PreviewDesk) --------------------------------------------------

  private Behavior<Command> onPreview(Preview.Message message) {
    previews.onMessage(new PreviewDesk.Situation(campaign, pbxUp), message);
    return this;
  }

  /** The agent chose to dial its preview: originated like any reserved lead. */
  private void dialPreview(String attemptId, String agentId, Lead.Reservation reservation) {
    book.reserving(attemptId, reservation.leadId(), agentId);
    book.hold(agentId, attemptId, clock.instant());
    onLeadReserved(new LeadReserved(attemptId, reservation, null, 0));
  }

  // ---- call events ----------------------------------------------------------------------------

  private Behavior<Command> onCallEvent(TelephonyGateway.CallEvent event) {
    Optional<CallBook.Call> found = book.call(event.callId());
    if (found.isEmpty()) {
      return this;
    }
    CallBook.Call call = found.get();
    CampaignConfig config = campaign.config();
    if (AdoptedAnswer.isRepeat(event, call)) {
      return this; // also reported by the gateway of the node this call was adopted from
    }
    Instant now = clock.instant();
    if (event.at() != null) {
      latency.record(DialerLatency.Step.EVENT_WAIT, Duration.between(event.at(), now).toNanos());
    }
    if (config.dialsAgentless() && agentless.onCallEvent(call, event)) {
      return this;
    }
    if (event instanceof TelephonyGateway.Answered) {
      if (call.dialedAt() != null && call.phase() == CallBook.Phase.DIALING) {
        latency.record(
            DialerLatency.Step.ORIGINATE_TO_ANSWER,
            Duration.between(call.dialedAt(), now).toNanos());
      }
      leadStep(call.leadId(), r -> new Lead.MarkAnswered(call.attemptId(), r));
      if (!config.amd().enabled()) {
        liveAnswer(call);
      }
    } else if (event instanceof TelephonyGateway.MachineDetection amd) {
      if (amd.verdict() == TelephonyGateway.AmdVerdict.MACHINE) {
        book.machine(call.attemptId());
        totals = totals.machine();
        observations.dialResolved(call.dialedAt(), clock.instant(), false);
        gateway.tell(new TelephonyGateway.Hangup(call.attemptId()));
      } else {
        liveAnswer(call);
      }
    } else if (event instanceof TelephonyGateway.Bridged bridged) {
      timers.cancel(deadlineKey(call.attemptId()));
      book.connected(call.attemptId());
      observations.talkStarted(bridged.agentId(), now);
      leadStep(call.leadId(), r -> new Lead.MarkConnected(call.attemptId(), bridged.agentId(), r));
      agentStep(bridged.agentId(), r -> new Agent.ConnectCall(call.attemptId(), r));
      Duration answerToBridge = Duration.between(call.answeredAt(), now);
      latency.record(DialerLatency.Step.ANSWER_TO_BRIDGE, answerToBridge.toNanos());
      if (SafeHarborTiming.late(call.answeredAt(), now, config.connectDeadline())) {
        // An abandon under the rule even though an agent now talks to the caller: the ledger and
        // the pacer must see it (issue 18: 626 bridges after 10 s were counted as connects).
        DialingMetrics.lateBridges(campaignId).increment();
        countAbandon();
      } else {
        DialingMetrics.connects(campaignId).increment();
        totals = totals.connect();
        liveAnswered(now, false);
        observations.liveAnswerOutcome(false);
      }
    } else if (event instanceof TelephonyGateway.SafeHarborFailed failed) {
      // Still an abandon (counted at the deadline); but no message played: say so loudly, and
      // record it as evidence on the lead.
      getContext()
          .getLog()
          .warn("Safe-harbor message not played on {}: {}", call.attemptId(), failed.reason());
      DialingMetrics.safeHarborFailures(campaignId).increment();
      safeHarbor.record(event).ifPresent(command -> leadStep(call.leadId(), command));
    } else if (event instanceof TelephonyGateway.SafeHarborPlayed played) {
      safeHarbor.record(event).ifPresent(command -> leadStep(call.leadId(), command));
      if (played.optedOut()) {
        leadStep(
            call.leadId(),
            r -> new Lead.MarkDnc(Lead.DncSource.SAFE_HARBOR_OPT_OUT, "safe-harbor", r));
      }
    } else if (event.isFinal()) {
      callEnded(call, event, config);
    } else {
      safeHarbor.record(event).ifPresent(command -> leadStep(call.leadId(), command));
    }
    return this;
  }

  private void liveAnswer(CallBook.Call call) {
    book.answered(call.attemptId(), clock.instant());
    observations.dialResolved(call.dialedAt(), clock.instant(), true);
    DialingMetrics.liveAnswers(campaignId).increment();
    totals = totals.liveAnswer();
    timers.startSingleTimer(
        deadlineKey(call.attemptId()),
        new ConnectDeadline(call.attemptId()),
        SafeHarborTiming.deadlineTimer(campaign.config().connectDeadline(), safeHarborMargin));
    route(call.attemptId());
  }

  private void routeWaitingCalls() {
    book.waitingForAgent().forEach(this::route);
  }

  /** Offers a waiting live answer to the longest-ready agent (or its callback's own agent). */
  private void route(String attemptId) {
    Optional<CallBook.Call> call = book.call(attemptId);
    if (call.isEmpty() || call.get().phase() != CallBook.Phase.ANSWERED) {
      return;
    }
    if (previews.bridgeAnswered(attemptId)) {
      return; // a preview goes to the agent who dialed it, already reserved for it
    }
    Optional<String> agent = book.longestReadyAgent(call.get().callbackAgentId());
    if (agent.isEmpty()) {
      return; // the connect deadline decides if nobody frees up in time
    }
    String agentId = agent.get();
    book.claiming(attemptId, agentId, clock.instant());
    Agent.CallRef ref = new Agent.CallRef(attemptId, call.get().leadId(), campaignId);
    Agent.WrapUpPolicy wrapUp =
        new Agent.WrapUpPolicy(
            campaign.config().wrapUpTimeout(), campaign.config().wrapUpTimeoutDisposition());
    long askedAt = System.nanoTime();
    getContext()
        .pipeToSelf(
            sharding
                .entityRefFor(Agent.ENTITY_KEY, agentId)
                .ask(
                    (ActorRef<StatusReply<Agent.Summary>> r) -> new Agent.Reserve(ref, wrapUp, r),
                    askTimeout),
            (reply, failure) ->
                new AgentReserved(
                    attemptId,
                    agentId,
                    failure != null
                        ? failure.getMessage()
                        : reply.isError() ? reply.getError().getMessage() : null,
                    failure != null,
                    askedAt));
  }

  private Behavior<Command> onAgentReserved(AgentReserved reserved) {
    latency.record(DialerLatency.Step.RESERVE_AGENT, System.nanoTime() - reserved.askedAt());
    Optional<CallBook.Call> call = book.call(reserved.attemptId());
    if (reserved.error() != null) {
      if (reserved.unanswered()) {
        // The Reserve may still land after its ask timed out: do not leave the agent RESERVED.
        agentStep(
            reserved.agentId(),
            r -> new Agent.CancelReservation(reserved.attemptId(), "reserve timed out", r));
      }
      book.claimFailed(reserved.attemptId(), reserved.agentId());
      route(reserved.attemptId());
      return this;
    }
    if (call.isEmpty()) {
      // The customer hung up while the agent was being reserved: the call's end already sent the
      // CancelReservation, which the agent handles after this Reserve (same sender, same order).
      book.releaseAgent(reserved.agentId());
      return this;
    }
    if (call.get().phase() != CallBook.Phase.BRIDGING) {
      // The call moved on meanwhile: give the agent back.
      agentStep(
          reserved.agentId(),
          r -> new Agent.CancelReservation(reserved.attemptId(), "caller gone", r));
      book.releaseAgent(reserved.agentId());
      return this;
    }
    gateway.tell(new TelephonyGateway.Bridge(reserved.attemptId(), reserved.agentId()));
    return this;
  }

  private Behavior<Command> onConnectDeadline(ConnectDeadline deadline) {
    Optional<CallBook.Call> call = book.call(deadline.attemptId());
    if (call.isPresent() && call.get().phase() == CallBook.Phase.ANSWERED) {
      // No agent within the legal window: play the safe-harbor message instead of dead air.
      book.abandoning(deadline.attemptId());
      safeHarbor.started(deadline.attemptId(), clock.instant());
      gateway.tell(
          new TelephonyGateway.SafeHarbor(
              deadline.attemptId(), campaign.config().safeHarborMessage()));
      countAbandon();
    }
    return this;
  }

  private void callEnded(
      CallBook.Call call, TelephonyGateway.CallEvent event, CampaignConfig config) {
    previews.callEnded(call);
    timers.cancel(deadlineKey(call.attemptId()));
    book.forget(call.attemptId());
    safeHarbor.forget(call.attemptId());
    totals = totals.end();
    switch (call.phase()) {
      case CONNECTED -> {
        observations.talkEnded(call.agentId(), clock.instant());
        agentStep(call.agentId(), r -> new Agent.EndCall(call.attemptId(), r));
        book.releaseAgent(call.agentId());
        leadStep(
            call.leadId(),
            r ->
                new Lead.RecordCallEnd(
                    call.attemptId(), Lead.CallOutcome.COMPLETED, null, null, r));
        outcome("COMPLETED");
      }
      case BRIDGING -> {
        agentStep(
            call.agentId(),
            r -> new Agent.CancelReservation(call.attemptId(), "caller hung up", r));
        book.releaseAgent(call.agentId());
        countAbandon();
        end(call, Lead.CallOutcome.ABANDONED, Disposition.DROPPED, config);
      }
      case ANSWERED -> {
        countAbandon();
        end(call, Lead.CallOutcome.ABANDONED, Disposition.DROPPED, config);
      }
      // Counted when the connect deadline played the safe-harbor message.
      case ABANDONING -> end(call, Lead.CallOutcome.ABANDONED, Disposition.DROPPED, config);
      case MACHINE ->
          end(call, Lead.CallOutcome.MACHINE, agentless.machineDisposition(call), config);
      case MESSAGE ->
          end(call, Lead.CallOutcome.BROADCAST, agentless.messageDisposition(call, config), config);
      case RESERVING, DIALING -> {
        observations.dialResolved(call.dialedAt(), clock.instant(), false);
        if (event instanceof TelephonyGateway.Busy) {
          end(call, Lead.CallOutcome.BUSY, Disposition.BUSY, config);
        } else if (event instanceof TelephonyGateway.NoAnswer) {
          end(call, Lead.CallOutcome.NO_ANSWER, Disposition.NO_ANSWER, config);
        } else if (event instanceof TelephonyGateway.InvalidNumber) {
          end(call, Lead.CallOutcome.INVALID_NUMBER, Disposition.INVALID_NUMBER, config);
        } else {
          end(call, Lead.CallOutcome.FAILED, Disposition.FAILED, config);
        }
      }
    }
  }

  private void end(
      CallBook.Call call, Lead.CallOutcome outcome, String dispositionCode, CampaignConfig config) {
    Disposition disposition = config.disposition(dispositionCode).orElseThrow();
    leadStep(
        call.leadId(),
        r ->
            new Lead.RecordCallEnd(
                call.attemptId(), outcome, disposition, config.postAbandonLockout(), r));
    outcome(outcome.name());
  }

  private void outcome(String outcome) {
    DialingMetrics.outcomes(campaignId, outcome).increment();
  }

  // ---- the abandon ledger across dialer instances -------------------------------------------

  /**
   * A live answer that never reached an agent: the connect deadline passed, or the person hung up
   * while waiting. Both are abandons under the regulators' definition (a live answer not connected
   * to an agent), as in the stats read model; leaving out the hang-ups would let the pacer run
   * hotter than the cap allows.
   */
  private void countAbandon() {
    liveAnswered(clock.instant(), true);
    observations.liveAnswerOutcome(true);
    DialingMetrics.abandons(campaignId).increment();
    totals = totals.abandon();
  }

  private void liveAnswered(Instant at, boolean abandoned) {
    ledger.recordLiveAnswer(at);
    if (abandoned) {
      ledger.recordAbandon(at);
    }
    if (beforeSeed != null) {
      beforeSeed.add(new HopperQuery.LiveAnswer(at, abandoned));
    }
  }

  /**
   * Seeds the ledger with the campaign's live answers of the regulated window before this instance
   * started, so a dialer moved to another node (or restarted) keeps the abandon-rate cap honest.
   * Retried at the next sweep if the read model cannot be asked.
   */
  private void seedLedger() {
    if (beforeSeed == null || seeding) {
      return;
    }
    seeding = true;
    // One minute more than the window: the ledger's buckets may reach that far back.
    Instant from = startedAt.minus(AbandonLedger.US_WINDOW).minus(Duration.ofMinutes(1));
    getContext()
        .pipeToSelf(
            hopper.liveAnswers(campaignId, from, startedAt),
            (answers, failure) ->
                failure == null
                    ? new LedgerSeed(answers, null)
                    : new LedgerSeed(List.of(), failure.getMessage()));
  }

  private Behavior<Command> onLedgerSeed(LedgerSeed seed) {
    seeding = false;
    if (seed.error() != null) {
      getContext().getLog().warn("Ledger seed failed for {}: {}", campaignId, seed.error());
      return this;
    }
    AbandonLedger seeded = new AbandonLedger();
    List<HopperQuery.LiveAnswer> all = new ArrayList<>(seed.answers());
    all.addAll(beforeSeed);
    for (HopperQuery.LiveAnswer answer : all) {
      seeded.recordLiveAnswer(answer.at());
      if (answer.abandoned()) {
        seeded.recordAbandon(answer.at());
      }
    }
    ledger = seeded;
    beforeSeed = null;
    getContext()
        .getLog()
        .info(
            "Abandon ledger of {} seeded with {} past live answers",
            campaignId,
            seed.answers().size());
    return this;
  }

  /**
   * Seeds the pacing model with the campaign's recent history (dial resolutions, talk and wrap-up
   * periods, live-answer outcomes from the read models), so a dialer that starts on another node or
   * after a restart paces on what the campaign learnt instead of learning again. Retried at the
   * next sweep if the read model cannot be asked.
   */
  private void seedPacing() {
    if (pacingSeeded || pacingSeeding) {
      return;
    }
    pacingSeeding = true;
    getContext()
        .pipeToSelf(
            hopper.pacingHistory(campaignId, startedAt),
            (history, failure) ->
                failure == null
                    ? new PacingSeed(history, null)
                    : new PacingSeed(null, failure.getMessage()));
  }

  private Behavior<Command> onPacingSeed(PacingSeed seed) {
    pacingSeeding = false;
    if (seed.error() != null) {
      getContext().getLog().warn("Pacing seed failed for {}: {}", campaignId, seed.error());
      return this;
    }
    observations.seed(seed.history());
    pacingSeeded = true;
    getContext()
        .getLog()
        .info(
            "Pacing model of {} seeded with {} dials, {} talks, {} wrap-ups",
            campaignId,
            seed.history().dials().size(),
            seed.history().talks().size(),
            seed.history().wraps().size());
    return this;
  }

  // ---- adopting calls a previous dialer instance left behind ---------------------------------

  /**
   * Sweeps the read model for leads of this campaign in a call that this instance does not hold.
   * Repeated (not only at start) because the read model may lag behind the leads after a node loss;
   * cheap, as it returns only the few leads in a call.
   */
  private Behavior<Command> onAdoptTick() {
    seedLedger();
    seedPacing();
    if (adopting || campaign == null || campaign.config() == null) {
      return this;
    }
    adopting = true;
    getContext()
        .pipeToSelf(
            hopper.inCall(campaignId, book.heldLeads()),
            (leads, failure) ->
                failure == null
                    ? new InCallFound(leads, null)
                    : new InCallFound(List.of(), failure.getMessage()));
    return this;
  }

  private Behavior<Command> onInCallFound(InCallFound found) {
    // Leads this instance reserved itself have no attempt of a previous instance (a lead refuses
    // a reservation while an attempt is open): the read model only lags behind their calls.
    List<String> unknown =
        found.leadIds().stream().filter(id -> !reservedHere.contains(id)).toList();
    if (found.error() != null || unknown.isEmpty()) {
      adopting = false;
      sweptOnce |= found.error() == null;
      if (found.error() != null) {
        getContext().getLog().warn("In-call query failed for {}: {}", campaignId, found.error());
      }
      return this;
    }
    List<CompletableFuture<Lead.Summary>> leads = new ArrayList<>();
    for (String leadId : unknown) {
      leads.add(
          sharding
              .entityRefFor(Lead.ENTITY_KEY, leadId)
              .ask(Lead.GetSummary::new, askTimeout)
              .toCompletableFuture());
    }
    // The PBX's channel list (CoreShowChannels: every live channel, parsed on the AMI reader
    // thread) is asked only when a lead holds an attempt a previous instance opened.
    getContext()
        .pipeToSelf(
            CompletableFuture.allOf(leads.toArray(CompletableFuture[]::new))
                .thenCompose(
                    done -> {
                      List<Lead.Summary> summaries =
                          leads.stream().map(CompletableFuture::join).toList();
                      if (summaries.stream().noneMatch(this::hasPreviousAttempt)) {
                        return CompletableFuture.completedFuture(
                            new AdoptionChecked(
                                summaries, new TelephonyGateway.Reconciled(List.of(), true, null)));
                      }
                      return AskPattern.<TelephonyGateway.Command, TelephonyGateway.Reconciled>ask(
                              gateway,
                              TelephonyGateway.Reconcile::new,
                              askTimeout,
                              getContext().getSystem().scheduler())
                          .thenApply(reconciled -> new AdoptionChecked(summaries, reconciled));
                    }),
            (checked, failure) -> failure == null ? checked : new AdoptionChecked(List.of(), null));
    return this;
  }

  /**
   * An open attempt reserved before this instance started: only such an attempt can be adopted
   * (Adoption.of). Reads immutable fields only: called off the actor's thread.
   */
  private boolean hasPreviousAttempt(Lead.Summary lead) {
    return lead.attempts().stream()
        .anyMatch(
            a ->
                a.endedAt() == null
                    && a.reservedAt() != null
                    && a.reservedAt().isBefore(startedAt));
  }

  private Behavior<Command> onAdoptionChecked(AdoptionChecked checked) {
    adopting = false;
    if (checked.reconciled() == null || !checked.reconciled().complete()) {
      return this; // the PBX could not be asked: decide nothing blind, retry next sweep
    }
    sweptOnce = true;
    Map<String, TelephonyGateway.LiveChannel> live = new HashMap<>();
    checked.reconciled().channels().forEach(c -> live.put(c.uniqueId(), c));
    for (Lead.Summary lead : checked.leads()) {
      if (!book.holds(lead.leadId())) {
        Adoption.of(lead, live, startedAt).ifPresent(a -> adopt(a, lead.status()));
      }
    }
    return this;
  }

  private void adopt(Adoption adoption, Lead.Status leadStatus) {
    String attemptId = adoption.attempt().attemptId();
    String leadId = adoption.leadId();
    CampaignConfig config = campaign.config();
    Instant now = clock.instant();
    if (adoption.kind() != Adoption.Kind.AWAIT_EXPIRY) {
      getContext()
          .getLog()
          .info("Adopting attempt {} of lead {}: {}", attemptId, leadId, adoption.kind());
    }
    if (leadStatus == Lead.Status.RESERVED && adoption.channel() != null) {
      // Originated, but the old instance died before recording it.
      leadStep(
          leadId,
          r ->
              new Lead.MarkDialing(attemptId, config.ringTimeout().plus(Duration.ofMinutes(1)), r));
    }
    Instant dialedAt = adoption.attempt().dialedAt() == null ? now : adoption.attempt().dialedAt();
    switch (adoption.kind()) {
      case AWAIT_EXPIRY -> {
        // The lead's reservation timer returns it to the queue; nothing was dialed.
      }
      case TRACK_DIALING -> {
        book.adopt(attemptId, leadId, CallBook.Phase.DIALING, dialedAt, null, null);
        track(adoption);
      }
      case TRACK_ANSWERED -> {
        if (adoption.attempt().answeredAt() == null) {
          leadStep(leadId, r -> new Lead.MarkAnswered(attemptId, r));
        }
        if (AdoptedAnswer.bridged(adoption.channel())) {
          // Bridged by the previous instance to the agent it reserved: that agent's refresh
          // (adoptAgent) records the connect. Never redirect a customer who talks to an agent.
          book.adopt(attemptId, leadId, CallBook.Phase.BRIDGING, dialedAt, now, null);
          track(adoption);
        } else {
          // A customer on the line (answered while the dialer moved, e.g. a graceful leave): an
          // agent now beats the safe-harbor message, so it is routed with a fresh connect deadline.
          book.adopt(attemptId, leadId, CallBook.Phase.ANSWERED, dialedAt, now, null);
          track(adoption);
          timers.startSingleTimer(
              deadlineKey(attemptId), new ConnectDeadline(attemptId), config.connectDeadline());
          route(attemptId);
        }
      }
      case TRACK_CONNECTED -> {
        book.adopt(
            attemptId,
            leadId,
            CallBook.Phase.CONNECTED,
            dialedAt,
            adoption.attempt().answeredAt(),
            adoption.attempt().agentId());
        track(adoption);
      }
      case END_UNANSWERED -> {
        Disposition failed = config.disposition(Disposition.FAILED).orElseThrow();
        leadStep(
            leadId,
            r -> new Lead.RecordCallEnd(attemptId, Lead.CallOutcome.FAILED, failed, null, r));
        outcome("RECONCILED_" + Lead.CallOutcome.FAILED);
      }
      case END_ABANDONED -> {
        Disposition dropped = config.disposition(Disposition.DROPPED).orElseThrow();
        leadStep(
            leadId,
            r ->
                new Lead.RecordCallEnd(
                    attemptId,
                    Lead.CallOutcome.ABANDONED,
                    dropped,
                    config.postAbandonLockout(),
                    r));
        // Counted here: the instance that might have counted it is gone with its ledger.
        liveAnswered(now, true);
        outcome("RECONCILED_" + Lead.CallOutcome.ABANDONED);
      }
      case END_CONNECTED -> {
        String agentId = adoption.attempt().agentId();
        agentStep(agentId, r -> new Agent.EndCall(attemptId, r));
        leadStep(
            leadId,
            r -> new Lead.RecordCallEnd(attemptId, Lead.CallOutcome.COMPLETED, null, null, r));
        outcome("RECONCILED_" + Lead.CallOutcome.COMPLETED);
      }
    }
  }

  private void track(Adoption adoption) {
    gateway.tell(
        new TelephonyGateway.Track(adoption.attempt().attemptId(), adoption.channel(), callEvents));
  }

  /**
   * An agent still holding a call of a previous instance of this dialer (its status dates from
   * before this one started). RESERVED: connected if that call was adopted connected, otherwise
   * freed (its customer is abandoned or gone). ON_CALL for a call not adopted: the old instance may
   * have died between ending the lead's call and the agent's, so the agent is sent to wrap-up once
   * its lead shows the attempt ended.
   */
  private void adoptAgent(Agent.Summary agent) {
    Agent.CallRef ref = agent.call();
    if (!sweptOnce
        || ref == null
        || !campaignId.equals(ref.campaignId())
        || !agent.statusSince().isBefore(startedAt)) {
      return;
    }
    Optional<CallBook.Call> call = book.call(ref.attemptId());
    if (agent.status() == Agent.Status.RESERVED) {
      if (call.isPresent() && AdoptedAnswer.bridgedWithoutAgent(call.get())) {
        // The PBX bridged this agent before the previous instance could record it.
        book.claiming(ref.attemptId(), agent.agentId(), clock.instant());
        onCallEvent(
            new TelephonyGateway.Bridged(ref.attemptId(), agent.agentId(), clock.instant()));
      } else if (call.isPresent() && call.get().phase() == CallBook.Phase.ANSWERED) {
        // Reserved by the previous instance for a call this one routes itself.
        agentStep(
            agent.agentId(),
            r -> new Agent.CancelReservation(ref.attemptId(), "dialer moved: call re-routed", r));
      } else if (call.isPresent() && call.get().phase() == CallBook.Phase.CONNECTED) {
        agentStep(agent.agentId(), r -> new Agent.ConnectCall(ref.attemptId(), r));
      } else if (call.isEmpty()) {
        agentStep(
            agent.agentId(),
            r -> new Agent.CancelReservation(ref.attemptId(), "dialer moved: call not adopted", r));
      }
    } else if (agent.status() == Agent.Status.ON_CALL && call.isEmpty()) {
      sharding
          .entityRefFor(Lead.ENTITY_KEY, ref.leadId())
          .ask(Lead.GetSummary::new, askTimeout)
          .thenAccept(
              lead -> {
                boolean ended =
                    lead.attempts().stream()
                        .anyMatch(
                            a -> a.attemptId().equals(ref.attemptId()) && a.endedAt() != null);
                if (ended) {
                  agentStep(agent.agentId(), r -> new Agent.EndCall(ref.attemptId(), r));
                }
              });
    }
  }

  // ---- agent legs and PBX ---------------------------------------------------------------------

  private Behavior<Command> onLegEvent(TelephonyGateway.AgentLegEvent event) {
    if (event instanceof TelephonyGateway.AgentLegUp up) {
      book.legUp(up.agentId());
      routeWaitingCalls();
    } else if (event instanceof TelephonyGateway.AgentLegDown
        || event instanceof TelephonyGateway.AgentLegFailed) {
      book.legDown(event.agentId()); // nailed up again at the next refresh if still logged in
    }
    return this;
  }

  private Behavior<Command> onPbx(FromPbx message) {
    boolean wasUp = pbxUp;
    pbxUp = message.status() instanceof TelephonyGateway.PbxUp;
    if (!pbxUp) {
      book.allLegsDown();
    } else if (!wasUp) {
      return onTick(); // PBX back: nail the agents' legs up and dial now, not at the next tick
    }
    return this;
  }

  private Behavior<Command> onGetStatus(GetStatus get) {
    get.replyTo()
        .tell(
            new Status(
                campaignId,
                campaign == null ? null : campaign.status(),
                pbxUp,
                book.callsInFlight(),
                book.readyAgentIds().size(),
                book.phases(),
                lastDecision,
                totals,
                new PacingModel(
                    estimator.resolutionsSeen(),
                    estimator.talkMean(),
                    estimator.wrapMean(),
                    estimator.liveRate(),
                    estimator.threshold()),
                latency.snapshot(),
                admission.rate(),
                admission.windows()));
    return this;
  }

  // ---- helpers --------------------------------------------------------------------------------

  /**
   * A lead step, retried until it lands (see {@link RetriedSteps}); a refusal is logged: the lead's
   * own timers recover anything left behind.
   */
  private CompletionStage<RetriedSteps.Outcome> leadStep(
      String leadId,
      java.util.function.Function<ActorRef<StatusReply<Lead.Summary>>, Lead.Command> command) {
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

  private CompletionStage<RetriedSteps.Outcome> agentStep(
      String agentId,
      java.util.function.Function<ActorRef<StatusReply<Agent.Summary>>, Agent.Command> command) {
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
      String name,
      java.util.function.Function<String, CompletionStage<RetriedSteps.Outcome>> step) {
    long sent = System.nanoTime();
    // Only Kamon (thread-safe) is touched off the actor's thread.
    return step.apply(name)
        .whenComplete(
            (o, e) -> DialingMetrics.step(campaignId, name).record(System.nanoTime() - sent));
  }

  /** The command's simple name (e.g. EndCall), for the retry log lines. */
  private static <R> String stepName(java.util.function.Function<ActorRef<R>, ?> command) {
    try {
      return command.apply(null).getClass().getSimpleName();
    } catch (RuntimeException e) {
      return "step";
    }
  }

  private static String deadlineKey(String attemptId) {
    return "deadline-" + attemptId;
  }
}
