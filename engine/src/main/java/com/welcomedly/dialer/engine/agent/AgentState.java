package com.welcomedly.dialer.engine.agent;

import com.welcomedly.dialer.engine.CborSerializable;
import com.welcomedly.dialer.engine.agent.Agent.CallRef;
import com.welcomedly.dialer.engine.agent.Agent.PauseReason;
import com.welcomedly.dialer.engine.agent.Agent.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * The state of an {@link Agent} and its rules, beside the entity to keep both files readable.
 * Immutable; {@link #apply} is the only way to a new state.
 *
 * @param pauseAfterCall the pause the agent asked for during a call, applied when wrap-up ends
 * @param session the current login session's accounting, null when logged out
 */
public record AgentState(
    String displayName,
    String phoneEndpoint,
    Set<String> campaigns,
    Status status,
    PauseReason pauseReason,
    PauseReason pauseAfterCall,
    CallRef call,
    Agent.WrapUpPolicy wrapUp,
    Instant wrapUpDeadline,
    Instant statusSince,
    Session session,
    Duration heartbeatTimeout)
    implements CborSerializable {

  static final AgentState EMPTY =
      new AgentState(
          null, null, Set.of(), Status.LOGGED_OUT, null, null, null, null, null, null, null, null);

  public AgentState {
    campaigns = Set.copyOf(campaigns);
  }

  Agent.Summary toSummary(String agentId, Instant now) {
    return new Agent.Summary(
        agentId,
        displayName,
        phoneEndpoint,
        campaigns,
        status,
        pauseReason,
        pauseAfterCall,
        call,
        wrapUpDeadline,
        statusSince,
        session == null ? null : accountedUntil(now));
  }

  /** The session's accounting including the running stretch in the current status. */
  Session accountedUntil(Instant now) {
    if (session == null) {
      return null;
    }
    Duration running = statusSince == null ? Duration.ZERO : Duration.between(statusSince, now);
    return session.plus(status, pauseReason, running.isNegative() ? Duration.ZERO : running);
  }

  /** Why a call step for {@code attemptId} does not fit now, or null when it does. */
  String wrongCall(String attemptId, Status expected) {
    if (status != expected) {
      return "agent is " + status + ", expected " + expected;
    }
    if (call == null || !call.attemptId().equals(attemptId)) {
      return "agent is on attempt "
          + (call == null ? null : call.attemptId())
          + ", not "
          + attemptId;
    }
    return null;
  }

  /**
   * True when the agent is still on {@code attemptId} but already past {@code step} (e.g. in
   * WRAP_UP for an EndCall): the step was applied and its reply lost, so a retry is a no-op.
   */
  boolean alreadyPast(String attemptId, Status step) {
    if (call == null || !call.attemptId().equals(attemptId)) {
      return false;
    }
    return switch (step) {
      case RESERVED -> status == Status.ON_CALL || status == Status.WRAP_UP;
      case ON_CALL -> status == Status.WRAP_UP;
      default -> false;
    };
  }

  /** The agent holds {@code attemptId}: reserved for it, on it or wrapping it up. */
  boolean holds(String attemptId) {
    return call != null
        && call.attemptId().equals(attemptId)
        && (status == Status.RESERVED || status == Status.ON_CALL || status == Status.WRAP_UP);
  }

  Status statusAfterCall() {
    return pauseAfterCall == null ? Status.READY : Status.PAUSED;
  }

  AgentState apply(Agent.Event event) {
    if (event instanceof Agent.Configured e) {
      return new AgentState(
          e.newDisplayName(),
          e.newPhoneEndpoint(),
          e.newCampaigns(),
          status,
          pauseReason,
          pauseAfterCall,
          call,
          wrapUp,
          wrapUpDeadline,
          statusSince,
          session,
          heartbeatTimeout);
    } else if (event instanceof Agent.LoggedIn e) {
      return new AgentState(
          displayName,
          phoneEndpoint,
          campaigns,
          Status.READY,
          null,
          null,
          null,
          null,
          null,
          e.at(),
          Session.start(e.sessionId(), e.at()),
          e.heartbeatTimeout());
    } else if (event instanceof Agent.LoggedOut e) {
      return new AgentState(
          displayName,
          phoneEndpoint,
          campaigns,
          Status.LOGGED_OUT,
          null,
          null,
          null,
          null,
          null,
          e.at(),
          null,
          null);
    } else if (event instanceof Agent.BecameReady e) {
      return move(Status.READY, null, pauseAfterCall, call, wrapUp, null, e.at());
    } else if (event instanceof Agent.Paused e) {
      return move(Status.PAUSED, e.reason(), null, null, null, null, e.at());
    } else if (event instanceof Agent.PauseRequested e) {
      return new AgentState(
          displayName,
          phoneEndpoint,
          campaigns,
          status,
          pauseReason,
          e.reason(),
          call,
          wrapUp,
          wrapUpDeadline,
          statusSince,
          session,
          heartbeatTimeout);
    } else if (event instanceof Agent.Reserved e) {
      return move(Status.RESERVED, null, pauseAfterCall, e.call(), e.wrapUp(), null, e.at());
    } else if (event instanceof Agent.ReservationCancelled e) {
      return move(e.newStatus(), e.pauseReason(), null, null, null, null, e.at());
    } else if (event instanceof Agent.CallConnected e) {
      return move(Status.ON_CALL, null, pauseAfterCall, call, wrapUp, null, e.at());
    } else if (event instanceof Agent.CallEnded e) {
      return move(Status.WRAP_UP, null, pauseAfterCall, call, wrapUp, e.wrapUpDeadline(), e.at());
    } else if (event instanceof Agent.WrapUpCompleted e) {
      return move(e.newStatus(), e.pauseReason(), null, null, null, null, e.at());
    } else if (event instanceof Agent.HeartbeatLost e) {
      if (e.newStatus() == Status.PAUSED) {
        return move(Status.PAUSED, PauseReason.DISCONNECTED, null, null, null, null, e.at());
      }
      return new AgentState(
          displayName,
          phoneEndpoint,
          campaigns,
          status,
          pauseReason,
          PauseReason.DISCONNECTED,
          call,
          wrapUp,
          wrapUpDeadline,
          statusSince,
          session,
          heartbeatTimeout);
    }
    throw new IllegalArgumentException("unknown event " + event.getClass());
  }

  /** A status change: closes the running stretch into the session's accounting. */
  private AgentState move(
      Status next,
      PauseReason reason,
      PauseReason pendingPause,
      CallRef newCall,
      Agent.WrapUpPolicy policy,
      Instant deadline,
      Instant at) {
    return new AgentState(
        displayName,
        phoneEndpoint,
        campaigns,
        next,
        reason,
        pendingPause,
        newCall,
        policy,
        deadline,
        at,
        accountedUntil(at),
        heartbeatTimeout);
  }
}
