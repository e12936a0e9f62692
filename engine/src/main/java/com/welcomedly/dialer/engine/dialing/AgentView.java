package com.welcomedly.dialer.engine.dialing;

import com.welcomedly.dialer.engine.agent.Agent;
import com.welcomedly.dialer.engine.agent.AgentChanges;
import com.welcomedly.dialer.engine.campaign.CampaignConfig;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The dialer's view of its campaign's agents, <b>pushed</b>: every stored change of an agent
 * reaches the dialer through {@link AgentChanges} (milliseconds after the agent's journal write),
 * so an agent who turns READY is routed a waiting call at once instead of at the next 500 ms tick,
 * and the dialer no longer asks every agent every tick. Pushes are at most once, so the agents are
 * also re-read at start, when the PBX comes back and every {@code dialer.dialing.agent-resync} (the
 * safety net); a view older than the one held is ignored (sequence numbers).
 */
final class AgentView {

  private final DialerContext d;
  private final CallAdoption adoption;
  private final LiveAnswerRouting routing;
  private final Runnable decide;
  private boolean resyncing;

  AgentView(DialerContext d, CallAdoption adoption, LiveAnswerRouting routing, Runnable decide) {
    this.d = d;
    this.adoption = adoption;
    this.routing = routing;
    this.decide = decide;
    AgentChanges.get(d.actor.getSystem())
        .follow(
            d.campaignId,
            d.actor.messageAdapter(Agent.Changed.class, CampaignDialer.AgentChanged::new));
  }

  /** One agent's change, pushed: a READY agent takes a waiting call now and may start a dial. */
  void onChanged(Agent.Changed change) {
    if (d.campaign == null || d.campaign.config() == null) {
      return; // the first re-read, once the campaign is known, reads every agent
    }
    CampaignConfig config = d.config();
    if (!config.assignedAgents().contains(change.summary().agentId())) {
      return;
    }
    if (seen(change) && change.summary().status() == Agent.Status.READY) {
      routing.routeWaitingCalls();
      decide.run();
    }
  }

  /** Re-reads every assigned agent (the safety net under the pushes). */
  void resync() {
    if (resyncing || d.campaign == null || d.campaign.config() == null) {
      return;
    }
    resyncing = true;
    List<CompletableFuture<Agent.Changed>> asks = new ArrayList<>();
    for (String agentId : d.config().assignedAgents()) {
      asks.add(
          d.sharding
              .entityRefFor(Agent.ENTITY_KEY, agentId)
              .ask(Agent.GetChange::new, d.askTimeout)
              .toCompletableFuture());
    }
    // One slow agent must not blind the dialer: the agents that answered are used, the others are
    // read again at the next re-read or heard from when they change (AgentRefresh).
    d.actor.pipeToSelf(
        AgentRefresh.answered(asks),
        (agents, failure) -> new CampaignDialer.AgentsLoaded(failure == null ? agents : List.of()));
  }

  void onResynced(CampaignDialer.AgentsLoaded loaded) {
    resyncing = false;
    for (Agent.Changed change : loaded.agents()) {
      seen(change);
    }
    routing.routeWaitingCalls();
    decide.run();
  }

  /** Applies one view of an agent; false when it was older than the one held. */
  private boolean seen(Agent.Changed change) {
    Agent.Summary agent = change.summary();
    boolean present =
        agent.status() != Agent.Status.LOGGED_OUT
            && agent.phoneEndpoint() != null
            && agent.campaigns().contains(d.campaignId);
    switch (d.book.agentSeen(agent, change.sequenceNr(), present)) {
      case IGNORED -> {
        return false;
      }
      case PRESENT -> {
        d.observations.agentSeen(agent, d.campaignId);
        adoption.adoptAgent(agent);
        if (d.book.needsLeg(agent.agentId())) {
          d.book.legRequested(agent.agentId());
          d.gateway.tell(
              new TelephonyGateway.NailUpAgent(
                  agent.agentId(), agent.phoneEndpoint(), d.legEvents));
        }
      }
      case GONE -> {
        d.observations.agentGone(agent.agentId());
        d.gateway.tell(new TelephonyGateway.ReleaseAgent(agent.agentId()));
      }
      case ABSENT -> {
        // Never served this campaign in this dialer's view: nothing to release.
      }
    }
    return true;
  }
}
