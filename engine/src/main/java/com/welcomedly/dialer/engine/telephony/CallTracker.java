package com.welcomedly.dialer.engine.telephony;

import com.welcomedly.dialer.engine.telephony.AmiEvents.AgentLegIdle;
import com.welcomedly.dialer.engine.telephony.AmiEvents.AgentlessResult;
import com.welcomedly.dialer.engine.telephony.AmiEvents.AmdResult;
import com.welcomedly.dialer.engine.telephony.AmiEvents.BridgeEntered;
import com.welcomedly.dialer.engine.telephony.AmiEvents.BridgeLeft;
import com.welcomedly.dialer.engine.telephony.AmiEvents.ChannelCreated;
import com.welcomedly.dialer.engine.telephony.AmiEvents.ChannelHungUp;
import com.welcomedly.dialer.engine.telephony.AmiEvents.ChannelStateChanged;
import com.welcomedly.dialer.engine.telephony.AmiEvents.DialEnded;
import com.welcomedly.dialer.engine.telephony.AmiEvents.Observed;
import com.welcomedly.dialer.engine.telephony.AmiEvents.OriginateResult;
import com.welcomedly.dialer.engine.telephony.AmiEvents.PbxShutdown;
import com.welcomedly.dialer.engine.telephony.AmiEvents.PbxStopping;
import com.welcomedly.dialer.engine.telephony.AmiEvents.SafeHarborResult;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.ActionRejected;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.AgentBridged;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.AgentIdle;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.AgentLegDown;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.AgentLegEvent;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.AgentLegFailed;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.AgentLegUp;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.AmdVerdict;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.Answered;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.Bridged;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.BroadcastOutcome;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.BroadcastResult;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.Busy;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.CallEvent;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.Congestion;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.Failed;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.HungUp;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.InvalidNumber;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.LiveChannel;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.MachineDetection;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.NoAnswer;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.Ringing;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.SafeHarborFailed;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.SafeHarborPlayed;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.Side;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The call and agent-leg state machines behind the gateway, in plain Java (no Pekko, no AMI types)
 * so the trace replay test drives exactly what production runs. Fed {@link Observed} records in
 * arrival order, it decides each call's outcome from the three AMI sources together — the
 * OriginateResponse reason, DialEnd status and the Hangup causes of both Local legs — because none
 * is enough alone: reason 0 covers rejected, unallocated, unroutable and "callee gave up"; the
 * {@code ;1} leg hangs up busy and congestion with cause 0; and the OriginateResponse may arrive
 * before or after the hangups. A failed call is therefore settled when both its OriginateResponse
 * and its own channel's Hangup have been seen, or by {@link #settle} after a grace period.
 *
 * <p>Correlation: a call's channel has Uniqueid = callId (Originate ChannelId), its Local partner
 * {@link #otherChannelId}; an agent leg has the leg id the gateway chose. Listeners are opaque
 * values of type {@code C} (calls) and {@code A} (agent legs); events go to the {@link Sink}.
 */
final class CallTracker<C, A> {

  /** Where decided events go: in production {@code listener.tell(event)}. */
  interface Sink<C, A> {
    void call(C listener, CallEvent event);

    void agent(A listener, AgentLegEvent event);
  }

  static String otherChannelId(String callId) {
    return callId + "-2";
  }

  private enum Kind {
    CALL,
    AGENT
  }

  private record Leg(Kind kind, String id, boolean partner) {}

  private static final class CallState<C> {
    final String callId;
    final C listener;
    boolean channelSeen;
    String liveChannel;
    boolean ringing;
    boolean answered;
    String channel;
    Integer failureReason;
    String dialStatus;
    int firstCause;
    boolean ownLegHungUp;
    boolean partnerHungUpFirst;
    boolean dialerHangup;
    boolean agentLeftFirst;
    boolean inBridge;
    String bridgedAgent;
    boolean suspect;

    CallState(String callId, C listener) {
      this.callId = callId;
      this.listener = listener;
    }
  }

  private static final class AgentState<A> {
    final String agentId;
    final String legId;
    final A listener;
    boolean up;
    String channel;
    String bridgedCall;
    boolean suspect;

    AgentState(String agentId, String legId, A listener) {
      this.agentId = agentId;
      this.legId = legId;
      this.listener = listener;
    }
  }

  private final Sink<C, A> sink;
  private final Map<String, CallState<C>> calls = new HashMap<>();
  private final Map<String, AgentState<A>> agents = new HashMap<>();
  private final Map<String, AgentState<A>> agentsByLeg = new HashMap<>();
  private final Map<String, Leg> legs = new HashMap<>();
  private final Map<String, Set<String>> bridges = new HashMap<>();

  /** The PBX announced it is shutting down or restarting; cleared once it is back and checked. */
  private boolean pbxStopping;

  CallTracker(Sink<C, A> sink) {
    this.sink = sink;
  }

  // ------------------------------------------------------------------ registration

  void originated(String callId, C listener) {
    calls.put(callId, new CallState<>(callId, listener));
    legs.put(callId, new Leg(Kind.CALL, callId, false));
    legs.put(otherChannelId(callId), new Leg(Kind.CALL, callId, true));
  }

  /** A call found live on the PBX (after a restart): tracked again, checked at next reconcile. */
  void adopt(String callId, String channel, boolean answered, C listener) {
    CallState<C> call = new CallState<>(callId, listener);
    call.channelSeen = true;
    call.liveChannel = channel;
    call.answered = answered;
    call.channel = answered ? channel : null;
    call.suspect = true;
    calls.put(callId, call);
    legs.put(callId, new Leg(Kind.CALL, callId, false));
    legs.put(otherChannelId(callId), new Leg(Kind.CALL, callId, true));
  }

  void nailedUp(String agentId, String legId, A listener) {
    AgentState<A> agent = new AgentState<>(agentId, legId, listener);
    agents.put(agentId, agent);
    agentsByLeg.put(legId, agent);
    legs.put(legId, new Leg(Kind.AGENT, agentId, false));
    legs.put(otherChannelId(legId), new Leg(Kind.AGENT, agentId, true));
  }

  /**
   * Whether the agent's leg was nailed up for this same listener (a campaign's leg relay, which
   * outlives its dialer): a dialer that restarted on this node asks for a leg it already has.
   */
  boolean legHeardBy(String agentId, A listener) {
    AgentState<A> agent = agents.get(agentId);
    return agent != null && agent.listener.equals(listener);
  }

  boolean isTracking(String callId) {
    return calls.containsKey(callId);
  }

  boolean hasAgent(String agentId) {
    return agents.containsKey(agentId);
  }

  boolean isEmpty() {
    return calls.isEmpty() && agents.isEmpty();
  }

  Optional<String> customerChannel(String callId) {
    CallState<C> call = calls.get(callId);
    return call == null || !call.answered ? Optional.empty() : Optional.ofNullable(call.channel);
  }

  /** The channel to hang up: the answered one, or while ringing the one being dialled. */
  Optional<String> hangupChannel(String callId) {
    CallState<C> call = calls.get(callId);
    if (call == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(call.answered ? call.channel : call.liveChannel);
  }

  Optional<String> agentChannel(String agentId) {
    AgentState<A> agent = agents.get(agentId);
    return agent == null || !agent.up ? Optional.empty() : Optional.ofNullable(agent.channel);
  }

  Optional<String> agentOfLeg(String uniqueId) {
    Leg leg = legs.get(uniqueId);
    return leg != null && leg.kind == Kind.AGENT ? Optional.of(leg.id) : Optional.empty();
  }

  Optional<String> callOfLeg(String uniqueId) {
    Leg leg = legs.get(uniqueId);
    return leg != null && leg.kind == Kind.CALL ? Optional.of(leg.id) : Optional.empty();
  }

  /** We asked for this hangup: the call will end with side DIALER. */
  void dialerHangup(String callId) {
    CallState<C> call = calls.get(callId);
    if (call != null) {
      call.dialerHangup = true;
    }
  }

  void agentReleased(String agentId) {
    AgentState<A> agent = agents.get(agentId);
    if (agent != null && agent.bridgedCall != null) {
      CallState<C> call = calls.get(agent.bridgedCall);
      if (call != null) {
        call.agentLeftFirst = true;
      }
    }
  }

  /** The PBX or the gateway refused an action; a refused Originate ends the call. */
  void reject(String callId, String action, String reason, Instant at) {
    CallState<C> call = calls.get(callId);
    if (call == null) {
      return;
    }
    ActionRejected event = new ActionRejected(callId, action, reason, at);
    sink.call(call.listener, event);
    if (event.isFinal()) {
      forgetCall(call);
    }
  }

  void agentFailed(String agentId, String reason, Instant at) {
    AgentState<A> agent = agents.get(agentId);
    if (agent != null) {
      sink.agent(agent.listener, new AgentLegFailed(agentId, reason, at));
      forgetAgent(agent);
    }
  }

  // ------------------------------------------------------------------ timers from the gateway

  /** Grace period after a failed OriginateResponse is over: decide with what we have. */
  void settle(String callId, Instant at) {
    CallState<C> call = calls.get(callId);
    if (call != null && call.failureReason != null) {
      finishFailure(call, at);
    }
  }

  /**
   * The PBX is going down (it hangs up every channel for a shutdown, sent Shutdown, or refused an
   * action because it is shutting down): calls it ends from now until {@link #pbxBack} failed
   * because of it, whatever the AMI reason.
   */
  void pbxStopping() {
    pbxStopping = true;
  }

  /** The PBX is back and what was in flight has been reconciled. */
  void pbxBack() {
    pbxStopping = false;
  }

  /** No OriginateResponse long after the ring timeout: never leave the dialer hanging. */
  void overdue(String callId, Instant at) {
    CallState<C> call = calls.get(callId);
    if (call != null && !call.answered && call.failureReason == null) {
      sink.call(call.listener, new Failed(callId, 0, "no OriginateResponse from the PBX", at));
      forgetCall(call);
    }
  }

  /** The link dropped: everything tracked now must be checked against the PBX's channel list. */
  void linkLost() {
    calls.values().forEach(c -> c.suspect = true);
    agents.values().forEach(a -> a.suspect = true);
  }

  /**
   * Compare what was in flight when the link dropped with the live channels: settle calls that
   * ended meanwhile, deliver answers that were missed.
   */
  void reconcile(Map<String, LiveChannel> liveByUniqueId, Instant at) {
    for (CallState<C> call : new ArrayList<>(calls.values())) {
      if (!call.suspect) {
        continue;
      }
      call.suspect = false;
      LiveChannel live = liveByUniqueId.get(call.callId);
      if (live == null) {
        if (call.answered) {
          sink.call(call.listener, new HungUp(call.callId, Side.UNKNOWN, call.firstCause, at));
        } else if (call.failureReason != null) {
          finishFailure(call, at);
          continue;
        } else {
          sink.call(
              call.listener,
              new Failed(
                  call.callId,
                  0,
                  pbxStopping ? PBX_STOPPED : "call ended while the PBX link was down",
                  at));
        }
        forgetCall(call);
      } else if (!call.answered && live.state() == 6) {
        call.answered = true;
        call.channel = live.channel();
        sink.call(call.listener, new Answered(call.callId, live.channel(), at));
      }
    }
    for (AgentState<A> agent : new ArrayList<>(agents.values())) {
      if (!agent.suspect) {
        continue;
      }
      agent.suspect = false;
      LiveChannel live = liveByUniqueId.get(agent.legId);
      if (live == null) {
        if (agent.up) {
          sink.agent(agent.listener, new AgentLegDown(agent.agentId, 0, at));
        } else {
          sink.agent(
              agent.listener,
              new AgentLegFailed(agent.agentId, "agent leg ended while the PBX link was down", at));
        }
        forgetAgent(agent);
      } else if (!agent.up && live.state() == 6) {
        agent.up = true;
        agent.channel = live.channel();
        sink.agent(agent.listener, new AgentLegUp(agent.agentId, live.channel(), at));
      }
    }
  }

  // ------------------------------------------------------------------ PBX events

  void onObserved(Observed observed) {
    // Java 17: no pattern switch yet, so a flat instanceof dispatch over the sealed records.
    if (observed instanceof OriginateResult r) {
      onOriginateResult(r);
    } else if (observed instanceof ChannelCreated c) {
      withCallLeg(
          c.uniqueId(),
          (call, leg) -> {
            call.channelSeen = true;
            if (!leg.partner) {
              call.liveChannel = c.channel();
            }
          });
    } else if (observed instanceof ChannelStateChanged s) {
      onStateChanged(s);
    } else if (observed instanceof DialEnded d) {
      withCallLeg(
          d.uniqueId(),
          (call, leg) -> {
            if (!leg.partner) {
              call.dialStatus = d.status();
            }
          });
    } else if (observed instanceof ChannelHungUp h) {
      onHungUp(h);
    } else if (observed instanceof BridgeEntered b) {
      onBridgeEntered(b);
    } else if (observed instanceof BridgeLeft b) {
      onBridgeLeft(b);
    } else if (observed instanceof AmdResult a) {
      withCallLeg(
          a.uniqueId(),
          (call, leg) ->
              sink.call(
                  call.listener,
                  new MachineDetection(call.callId, verdict(a.status()), a.cause(), a.at())));
    } else if (observed instanceof AgentLegIdle i) {
      AgentState<A> agent = agentsByLeg.get(i.uniqueId());
      if (agent != null) {
        agent.bridgedCall = null;
        sink.agent(agent.listener, new AgentIdle(agent.agentId, i.at()));
      }
    } else if (observed instanceof SafeHarborResult s) {
      withCallLeg(
          s.uniqueId(),
          (call, leg) -> {
            call.dialerHangup = true; // the safe-harbor dialplan hangs up next
            sink.call(call.listener, safeHarborOutcome(call.callId, s));
          });
    } else if (observed instanceof AgentlessResult r) {
      withCallLeg(
          r.uniqueId(),
          (call, leg) -> {
            BroadcastResult result = broadcastOutcome(call.callId, r);
            // Every result but TRANSFER ends the dialplan with its own hangup.
            call.dialerHangup |= result.outcome() != BroadcastOutcome.TRANSFER;
            sink.call(call.listener, result);
          });
    } else if (observed instanceof PbxShutdown || observed instanceof PbxStopping) {
      pbxStopping();
    }
    // LinkLost and Malformed are the gateway's business.
  }

  private void onOriginateResult(OriginateResult r) {
    CallState<C> call = calls.get(r.actionId());
    if (call == null && r.uniqueId() != null) {
      Leg leg = legs.get(r.uniqueId());
      call = leg != null && leg.kind == Kind.CALL ? calls.get(leg.id) : null;
    }
    if (call != null) {
      if (r.success()) {
        if (!call.answered) {
          call.answered = true;
          call.channel = r.channel();
          sink.call(call.listener, new Answered(call.callId, r.channel(), r.at()));
        }
      } else if (!call.answered) {
        call.failureReason = r.reason();
        // Decided by the own leg's Hangup, or by settle() after the grace period. Not at once when
        // no channel was seen yet: Asterisk publishes OriginateResponse directly but channel
        // events through Stasis, so under load a callee that rejects at once (cause 28 from the
        // dialplan) has its OriginateResponse overtake its Newchannel and Hangup — measured
        // against Asterisk 22.10. If no channel ever existed, settle() reports it.
        if (call.ownLegHungUp) {
          finishFailure(call, r.at());
        }
      }
      return;
    }
    AgentState<A> agent = agentsByLeg.get(r.actionId());
    if (agent == null && r.uniqueId() != null) {
      agent = agentsByLeg.get(r.uniqueId());
    }
    if (agent != null) {
      if (r.success()) {
        agent.up = true;
        agent.channel = r.channel();
        sink.agent(agent.listener, new AgentLegUp(agent.agentId, r.channel(), r.at()));
      } else {
        sink.agent(
            agent.listener,
            new AgentLegFailed(
                agent.agentId,
                "agent endpoint did not answer (OriginateResponse reason " + r.reason() + ")",
                r.at()));
        forgetAgent(agent);
      }
    }
  }

  private void onStateChanged(ChannelStateChanged s) {
    withCallLeg(
        s.uniqueId(),
        (call, leg) -> {
          call.channelSeen = true;
          // Ringing (5) on our own leg; a PJSIP channel has no partner, so ours is the callee.
          if (!leg.partner && s.state() == 5 && !call.ringing && !call.answered) {
            call.ringing = true;
            sink.call(call.listener, new Ringing(call.callId, s.at()));
          }
        });
  }

  private void onHungUp(ChannelHungUp h) {
    Leg leg = legs.get(h.uniqueId());
    if (leg == null) {
      return;
    }
    if (leg.kind == Kind.AGENT) {
      AgentState<A> agent = agents.get(leg.id);
      if (agent == null) {
        legs.remove(h.uniqueId());
        return;
      }
      if (agent.bridgedCall != null) {
        CallState<C> call = calls.get(agent.bridgedCall);
        if (call != null && call.inBridge) {
          call.agentLeftFirst = true;
        }
      }
      if (!leg.partner) {
        if (agent.up) {
          sink.agent(agent.listener, new AgentLegDown(agent.agentId, h.cause(), h.at()));
          forgetAgent(agent);
        }
        // Not up yet: the OriginateResponse failure that follows reports it.
      }
      return;
    }
    CallState<C> call = calls.get(leg.id);
    if (call == null) {
      return;
    }
    call.channelSeen = true;
    if (call.firstCause == 0 && h.cause() != 0) {
      call.firstCause = h.cause();
    }
    if (leg.partner) {
      if (!call.ownLegHungUp) {
        call.partnerHungUpFirst = true;
      }
      return;
    }
    call.ownLegHungUp = true;
    if (call.answered) {
      Side side =
          call.dialerHangup ? Side.DIALER : call.agentLeftFirst ? Side.AGENT : Side.CUSTOMER;
      int cause = h.cause() != 0 ? h.cause() : call.firstCause;
      sink.call(call.listener, new HungUp(call.callId, side, cause, h.at()));
      forgetCall(call);
    } else if (call.failureReason != null) {
      finishFailure(call, h.at());
    }
    // Else: the OriginateResponse is still to come and decides.
  }

  private void onBridgeEntered(BridgeEntered b) {
    Set<String> members = bridges.computeIfAbsent(b.bridgeId(), id -> new HashSet<>());
    members.add(b.uniqueId());
    Leg entering = legs.get(b.uniqueId());
    if (entering != null && entering.kind == Kind.CALL && !entering.partner) {
      CallState<C> call = calls.get(entering.id);
      if (call != null) {
        call.inBridge = true;
      }
    }
    String callId = null;
    String agentId = null;
    for (String member : members) {
      Leg leg = legs.get(member);
      if (leg == null || leg.partner) {
        continue;
      }
      if (leg.kind == Kind.CALL) {
        callId = leg.id;
      } else {
        agentId = leg.id;
      }
    }
    if (callId == null || agentId == null) {
      return;
    }
    CallState<C> call = calls.get(callId);
    AgentState<A> agent = agents.get(agentId);
    if (call == null || agent == null || agentId.equals(call.bridgedAgent)) {
      return;
    }
    call.bridgedAgent = agentId;
    agent.bridgedCall = callId;
    sink.call(call.listener, new Bridged(callId, agentId, b.at()));
    sink.agent(agent.listener, new AgentBridged(agentId, callId, b.at()));
  }

  private void onBridgeLeft(BridgeLeft b) {
    Set<String> members = bridges.get(b.bridgeId());
    if (members != null) {
      members.remove(b.uniqueId());
      if (members.isEmpty()) {
        bridges.remove(b.bridgeId());
      }
    }
    Leg leg = legs.get(b.uniqueId());
    if (leg == null || leg.partner) {
      return;
    }
    if (leg.kind == Kind.CALL) {
      CallState<C> call = calls.get(leg.id);
      if (call != null) {
        call.inBridge = false;
      }
    } else {
      AgentState<A> agent = agents.get(leg.id);
      if (agent != null && agent.bridgedCall != null) {
        CallState<C> call = calls.get(agent.bridgedCall);
        if (call != null && call.inBridge && !call.dialerHangup) {
          call.agentLeftFirst = true; // the agent left while the customer was still there
        }
      }
    }
  }

  static final String PBX_STOPPED = "the PBX shut down or restarted before the call was answered";

  /**
   * A failed call's outcome. While the PBX is stopping, every unanswered call it ends is a failure
   * caused by the stop — whatever it says: {@code core restart now} ends a ringing Local call with
   * DialEnd NOANSWER, cause 0 and OriginateResponse reason 0, which alone reads as a no-answer.
   */
  private void finishFailure(CallState<C> call, Instant at) {
    if (pbxStopping && !call.dialerHangup) {
      sink.call(call.listener, new Failed(call.callId, call.firstCause, PBX_STOPPED, at));
      forgetCall(call);
      return;
    }
    if (call.dialerHangup) {
      sink.call(
          call.listener,
          new Failed(call.callId, call.firstCause, "cancelled by the dialer before answer", at));
      forgetCall(call);
      return;
    }
    sink.call(
        call.listener,
        classifyFailure(
            call.callId,
            call.failureReason,
            call.dialStatus,
            call.firstCause,
            call.channelSeen,
            at));
    forgetCall(call);
  }

  /**
   * The unanswered outcome. Reasons 5, 8 and 3 are unambiguous (busy, congestion, Originate
   * timeout); reason 0 or 1 is decided by the first non-zero Hangup cause of either leg, then by
   * DialEnd's status.
   */
  static CallEvent classifyFailure(
      String callId, int reason, String dialStatus, int cause, boolean channelSeen, Instant at) {
    switch (reason) {
      case 5:
        return new Busy(callId, cause == 0 ? 17 : cause, at);
      case 8:
        return new Congestion(callId, cause == 0 ? 34 : cause, at);
      case 3:
        return new NoAnswer(callId, cause == 0 ? 19 : cause, at);
      default:
        break;
    }
    switch (cause) {
      case 17:
        return new Busy(callId, cause, at);
      case 18, 19:
        return new NoAnswer(callId, cause, at);
      case 34, 38, 41, 42, 44, 47:
        return new Congestion(callId, cause, at);
      case 1, 3, 28:
        return new InvalidNumber(callId, cause, at);
      case 0:
        break;
      default:
        return new Failed(callId, cause, "call failed with Q.850 cause " + cause, at);
    }
    if (dialStatus != null) {
      switch (dialStatus) {
        case "BUSY":
          return new Busy(callId, 17, at);
        case "NOANSWER":
          return new NoAnswer(callId, 19, at);
        case "CONGESTION", "CHANUNAVAIL":
          return new Congestion(callId, 34, at);
        default:
          break;
      }
    }
    return new Failed(
        callId,
        0,
        channelSeen
            ? "no route: the dialplan or trunk could not place the call (reason " + reason + ")"
            : "the PBX could not create the channel (reason " + reason + ")",
        at);
  }

  /** Only an explicit PLAYED or OPTOUT says the message played; anything else is a failure. */
  static CallEvent safeHarborOutcome(String callId, SafeHarborResult s) {
    if ("PLAYED".equalsIgnoreCase(s.result()) || "OPTOUT".equalsIgnoreCase(s.result())) {
      return new SafeHarborPlayed(callId, "OPTOUT".equalsIgnoreCase(s.result()), s.at());
    }
    String reason = s.reason() == null || s.reason().isBlank() ? "" : ": " + s.reason();
    return new SafeHarborFailed(callId, "Result " + s.result() + reason, s.at());
  }

  /** An unknown Result is FAILED: nothing is assumed to have played. */
  static BroadcastResult broadcastOutcome(String callId, AgentlessResult r) {
    BroadcastOutcome outcome;
    try {
      outcome = BroadcastOutcome.valueOf(r.result().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      outcome = BroadcastOutcome.FAILED;
    }
    String detail =
        outcome == BroadcastOutcome.FAILED
            ? "Result " + r.result() + (r.reason() == null ? "" : ": " + r.reason())
            : null;
    return new BroadcastResult(callId, outcome, r.key(), detail, r.at());
  }

  private static AmdVerdict verdict(String status) {
    try {
      return AmdVerdict.valueOf(status.trim().toUpperCase());
    } catch (IllegalArgumentException e) {
      return AmdVerdict.NOTSURE;
    }
  }

  private interface LegHandler<C> {
    void handle(CallState<C> call, Leg leg);
  }

  private void withCallLeg(String uniqueId, LegHandler<C> handler) {
    Leg leg = uniqueId == null ? null : legs.get(uniqueId);
    if (leg != null && leg.kind == Kind.CALL) {
      CallState<C> call = calls.get(leg.id);
      if (call != null) {
        handler.handle(call, leg);
      }
    }
  }

  private void forgetCall(CallState<C> call) {
    calls.remove(call.callId);
    legs.remove(call.callId);
    legs.remove(otherChannelId(call.callId));
  }

  private void forgetAgent(AgentState<A> agent) {
    agents.remove(agent.agentId);
    agentsByLeg.remove(agent.legId);
    legs.remove(agent.legId);
    legs.remove(otherChannelId(agent.legId));
  }

  /** Matches PBX channels to what we track (for {@link TelephonyGateway.Reconcile}). */
  List<LiveChannel> match(List<LiveChannel> listed) {
    List<LiveChannel> out = new ArrayList<>(listed.size());
    for (LiveChannel c : listed) {
      String callId = callOfLeg(c.uniqueId()).orElse(null);
      String agentId = agentOfLeg(c.uniqueId()).orElse(null);
      out.add(new LiveChannel(c.channel(), c.uniqueId(), c.state(), c.bridgeId(), callId, agentId));
    }
    return out;
  }
}
