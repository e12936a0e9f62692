package com.welcomedly.dialer.engine.dialing;

import com.welcomedly.dialer.engine.agent.Agent;
import com.welcomedly.dialer.engine.campaign.CampaignConfig;
import com.welcomedly.dialer.engine.lead.Lead;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/**
 * A live answer's way to an agent, <b>bridge first, record after</b>: the dialer picks the
 * longest-ready agent from its own view ({@link CallBook}, kept current by the agents' pushes),
 * sends the bridge to the gateway at once, and asks the Agent entity to record the reservation
 * ({@link Agent.ReserveBridged}) in parallel; the lead's connect and the agent's {@code
 * ConnectCall} follow once both the PBX's bridge and the agent's record are in. Nothing on the
 * answer → bridge path waits for a journal write (issue 18: the agent's reservation was the tail of
 * answer → bridge under load).
 *
 * <p>When the agent refuses the record (logged out, paused longer than {@link
 * Agent#BRIDGED_PAUSE_GRACE}, taken by another call, no reply), the customer is on (or on the way
 * to) the leg of an agent who is not there: the call is taken to the safe-harbor message and
 * counted as an abandon, as a live answer not connected to an agent is (docs/state-machines.md). No
 * connect deadline found an agent: safe-harbor message, abandon.
 */
final class LiveAnswerRouting {

  private final DialerContext d;
  private final CampaignHistory history;
  private final PreviewDesk previews;
  private final CallEnd callEnd;

  LiveAnswerRouting(
      DialerContext d, CampaignHistory history, PreviewDesk previews, CallEnd callEnd) {
    this.d = d;
    this.history = history;
    this.previews = previews;
    this.callEnd = callEnd;
  }

  /** A person answered (or pressed the transfer key): the connect deadline runs from now. */
  void liveAnswer(CallBook.Call call) {
    d.book.answered(call.attemptId(), d.clock.instant());
    d.observations.dialResolved(call.dialedAt(), d.clock.instant(), true);
    DialingMetrics.liveAnswers(d.campaignId).increment();
    d.totals = d.totals.liveAnswer();
    startDeadline(
        call.attemptId(),
        SafeHarborTiming.deadlineTimer(d.config().connectDeadline(), d.safeHarborMargin));
    route(call.attemptId());
  }

  void startDeadline(String attemptId, Duration in) {
    d.timers.startSingleTimer(
        DialerContext.deadlineKey(attemptId), new CampaignDialer.ConnectDeadline(attemptId), in);
  }

  void routeWaitingCalls() {
    d.book.waitingForAgent().forEach(this::route);
  }

  /** Bridges a waiting live answer to the longest-ready agent (or its callback's own agent). */
  void route(String attemptId) {
    Optional<CallBook.Call> call = d.book.call(attemptId);
    if (call.isEmpty() || call.get().phase() != CallBook.Phase.ANSWERED) {
      return;
    }
    if (previews.bridgeAnswered(attemptId)) {
      return; // a preview goes to the agent who dialed it, already reserved for it
    }
    Optional<String> agent = d.book.longestReadyAgent(call.get().callbackAgentId());
    if (agent.isEmpty()) {
      return; // the connect deadline decides if nobody frees up in time
    }
    String agentId = agent.get();
    d.book.bridgingFirst(attemptId, agentId, d.clock.instant());
    d.gateway.tell(new TelephonyGateway.Bridge(attemptId, agentId));
    record(attemptId, call.get().leadId(), agentId);
  }

  /**
   * A call a previous dialer instance bridged to {@code agentId} (the PBX shows both in one bridge)
   * before the lead recorded the connect: the agent's record is asked (again: a repeat for the call
   * the agent holds is a success), then the connect follows as for any call bridged first.
   */
  void adoptBridge(String attemptId, String leadId, String agentId, Instant at) {
    d.book.bridgingFirst(attemptId, agentId, at);
    d.book.bridged(attemptId, at);
    record(attemptId, leadId, agentId);
  }

  /** Asks the agent to record the reservation of a call bridged (or being bridged) to them. */
  private void record(String attemptId, String leadId, String agentId) {
    Agent.CallRef ref = new Agent.CallRef(attemptId, leadId, d.campaignId);
    Agent.WrapUpPolicy wrapUp =
        new Agent.WrapUpPolicy(d.config().wrapUpTimeout(), d.config().wrapUpTimeoutDisposition());
    long askedAt = System.nanoTime();
    d.actor.pipeToSelf(
        d.sharding
            .entityRefFor(Agent.ENTITY_KEY, agentId)
            .ask(
                (ActorRef<StatusReply<Agent.Summary>> r) ->
                    new Agent.ReserveBridged(ref, wrapUp, r),
                d.askTimeout),
        (reply, failure) ->
            new CampaignDialer.AgentReserved(
                attemptId,
                agentId,
                failure != null
                    ? failure.getMessage()
                    : reply.isError() ? reply.getError().getMessage() : null,
                failure != null,
                askedAt));
  }

