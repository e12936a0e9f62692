package com.welcomedly.dialer.api.agent;

import com.welcomedly.dialer.api.Problems.FieldError;
import com.welcomedly.dialer.api.agent.AgentCommands.Outcome;
import com.welcomedly.dialer.engine.agent.Agent;
import com.welcomedly.dialer.engine.dialing.CampaignDialer;
import com.welcomedly.dialer.engine.dialing.Preview;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.pattern.StatusReply;

/**
 * An agent's answer to a PREVIEW offer (Dial or Skip), shared by the REST routes and the agent's
 * WebSocket. The offer lives in the campaign's dialer ({@link Preview}); the agent's current call
 * names the campaign, so the dialer is found without asking the client.
 */
final class PreviewCommands {

  /** Body of {@code POST /api/agents/{id}/preview/dial} and {@code .../skip}. */
  record PreviewRequest(String attemptId) {}

  private final ActorSystem<?> system;
  private final AgentCommands commands;
  private final Duration askTimeout;

  PreviewCommands(ActorSystem<?> system, AgentCommands commands) {
    this.system = system;
    this.commands = commands;
    this.askTimeout = system.settings().config().getDuration("dialer.api.ask-timeout");
  }

  CompletionStage<Outcome> dial(String agentId, String attemptId) {
    return answer(agentId, attemptId, true);
  }

  CompletionStage<Outcome> skip(String agentId, String attemptId) {
    return answer(agentId, attemptId, false);
  }

  /** The preview offer behind the agent's reservation, or empty for an ordinary call offer. */
  CompletionStage<Optional<Preview.Offer>> offer(String agentId, Agent.CallRef call) {
    if (call == null) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return dialer(call.campaignId())
        .ask((ActorRef<Preview.Offered> r) -> new Preview.GetOffer(agentId, r), askTimeout)
        .thenApply(
            offered ->
                Optional.ofNullable(offered.offer())
                    .filter(o -> o.attemptId().equals(call.attemptId())))
        .exceptionally(failure -> Optional.empty());
  }

  private CompletionStage<Outcome> answer(String agentId, String attemptId, boolean dial) {
    if (attemptId == null || attemptId.isBlank()) {
      return CompletableFuture.completedFuture(
          Outcome.problem(
              StatusCodes.BAD_REQUEST,
              "invalid preview answer",
              List.of(new FieldError("attemptId", "is required"))));
    }
    return commands
        .summary(agentId)
        .thenCompose(
            agent -> {
              if (agent.isEmpty()) {
                return CompletableFuture.completedFuture(AgentCommands.notFound(agentId));
              }
              Agent.CallRef call = agent.get().call();
              if (agent.get().status() != Agent.Status.RESERVED
                  || call == null
                  || !call.attemptId().equals(attemptId)) {
                return CompletableFuture.completedFuture(
                    Outcome.problem(
                        StatusCodes.CONFLICT,
                        "agent " + agentId + " holds no preview offer " + attemptId,
                        List.of()));
              }
              return dialer(call.campaignId())
                  .ask(
                      (ActorRef<StatusReply<Preview.Offer>> r) ->
                          dial
                              ? new Preview.Dial(agentId, attemptId, r)
                              : new Preview.Skip(agentId, attemptId, r),
                      askTimeout)
                  .thenCompose(
                      reply ->
                          reply.isSuccess()
                              ? commands.summary(agentId).thenApply(s -> Outcome.ok(s.get()))
                              : CompletableFuture.completedFuture(
                                  Outcome.problem(
                                      StatusCodes.CONFLICT,
                                      reply.getError().getMessage(),
                                      List.of())));
            });
  }

  private org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef<CampaignDialer.Command> dialer(
      String campaignId) {
    return ClusterSharding.get(system).entityRefFor(CampaignDialer.ENTITY_KEY, campaignId);
  }
}
