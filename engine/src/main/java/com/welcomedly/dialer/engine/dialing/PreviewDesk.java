package com.welcomedly.dialer.engine.dialing;

import com.welcomedly.dialer.engine.agent.Agent;
import com.welcomedly.dialer.engine.campaign.Campaign;
import com.welcomedly.dialer.engine.campaign.CampaignConfig;
import com.welcomedly.dialer.engine.compliance.DialPolicy;
import com.welcomedly.dialer.engine.lead.Lead;
import com.welcomedly.dialer.engine.projection.HopperQuery;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.pattern.StatusReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PREVIEW dialing, owned by one {@link CampaignDialer}: for each ready agent it reserves a lead
 * (for that agent) and the agent (for that lead's attempt), so the agent's channel can show the
 * lead before anything is dialed. The agent's {@link Preview.Dial} hands the reservation to the
 * dialer, which originates it like any other call; when answered, the call is bridged to that agent
 * only. {@link Preview.Skip} or the campaign's preview timeout gives the lead back to the queue and
 * the agent back to READY. Plain Java driven by the dialer's messages: it never blocks, it pipes.
 */
final class PreviewDesk {
  private static final Logger log = LoggerFactory.getLogger(PreviewDesk.class);

  /** The lead reservation outlives the offer by this much, so the lead never expires first. */
  private static final Duration RESERVATION_MARGIN = Duration.ofSeconds(30);

  /** A skipped or ignored lead is not offered again at once (to the same agent, typically). */
  private static final Duration REST_AFTER_WITHDRAWAL = Duration.ofSeconds(30);

  /** The desk's own piped results: internal to the dialer. */
  sealed interface Internal extends Preview.Message {}

  private record CandidatesFetched(List<HopperQuery.Candidate> candidates, String error)
      implements Internal {}

  private record LeadReserved(String attemptId, Lead.Reservation reservation, String error)
      implements Internal {}

  private record AgentReserved(String attemptId, String error) implements Internal {}

  private record Expired(String attemptId) implements Internal {}

  /** What the dialer does with a preview the agent chose to dial. */
  interface Dialing {
    void dial(String attemptId, String agentId, Lead.Reservation reservation);
  }

  /** The dialer's fire-and-log step on a lead (a refusal is logged there). */
  interface LeadStep {
    void send(String leadId, Function<ActorRef<StatusReply<Lead.Summary>>, Lead.Command> command);
  }

  /** The dialer's fire-and-log step on an agent. */
  interface AgentStep {
    void send(
        String agentId, Function<ActorRef<StatusReply<Agent.Summary>>, Agent.Command> command);
  }

  // ---- state ----------------------------------------------------------------------------------

  private enum Stage {
    RESERVING,
    OFFERED
  }

  private static final class Pending {
    final String attemptId;
    final String agentId;
    final String leadId;
    Lead.Reservation reservation;
    Instant expiresAt;
    Stage stage = Stage.RESERVING;

    Pending(String attemptId, String agentId, String leadId) {
      this.attemptId = attemptId;
      this.agentId = agentId;
      this.leadId = leadId;
    }
  }

  private final String campaignId;
  private final ActorContext<CampaignDialer.Command> context;
  private final TimerScheduler<CampaignDialer.Command> timers;
  private final ClusterSharding sharding;
  private final HopperQuery hopper;
  private final CallBook book;
  private final ActorRef<TelephonyGateway.Command> gateway;
  private final Clock clock;
  private final Duration askTimeout;
  private final Dialing dialing;
  private final LeadStep leadStep;
  private final AgentStep agentStep;

  /** By attempt id: offers being reserved or shown. */
  private final Map<String, Pending> pending = new HashMap<>();

  /** Dialed previews still up, attempt id -> agent id: answered, they go to that agent only. */
  private final Map<String, String> dialed = new HashMap<>();

  /** Leads skipped or timed out, not offered again before the instant. */
  private final Map<String, Instant> resting = new HashMap<>();

  private boolean fetching;

  PreviewDesk(
      String campaignId,
      ActorContext<CampaignDialer.Command> context,
      TimerScheduler<CampaignDialer.Command> timers,
      HopperQuery hopper,
      CallBook book,
      ActorRef<TelephonyGateway.Command> gateway,
      Clock clock,
      Duration askTimeout,
      Dialing dialing,
      LeadStep leadStep,
      AgentStep agentStep) {
    this.campaignId = campaignId;
    this.context = context;
    this.timers = timers;
    this.sharding = ClusterSharding.get(context.getSystem());
    this.hopper = hopper;
    this.book = book;
    this.gateway = gateway;
    this.clock = clock;
    this.askTimeout = askTimeout;
    this.dialing = dialing;
    this.leadStep = leadStep;
    this.agentStep = agentStep;
  }

  // ---- offering -------------------------------------------------------------------------------

  /** The pacer asked for {@code previews} offers (one per ready agent without one). */
  void offer(int previews, CampaignConfig config) {
    if (fetching || previews <= 0) {
      return;
    }
    Instant now = clock.instant();
    resting.values().removeIf(until -> !until.isAfter(now));
    Set<String> exclude = new HashSet<>(book.heldLeads());
    pending.values().forEach(p -> exclude.add(p.leadId));
    exclude.addAll(resting.keySet());
    fetching = true;
    context.pipeToSelf(
        hopper.candidates(
            campaignId, now, config.callingWindow(), book.readyAgentIds(), exclude, previews),
        (candidates, failure) ->
            failure == null
                ? new CandidatesFetched(candidates, null)
                : new CandidatesFetched(List.of(), failure.getMessage()));
  }

  void onMessage(Situation campaign, Preview.Message message) {
    // Java 17: no pattern switch yet.
    if (message instanceof CandidatesFetched m) {
      onCandidates(campaign, m);
    } else if (message instanceof LeadReserved m) {
      onLeadReserved(campaign, m);
    } else if (message instanceof AgentReserved m) {
      onAgentReserved(m);
    } else if (message instanceof Expired m) {
      withdraw(m.attemptId(), "preview timed out");
    } else if (message instanceof Preview.Dial m) {
      onDial(campaign, m);
    } else if (message instanceof Preview.Skip m) {
      onSkip(m);
    } else if (message instanceof Preview.GetOffer m) {
      m.replyTo().tell(new Preview.Offered(offerOf(m.agentId()).orElse(null)));
    }
  }

  /** What the desk needs to know of the campaign when a message arrives. */
  record Situation(Campaign.Summary campaign, boolean pbxUp) {
    boolean canDial() {
      return campaign != null
          && campaign.config() != null
          && campaign.status() == Campaign.Status.ACTIVE
          && pbxUp;
    }
  }

  private void onCandidates(Situation ctx, CandidatesFetched fetched) {
    fetching = false;
    if (fetched.error() != null) {
      log.warn("Hopper query for previews of {} failed: {}", campaignId, fetched.error());
      return;
    }
    if (!ctx.canDial()) {
      return;
    }
    CampaignConfig config = ctx.campaign().config();
    DialPolicy base = config.dialPolicy();
    // The lead stays reserved while the agent reads it: its own timer must not fire first.
    DialPolicy policy =
        new DialPolicy(
            base.callingWindow(),
            base.attemptCaps(),
            base.postAbandonLockout(),
            config.previewTimeout().plus(RESERVATION_MARGIN),
            base.numberRotation(),
            base.callbackFallback());
    for (HopperQuery.Candidate candidate : fetched.candidates()) {
      Optional<String> agent = book.longestReadyAgent(candidate.callbackAgentId());
      if (agent.isEmpty()) {
        continue; // an agent-only callback whose agent is busy, or nobody left
      }
      String attemptId = UUID.randomUUID().toString();
      Pending p = new Pending(attemptId, agent.get(), candidate.leadId());
      pending.put(attemptId, p);
      book.hold(p.agentId, attemptId, clock.instant());
      context.pipeToSelf(
          sharding
              .entityRefFor(Lead.ENTITY_KEY, p.leadId)
              .ask(
                  (ActorRef<StatusReply<Lead.Reservation>> r) ->
                      new Lead.ReserveForDial(attemptId, policy, p.agentId, r),
                  askTimeout),
          (reply, failure) ->
              failure != null
                  ? new LeadReserved(attemptId, null, failure.getMessage())
                  : reply.isSuccess()
                      ? new LeadReserved(attemptId, reply.getValue(), null)
                      : new LeadReserved(attemptId, null, reply.getError().getMessage()));
    }
  }

  private void onLeadReserved(Situation ctx, LeadReserved reserved) {
    Pending p = pending.get(reserved.attemptId());
    if (p == null) {
      return;
    }
    if (reserved.error() != null || !ctx.canDial()) {
      pending.remove(p.attemptId);
      book.releaseAgent(p.agentId);
      if (reserved.error() == null) {
        leadStep.send(
            p.leadId, r -> new Lead.ReleaseReservation(p.attemptId, "campaign paused", r));
      }
      return;
    }
    CampaignConfig config = ctx.campaign().config();
    p.reservation = reserved.reservation();
    // Recorded before the agent is reserved: its channel asks for the offer on the Reserved event.
    p.expiresAt = clock.instant().plus(config.previewTimeout());
    p.stage = Stage.OFFERED;
    Agent.CallRef ref = new Agent.CallRef(p.attemptId, p.leadId, campaignId);
    Agent.WrapUpPolicy wrapUp =
        new Agent.WrapUpPolicy(config.wrapUpTimeout(), config.wrapUpTimeoutDisposition());
    timers.startSingleTimer(
        timerKey(p.attemptId), new Expired(p.attemptId), config.previewTimeout());
    context.pipeToSelf(
        sharding
            .entityRefFor(Agent.ENTITY_KEY, p.agentId)
            .ask(
                (ActorRef<StatusReply<Agent.Summary>> r) -> new Agent.Reserve(ref, wrapUp, r),
                askTimeout),
        (reply, failure) ->
            new AgentReserved(
                p.attemptId,
                failure != null
                    ? failure.getMessage()
                    : reply.isError() ? reply.getError().getMessage() : null));
  }

  private void onAgentReserved(AgentReserved reserved) {
    Pending p = pending.get(reserved.attemptId());
    if (p == null || reserved.error() == null) {
      return;
    }
    // The agent paused or logged out meanwhile: the lead goes back.
    pending.remove(p.attemptId);
    timers.cancel(timerKey(p.attemptId));
    book.releaseAgent(p.agentId);
    leadStep.send(
        p.leadId, r -> new Lead.ReleaseReservation(p.attemptId, "agent not available", r));
  }

  // ---- the agent's answer ---------------------------------------------------------------------

  private void onDial(Situation ctx, Preview.Dial dial) {
    Optional<Pending> found = offered(dial.agentId(), dial.attemptId());
    if (found.isEmpty()) {
      dial.replyTo().tell(StatusReply.error(noOffer(dial.agentId(), dial.attemptId())));
      return;
    }
    if (!ctx.canDial()) {
      dial.replyTo()
          .tell(
              StatusReply.error(
                  "campaign "
                      + campaignId
                      + " cannot dial now ("
                      + (ctx.campaign() == null ? "unknown" : ctx.campaign().status())
                      + (ctx.pbxUp() ? "" : ", PBX down")
                      + ")"));
      return;
    }
    Pending p = found.get();
    pending.remove(p.attemptId);
    timers.cancel(timerKey(p.attemptId));
    dialed.put(p.attemptId, p.agentId);
    Preview.Offer offer = toOffer(p);
    dialing.dial(p.attemptId, p.agentId, p.reservation);
    dial.replyTo().tell(StatusReply.success(offer));
  }

  private void onSkip(Preview.Skip skip) {
    Optional<Pending> found = offered(skip.agentId(), skip.attemptId());
    if (found.isEmpty()) {
      skip.replyTo().tell(StatusReply.error(noOffer(skip.agentId(), skip.attemptId())));
      return;
    }
    Preview.Offer offer = toOffer(found.get());
    withdraw(skip.attemptId(), "skipped by the agent");
    skip.replyTo().tell(StatusReply.success(offer));
  }

  /** Skip or timeout: the lead back to the queue (resting a while), the agent back to READY. */
  private void withdraw(String attemptId, String reason) {
    Pending p = pending.get(attemptId);
    if (p == null || p.stage != Stage.OFFERED) {
      return;
    }
    pending.remove(attemptId);
    timers.cancel(timerKey(attemptId));
    resting.put(p.leadId, clock.instant().plus(REST_AFTER_WITHDRAWAL));
    book.releaseAgent(p.agentId);
    leadStep.send(p.leadId, r -> new Lead.ReleaseReservation(attemptId, reason, r));
    agentStep.send(p.agentId, r -> new Agent.CancelReservation(attemptId, reason, r));
    log.info("Preview {} of agent {} withdrawn: {}", attemptId, p.agentId, reason);
  }

  // ---- hooks for the dialer's call handling ---------------------------------------------------

  /**
   * A dialed preview answered live: bridged to its agent, who is already reserved for it. False for
   * any other call, which the dialer routes itself.
   */
  boolean bridgeAnswered(String attemptId) {
    String agentId = dialed.get(attemptId);
    if (agentId == null) {
      return false;
    }
    book.claiming(attemptId, agentId, clock.instant());
    gateway.tell(new TelephonyGateway.Bridge(attemptId, agentId));
    return true;
  }

  /**
   * A call ended. A dialed preview that never reached its agent (busy, no answer, machine, ...)
   * frees the agent; the dialer records the lead's outcome as for any call.
   */
  void callEnded(CallBook.Call call) {
    String agentId = dialed.remove(call.attemptId());
    if (agentId == null
        || call.phase() == CallBook.Phase.CONNECTED
        || call.phase() == CallBook.Phase.BRIDGING) {
      return; // connected or bridging: the dialer ends or cancels the agent's call itself
    }
    book.releaseAgent(agentId);
    agentStep.send(
        agentId,
        r ->
            new Agent.CancelReservation(
                call.attemptId(), "preview call not answered (" + call.phase() + ")", r));
  }

  // ---- helpers --------------------------------------------------------------------------------

  private Optional<Pending> offered(String agentId, String attemptId) {
    Pending p = attemptId == null ? null : pending.get(attemptId);
    return p != null && p.stage == Stage.OFFERED && p.agentId.equals(agentId)
        ? Optional.of(p)
        : Optional.empty();
  }

  private Optional<Preview.Offer> offerOf(String agentId) {
    return pending.values().stream()
        .filter(p -> p.stage == Stage.OFFERED && p.agentId.equals(agentId))
        .findFirst()
        .map(this::toOffer);
  }

  private Preview.Offer toOffer(Pending p) {
    return new Preview.Offer(p.attemptId, p.agentId, campaignId, p.leadId, p.expiresAt);
  }

  private String noOffer(String agentId, String attemptId) {
    return "agent "
        + agentId
        + " holds no preview offer "
        + attemptId
        + " in campaign "
        + campaignId;
  }

  private static String timerKey(String attemptId) {
    return "preview-" + attemptId;
  }
}
