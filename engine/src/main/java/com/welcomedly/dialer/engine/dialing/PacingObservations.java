package com.welcomedly.dialer.engine.dialing;

import com.welcomedly.dialer.engine.agent.Agent;
import com.welcomedly.dialer.engine.pacing.PacingEstimator;
import com.welcomedly.dialer.engine.pacing.PacingObserver;
import com.welcomedly.dialer.engine.pacing.PacingSnapshot.AgentPhase;
import java.time.Duration;
import java.time.Instant;

/**
 * The dialer's side of {@link PacingObserver}: turns what the dialer sees (its calls' events with
 * its clock's instants, the agents' polled summaries) into the observer's vocabulary, on the same
 * time base as the dialer's pacing snapshots ({@link CallBook#snapshot}: epoch seconds).
 *
 * <p>The dialer reports TALK when it bridges a call and WRAP when the caller hangs up; the agents'
 * own summaries tell the rest (wrap-up ending in READY or a pause, with the entity's timestamps),
 * so a polled summary's lateness does not bias the wrap-up time.
 */
final class PacingObservations {

  private final PacingObserver observer;

  PacingObservations(PacingEstimator estimator) {
    this.observer = new PacingObserver(estimator);
  }

  void dialResolved(Instant dialedAt, Instant now, boolean live) {
    double seconds = dialedAt == null ? 0 : Duration.between(dialedAt, now).toMillis() / 1000.0;
    observer.dialResolved(seconds, live);
  }

  void liveAnswerOutcome(boolean abandoned) {
    observer.liveAnswerOutcome(abandoned);
  }

  /** The dialer bridged a call to the agent. */
  void talkStarted(String agentId, Instant at) {
    observer.agentState(agentId, AgentPhase.TALK, seconds(at));
  }

  /** The agent's caller hung up: wrap-up starts. */
  void talkEnded(String agentId, Instant at) {
    observer.agentState(agentId, AgentPhase.WRAP, seconds(at));
  }

  /**
   * An agent's summary as polled: its status and since when. An agent busy with another campaign's
   * call is forgotten until it is free again: that call's talk and wrap-up are not this campaign's.
   */
  void agentSeen(Agent.Summary agent, String campaignId) {
    boolean otherCampaign = agent.call() != null && !campaignId.equals(agent.call().campaignId());
    if (agent.status() == Agent.Status.LOGGED_OUT || agent.statusSince() == null || otherCampaign) {
      observer.agentGone(agent.agentId());
      return;
    }
    AgentPhase phase =
        switch (agent.status()) {
          case READY -> AgentPhase.READY;
          case RESERVED -> AgentPhase.CONNECTING;
          case ON_CALL -> AgentPhase.TALK;
          case WRAP_UP -> AgentPhase.WRAP;
          default -> AgentPhase.PAUSED;
        };
    observer.agentState(agent.agentId(), phase, seconds(agent.statusSince()));
  }

  void agentGone(String agentId) {
    observer.agentGone(agentId);
  }

  void seed(PacingObserver.History history) {
    observer.seed(history);
  }

  private static double seconds(Instant instant) {
    return instant.toEpochMilli() / 1000.0;
  }
}
