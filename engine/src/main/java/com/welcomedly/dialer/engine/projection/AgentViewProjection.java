package com.welcomedly.dialer.engine.projection;

import com.welcomedly.dialer.engine.agent.Agent;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * The agent read model ({@code agent_view}): name, endpoint, campaigns and current status of every
 * configured agent, for listings; one agent's full state is read from its entity.
 */
public final class AgentViewProjection {
  public static final String NAME = "agent-view";

  private AgentViewProjection() {}

  public static void init(ActorSystem<?> system) {
    TaggedProjections.<Agent.Event>exactlyOnce(
        system, NAME, Agent.TAGS, AgentViewProjectionHandler::new);
  }
}
