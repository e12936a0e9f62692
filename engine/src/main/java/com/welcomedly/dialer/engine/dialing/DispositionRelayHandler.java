package com.welcomedly.dialer.engine.dialing;

import com.welcomedly.dialer.engine.agent.Agent;
import com.welcomedly.dialer.engine.campaign.Campaign;
import com.welcomedly.dialer.engine.campaign.CampaignConfig;
import com.welcomedly.dialer.engine.campaign.Disposition;
import com.welcomedly.dialer.engine.lead.Attempt;
import com.welcomedly.dialer.engine.lead.Lead;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link Agent.WrapUpCompleted} → one {@code Lead.RecordDisposition}. Outcomes:
 *
 * <ul>
 *   <li>recorded → done;
 *   <li>refused, and the lead already holds a disposition for that attempt → done (a replay);
 *   <li>refused while the lead is still DIALING or CONNECTED on that attempt (the dialer's connect
 *       or call end is still on its way, or lost with its node) → the relay records the connect and
 *       the call's end itself, then the disposition: it never waits behind one lead;
 *   <li>refused because the attempt ended otherwise (the lead's own timer) → logged and skipped;
 *   <li>refused for any other reason (e.g. a callback time in the past) → the campaign's wrap-up
 *       timeout disposition is applied instead, so the lead never stays in WRAP_UP.
 * </ul>
 */
final class DispositionRelayHandler extends Handler<EventEnvelope<Agent.Event>> {
  private static final Logger log = LoggerFactory.getLogger(DispositionRelayHandler.class);

  private final ClusterSharding sharding;
  private final Duration askTimeout;

  DispositionRelayHandler(ActorSystem<?> system, Duration askTimeout) {
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
  }

  @Override
  public CompletionStage<Done> process(EventEnvelope<Agent.Event> envelope) {
    if (!(envelope.event() instanceof Agent.WrapUpCompleted wrapUp)) {
      return CompletableFuture.completedFuture(Done.getInstance());
    }
    return campaignConfig(wrapUp.call().campaignId())
        .thenCompose(
            config -> {
              if (config.isEmpty()) {
                log.warn(
                    "Wrap-up of attempt {} names unknown campaign {}: nothing to apply",
                    wrapUp.call().attemptId(),
                    wrapUp.call().campaignId());
                return CompletableFuture.completedFuture(Done.getInstance());
              }
              return relay(wrapUp, config.get());
            });
  }

  private CompletionStage<Done> relay(Agent.WrapUpCompleted wrapUp, CampaignConfig config) {
    Optional<Disposition> chosen = config.disposition(wrapUp.dispositionCode());
    if (chosen.isEmpty()) {
      return fallBack(wrapUp, config, "unknown disposition " + wrapUp.dispositionCode());
    }
    return record(
            wrapUp,
            chosen.get(),
            wrapUp.notes(),
            wrapUp.callbackAt(),
            wrapUp.callbackAgentOnly(),
            wrapUp.byTimeout(),
            config)
        .thenCompose(
            reply ->
                reply.isSuccess()
                    ? done()
                    : afterRefusal(wrapUp, config, reply.getError().getMessage()));
  }

  private CompletionStage<Done> afterRefusal(
      Agent.WrapUpCompleted wrapUp, CampaignConfig config, String reason) {
    return lead(wrapUp)
        .thenCompose(
            lead -> {
              Optional<Attempt> attempt =
                  lead.attempts().stream()
                      .filter(a -> a.attemptId().equals(wrapUp.call().attemptId()))
                      .findFirst();
              if (attempt.isPresent() && attempt.get().dispositionCode() != null) {
                return done(); // recorded by an earlier delivery of this event
              }
              if (lead.status() == Lead.Status.WRAP_UP) {
                return fallBack(wrapUp, config, reason);
              }
              if (attempt.isEmpty() || attempt.get().endedAt() != null) {
                // The attempt is unknown to the lead or ended otherwise (its own timer, an
                // abandon): nothing to apply, and waiting would hold every later wrap-up.
                log.warn(
                    "Disposition {} for attempt {} not applied: lead {} is {} ({})",
                    wrapUp.dispositionCode(),
                    wrapUp.call().attemptId(),
                    lead.leadId(),
                    lead.status(),
                    reason);
                return done();
              }
              // The agent's wrap-up proves the call was connected and is over; the dialer's steps
              // saying so are still on their way (or lost with its node). The relay records them
              // itself instead of waiting: one lead behind never holds the others' dispositions.
              return catchUp(wrapUp, lead.status())
                  .thenCompose(
                      ended ->
                          record(
                              wrapUp,
                              config.disposition(wrapUp.dispositionCode()).orElseThrow(),
                              wrapUp.notes(),
                              wrapUp.callbackAt(),
                              wrapUp.callbackAgentOnly(),
                              wrapUp.byTimeout(),
                              config))
                  .thenCompose(
                      reply ->
                          reply.isSuccess()
                              ? done()
                              : fallBack(wrapUp, config, reply.getError().getMessage()));
            });
  }

  /**
   * Brings a lead still DIALING or CONNECTED on the wrapped-up attempt to WRAP_UP: the connect (if
   * missing) and the call's end, as the dialer would have sent them. A step the dialer lands first
   * is refused or recognised as done; either way the lead ends up in WRAP_UP on this attempt.
   */
  private CompletionStage<Done> catchUp(Agent.WrapUpCompleted wrapUp, Lead.Status status) {
    String attemptId = wrapUp.call().attemptId();
    CompletionStage<StatusReply<Lead.Summary>> connected =
        status == Lead.Status.DIALING
            ? leadStep(wrapUp, r -> new Lead.MarkConnected(attemptId, wrapUp.agentId(), r))
            : CompletableFuture.completedFuture(null);
    return connected
        .thenCompose(
            c ->
                leadStep(
                    wrapUp,
                    r ->
                        new Lead.RecordCallEnd(
                            attemptId, Lead.CallOutcome.COMPLETED, null, null, r)))
        .thenApply(
            reply -> {
              log.info(
                  "Lead {} brought to WRAP_UP by the relay for attempt {} ({})",
                  wrapUp.call().leadId(),
                  attemptId,
                  reply.isSuccess() ? "call end recorded" : reply.getError().getMessage());
              return Done.getInstance();
            });
  }

  private CompletionStage<StatusReply<Lead.Summary>> leadStep(
      Agent.WrapUpCompleted wrapUp,
      java.util.function.Function<ActorRef<StatusReply<Lead.Summary>>, Lead.Command> command) {
    return sharding
        .entityRefFor(Lead.ENTITY_KEY, wrapUp.call().leadId())
        .ask(command::apply, askTimeout);
  }

  /** The agent's disposition cannot be applied: the campaign's timeout disposition is. */
  private CompletionStage<Done> fallBack(
      Agent.WrapUpCompleted wrapUp, CampaignConfig config, String reason) {
    log.warn(
        "Disposition {} of agent {} for attempt {} refused ({}); applying {}",
        wrapUp.dispositionCode(),
        wrapUp.agentId(),
        wrapUp.call().attemptId(),
        reason,
        config.wrapUpTimeoutDisposition());
    Disposition timeout = config.disposition(config.wrapUpTimeoutDisposition()).orElseThrow();
    String notes =
        "agent chose "
            + wrapUp.dispositionCode()
            + ", refused: "
            + reason
            + (wrapUp.notes() == null ? "" : "; " + wrapUp.notes());
    return record(wrapUp, timeout, notes, null, false, true, config)
        .thenCompose(
            reply -> {
              if (reply.isError()) {
                log.error(
                    "Lead {} refused the timeout disposition too: {}",
                    wrapUp.call().leadId(),
                    reply.getError().getMessage());
              }
              return done();
            });
  }

  private CompletionStage<StatusReply<Lead.Summary>> record(
      Agent.WrapUpCompleted wrapUp,
      Disposition disposition,
      String notes,
      LocalDateTime callbackAt,
      boolean agentOnly,
      boolean byTimeout,
      CampaignConfig config) {
    return leadStep(
        wrapUp,
        r ->
            new Lead.RecordDisposition(
                wrapUp.call().attemptId(),
                wrapUp.agentId(),
                disposition,
                notes,
                callbackAt,
                agentOnly,
                config.callbackFallback(),
                byTimeout,
                r));
  }

  private CompletionStage<Lead.Summary> lead(Agent.WrapUpCompleted wrapUp) {
    return sharding
        .entityRefFor(Lead.ENTITY_KEY, wrapUp.call().leadId())
        .ask(Lead.GetSummary::new, askTimeout);
  }

  private CompletionStage<Optional<CampaignConfig>> campaignConfig(String campaignId) {
    return sharding
        .entityRefFor(Campaign.ENTITY_KEY, campaignId)
        .ask(Campaign.GetSummary::new, askTimeout)
        .thenApply(summary -> Optional.ofNullable(summary.config()));
  }

  private static CompletionStage<Done> done() {
    return CompletableFuture.completedFuture(Done.getInstance());
  }
}