  /** The PBX bridged the call: connected once the agent's record is in too. */
  void bridged(CallBook.Call call, String agentId, Instant at) {
    if (call.phase() != CallBook.Phase.BRIDGING || call.bridgedAt() != null) {
      return; // taken to the safe-harbor message meanwhile, or already known
    }
    if (call.agentId() != null && !call.agentId().equals(agentId)) {
      d.log.warn(
          "Call {} bridged to {} while routed to {}", call.attemptId(), agentId, call.agentId());
      return;
    }
    d.timers.cancel(DialerContext.deadlineKey(call.attemptId()));
    d.latency.record(
        DialerLatency.Step.ANSWER_TO_BRIDGE, Duration.between(call.answeredAt(), at).toNanos());
    d.book.bridged(call.attemptId(), at);
    if (call.recorded()) {
      connect(d.book.call(call.attemptId()).orElseThrow(), agentId);
    }
  }

  void onAgentReserved(CampaignDialer.AgentReserved reserved) {
    d.latency.record(DialerLatency.Step.RESERVE_AGENT, System.nanoTime() - reserved.askedAt());
    Optional<CallBook.Call> found = d.book.call(reserved.attemptId());
    boolean routedHere =
        found.isPresent()
            && found.get().phase() == CallBook.Phase.BRIDGING
            && reserved.agentId().equals(found.get().agentId());
    if (reserved.error() != null) {
      if (reserved.unanswered()) {
        // The record may still land after its ask timed out: do not leave the agent RESERVED.
        d.agentStep(
            reserved.agentId(),
            r -> new Agent.CancelReservation(reserved.attemptId(), "reserve timed out", r));
      }
      d.book.releaseAgent(reserved.agentId());
      if (routedHere) {
        notTaken(found.get(), reserved.error());
      }
      return;
    }
    if (found.isEmpty()) {
      // The customer hung up before the bridge: the call's end already sent the
      // CancelReservation, which the agent handles after this record (same sender, same order).
      d.book.releaseAgent(reserved.agentId());
      return;
    }
    if (!routedHere) {
      // The call moved on meanwhile: give the agent back.
      d.agentStep(
          reserved.agentId(),
          r -> new Agent.CancelReservation(reserved.attemptId(), "caller gone", r));
      d.book.releaseAgent(reserved.agentId());
      return;
    }
    CallBook.Call call = found.get();
    d.book.recorded(call.attemptId());
    if (call.bridgedAt() == null) {
      return; // the PBX's bridge is still on its way
    }
    connect(d.book.call(call.attemptId()).orElseThrow(), reserved.agentId());
    if (call.endedBy() != null) {
      callEnd.callEnded(d.book.call(call.attemptId()).orElseThrow(), call.endedBy(), d.config());
    }
  }

  /**
   * The agent did not take a call already on its way to their leg (the rule in
   * docs/state-machines.md): the customer goes to the safe-harbor message (or has hung up), and
   * either way it is an abandon, counted.
   */
  private void notTaken(CallBook.Call call, String why) {
    d.log.warn(
        "Agent {} did not take call {} bridged to them ({}): safe-harbor message",
        call.agentId(),
        call.attemptId(),
        why);
    DialingMetrics.bridgesNotTaken(d.campaignId).increment();
    if (call.endedBy() != null) {
      callEnd.callEnded(call.with(CallBook.Phase.ANSWERED), call.endedBy(), d.config());
      return;
    }
    abandon(call.attemptId(), DialingMetrics.AbandonReason.NOT_TAKEN);
  }

  /** Both the PBX's bridge and the agent's record are in: the lead and the agent hear it. */
  private void connect(CallBook.Call call, String agentId) {
    CampaignConfig config = d.config();
    Instant now = d.clock.instant();
    d.book.connected(call.attemptId());
    d.observations.talkStarted(agentId, call.bridgedAt());
    boolean late =
        SafeHarborTiming.late(call.answeredAt(), call.bridgedAt(), config.connectDeadline());
    // The lead's event carries the lateness, so the read models (and a restarted dialer's ledger
    // seeded from them) count this abandon too.
    d.leadStep(call.leadId(), r -> new Lead.MarkConnected(call.attemptId(), agentId, late, r));
    d.agentStep(agentId, r -> new Agent.ConnectCall(call.attemptId(), r));
    if (late) {
      // An abandon under the rule even though an agent now talks to the caller: the ledger and
      // the pacer must see it (issue 18: 626 bridges after 10 s were counted as connects).
      DialingMetrics.lateBridges(d.campaignId).increment();
      history.countAbandon(DialingMetrics.AbandonReason.LATE_BRIDGE);
    } else {
      DialingMetrics.connects(d.campaignId).increment();
      d.totals = d.totals.connect();
      history.liveAnswered(now, false);
      d.observations.liveAnswerOutcome(false);
    }
  }

  void onConnectDeadline(CampaignDialer.ConnectDeadline deadline) {
    Optional<CallBook.Call> call = d.book.call(deadline.attemptId());
    if (call.isPresent() && call.get().phase() == CallBook.Phase.ANSWERED) {
      // No agent within the legal window: play the safe-harbor message instead of dead air.
      abandon(deadline.attemptId(), DialingMetrics.AbandonReason.DEADLINE);
    }
  }

  private void abandon(String attemptId, DialingMetrics.AbandonReason reason) {
    d.book.abandoning(attemptId);
    d.safeHarbor.started(attemptId, d.clock.instant());
    d.gateway.tell(new TelephonyGateway.SafeHarbor(attemptId, d.config().safeHarborMessage()));
    history.countAbandon(reason);
  }
}
