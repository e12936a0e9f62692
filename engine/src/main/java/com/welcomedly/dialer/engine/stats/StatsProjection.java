package com.welcomedly.dialer.engine.stats;

import com.welcomedly.dialer.engine.agent.Agent;
import com.welcomedly.dialer.engine.lead.Lead;
import com.welcomedly.dialer.engine.projection.TaggedProjections;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * The statistics read model ({@code db/04-stats.sql}): per-hour campaign figures from the Lead
 * events and per-hour agent time accounting from the Agent events, both exactly-once (the counters
 * are added in the transaction that stores the offset, so a replayed event never counts twice).
 * Queried by {@link StatsQuery}.
 */
public final class StatsProjection {
  public static final String CAMPAIGN_NAME = "stats-campaign";
  public static final String AGENT_NAME = "stats-agent";

  private StatsProjection() {}

  public static void init(ActorSystem<?> system) {
    TaggedProjections.<Lead.Event>exactlyOnce(
        system, CAMPAIGN_NAME, Lead.TAGS, CampaignStatsProjectionHandler::new);
    TaggedProjections.<Agent.Event>exactlyOnce(
        system, AGENT_NAME, Agent.TAGS, AgentStatsProjectionHandler::new);
  }
}
