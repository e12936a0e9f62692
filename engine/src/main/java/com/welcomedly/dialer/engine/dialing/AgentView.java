package com.welcomedly.dialer.engine.dialing;

import com.welcomedly.dialer.engine.agent.Agent;
import com.welcomedly.dialer.engine.agent.AgentChanges;
import com.welcomedly.dialer.engine.campaign.CampaignConfig;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;
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

  /** At most this many agents asked per periodic re-read ({@code agent-resync-batch}). */
  private final int resyncBatch;

  private boolean resyncing;

  /** A full re-read was asked for while a re-read ran: it follows that one. */
  private boolean fullResyncOwed;

  /** The periodic re-read's place in the sorted agent ids: it goes on after this id. */
  private String resyncCursor = "";

  /** A {@link CampaignDialer.AgentsSettle} is on its way: later pushes ride on it. */
  private boolean settling;

  AgentView(DialerContext d, CallAdoption adoption, LiveAnswerRouting routing, Runnable decide) {
    this.d = d;
    this.adoption = adoption;
    this.routing = routing;
    this.decide = decide;
    this.resyncBatch =
        d.actor.getSystem().settings().config().getInt("dialer.dialing.agent-resync-batch");
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
      settleSoon();
    }
  }

  /**
   * Routing waiting calls and deciding cost O(calls) and O(agents) (the pacer's snapshot): once per
   * READY push that was O(agents²) when thousands of agents turn READY at once (a login storm, a
   * shift's start). So a push only asks for one settle, sent to this dialer behind the pushes
   * already queued; it routes and decides once for all of them, still before any later message.
   */
  private void settleSoon() {
    if (!settling) {
      settling = true;
      d.actor.getSelf().tell(CampaignDialer.AgentsSettle.INSTANCE);
    }
  }

  void onSettle() {
    settling = false;
    routing.routeWaitingCalls();
    decide.run();
  }

  /** Re-reads every assigned agent: at start, when the PBX is back, when the agents changed. */
  void resync() {
    if (d.campaign == null || d.campaign.config() == null) {
      return;
    }
    fullResyncOwed = !ask(d.config().assignedAgents());
  }

  /**
   * The periodic safety net under the pushes: the next {@code agent-resync-batch} agents in id
   * order, wrapping around, instead of all of them at once (5,000 agents were 5,000 asks and as
   * many answers handled in one message every 5 s). With up to a batch of agents every agent is
   * still re-read every period; with more, every ⌈agents / batch⌉ periods.
   */
  /** Up to {@code batch} ids after {@code cursor} in order, wrapping around to the first ones. */
  static List<String> nextRound(NavigableSet<String> all, String cursor, int batch) {
    List<String> round = new ArrayList<>(Math.min(batch, all.size()));
    for (String id : all.tailSet(cursor, false)) {
      if (round.size() == batch) {
        return round;
      }
      round.add(id);
    }
    for (String id : all.headSet(cursor, true)) { // wrapped around: the ids up to the cursor
      if (round.size() == batch) {
        break;
      }
      round.add(id);
    }
    return round;
  }

  void resyncRound() {
    if (d.campaign == null || d.campaign.config() == null) {
      return;
    }
    List<String> round =
        nextRound(new TreeSet<>(d.config().assignedAgents()), resyncCursor, resyncBatch);
    if (ask(round) && !round.isEmpty()) {
      resyncCursor = round.get(round.size() - 1);
    }
    // A leg that failed or dropped was nailed up again at the next re-read of its agent; with
    // re-reads in turn that could be minutes, so every present agent without a leg gets one now.
    if (d.pbxUp) { // when the PBX is back every agent is re-read, and its leg nailed up then
      for (Agent.Summary agent : d.book.agentsWithoutLeg()) {
        nailUp(agent);
      }
    }
  }

  /** Asks these agents for their state; false when a re-read is still running. */
  private boolean ask(Collection<String> agentIds) {
    if (resyncing) {
      return false;
    }
    resyncing = true;
    List<CompletableFuture<Agent.Changed>> asks = new ArrayList<>();
    for (String agentId : agentIds) {
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
    return true;
  }

  void onResynced(CampaignDialer.AgentsLoaded loaded) {
    resyncing = false;
    if (fullResyncOwed) {
      resync();
    }
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
          nailUp(agent);
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

  private void nailUp(Agent.Summary agent) {
    d.book.legRequested(agent.agentId());
    d.gateway.tell(
        new TelephonyGateway.NailUpAgent(agent.agentId(), agent.phoneEndpoint(), d.legEvents));
  }
}
