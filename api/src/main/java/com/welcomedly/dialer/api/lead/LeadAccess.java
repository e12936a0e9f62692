package com.welcomedly.dialer.api.lead;

import com.welcomedly.dialer.api.auth.AccessTokens;
import com.welcomedly.dialer.engine.agent.Agent;
import com.welcomedly.dialer.engine.identity.User.Role;
import com.welcomedly.dialer.engine.lead.Lead;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Who may read a lead (name, numbers, history). Staff read every lead. An agent reads only the
 * leads it is working: the one of its current call (including its wrap-up) and the callbacks
 * assigned to it. Everything else about a customer stays with staff, so an agent's token is not a
 * key to the whole contact list.
 */
final class LeadAccess {

  private final ActorSystem<?> system;
  private final Duration askTimeout;

  LeadAccess(ActorSystem<?> system, Duration askTimeout) {
    this.system = system;
    this.askTimeout = askTimeout;
  }

  CompletionStage<Boolean> mayRead(AccessTokens.Claims claims, Lead.Summary lead) {
    if (claims.role() != Role.AGENT) {
      return CompletableFuture.completedFuture(true);
    }
    Optional<String> agentId = claims.agentId();
    if (agentId.isEmpty()) {
      return CompletableFuture.completedFuture(false);
    }
    if (lead.callback() != null && agentId.get().equals(lead.callback().agentId())) {
      return CompletableFuture.completedFuture(true);
    }
    return ClusterSharding.get(system)
        .entityRefFor(Agent.ENTITY_KEY, agentId.get())
        .ask(Agent.GetSummary::new, askTimeout)
        .thenApply(agent -> agent.call() != null && lead.leadId().equals(agent.call().leadId()));
  }
}
