package com.welcomedly.dialer.api.stats;

import com.welcomedly.dialer.engine.agent.Agent;
import com.welcomedly.dialer.engine.campaign.Campaign;
import com.welcomedly.dialer.engine.dialing.CampaignDialer;
import com.welcomedly.dialer.engine.persistence.JdbcPool;
import com.welcomedly.dialer.engine.stats.StatsFigures.AgentStats;
import com.welcomedly.dialer.engine.stats.StatsFigures.CampaignStats;
import com.welcomedly.dialer.engine.stats.StatsQuery;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * One look at a running campaign: its entity, its dialer, its assigned agents and the statistics
 * read model, gathered concurrently. Shared by {@code GET …/stats} and the supervisor's stream.
 */
final class LiveCampaign {

  /** Everything at one instant; {@code dialer} is empty when no dialer runs (draft, finished). */
  record Snapshot(
      Instant at,
      Campaign.Summary campaign,
      Optional<CampaignDialer.Status> dialer,
      List<Agent.Summary> agents,
      CampaignStats figures,
      List<AgentStats> agentFigures) {}

  private final ClusterSharding sharding;
  private final StatsQuery query;
  private final Duration askTimeout;
  private final Clock clock;

  LiveCampaign(ActorSystem<?> system) {
    this.sharding = ClusterSharding.get(system);
    this.query = new StatsQuery(JdbcPool.get(system));
    this.askTimeout = system.settings().config().getDuration("dialer.api.ask-timeout");
    this.clock = Clock.systemUTC();
  }

  StatsQuery query() {
    return query;
  }

  /** The campaign's entity; a summary without config means it does not exist. */
  CompletionStage<Campaign.Summary> campaign(String campaignId) {
    return sharding
        .entityRefFor(Campaign.ENTITY_KEY, campaignId)
        .ask(Campaign.GetSummary::new, askTimeout);
  }

  /** Empty for an unknown campaign. */
  CompletionStage<Optional<Snapshot>> snapshot(String campaignId) {
    return campaign(campaignId)
        .thenCompose(
            summary -> {
              if (summary.config() == null) {
                return CompletableFuture.completedFuture(Optional.empty());
              }
              Instant now = clock.instant();
              CompletableFuture<Optional<CampaignDialer.Status>> dialer =
                  dialer(summary).toCompletableFuture();
              CompletableFuture<List<Agent.Summary>> agents =
                  agents(summary.config().assignedAgents()).toCompletableFuture();
              CompletableFuture<CampaignStats> figures =
                  query.campaign(campaignId, now).toCompletableFuture();
              CompletableFuture<List<AgentStats>> agentFigures =
                  query.agents(campaignId, now).toCompletableFuture();
              return CompletableFuture.allOf(dialer, agents, figures, agentFigures)
                  .thenApply(
                      v ->
                          Optional.of(
                              new Snapshot(
                                  now,
                                  summary,
                                  dialer.join(),
                                  agents.join(),
                                  figures.join(),
                                  agentFigures.join())));
            });
  }

  /**
   * Only a campaign the dialer supervision keeps a dialer for is asked: asking a sharded dialer
   * starts it, and a draft or finished campaign must not get one just because someone looked.
   */
  private CompletionStage<Optional<CampaignDialer.Status>> dialer(Campaign.Summary campaign) {
    if (campaign.status() != Campaign.Status.ACTIVE
        && campaign.status() != Campaign.Status.PAUSED) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return sharding
        .entityRefFor(CampaignDialer.ENTITY_KEY, campaign.campaignId())
        .ask(CampaignDialer.GetStatus::new, askTimeout)
        .thenApply(Optional::of)
        // A dialer moving between nodes does not answer for a moment: the rest is still useful.
        .exceptionally(failure -> Optional.empty());
  }

  private CompletionStage<List<Agent.Summary>> agents(Iterable<String> agentIds) {
    List<CompletableFuture<Agent.Summary>> asks = new ArrayList<>();
    for (String agentId : agentIds) {
      asks.add(
          sharding
              .entityRefFor(Agent.ENTITY_KEY, agentId)
              .ask(Agent.GetSummary::new, askTimeout)
              .toCompletableFuture());
    }
    return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new))
        .thenApply(
            v ->
                asks.stream()
                    .map(CompletableFuture::join)
                    // An agent id assigned but never configured has no name and no phone.
                    .filter(a -> a.phoneEndpoint() != null)
                    .toList());
  }
}
