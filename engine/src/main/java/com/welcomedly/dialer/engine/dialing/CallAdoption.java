package com.welcomedly.dialer.engine.dialing;

import com.welcomedly.dialer.engine.agent.Agent;
import com.welcomedly.dialer.engine.campaign.CampaignConfig;
import com.welcomedly.dialer.engine.campaign.Disposition;
import com.welcomedly.dialer.engine.lead.Lead;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * Adopting the calls a previous instance of this dialer left in flight (node lost, shard moved,
 * restarted): each lead of the campaign in a call that this instance does not hold is judged from
 * the lead (the authority) and the PBX's live channels ({@link Adoption#of}), and agents still
 * holding such a call are connected, freed or sent to wrap-up (docs/dialing-loop.md, "Crash
 * safety").
 */
final class CallAdoption {

  private final DialerContext d;
  private final CampaignHistory history;
  private final LiveAnswerRouting routing;
  private boolean adopting;

  /** A first sweep completed: the calls still up are in the book, so agents can be judged. */
  private boolean sweptOnce;

  CallAdoption(DialerContext d, CampaignHistory history, LiveAnswerRouting routing) {
    this.d = d;
    this.history = history;
    this.routing = routing;
  }

  /**
   * Sweeps the read model for leads of this campaign in a call that this instance does not hold.
   * Repeated (not only at start) because the read model may lag behind the leads after a node loss;
   * cheap, as it returns only the few leads in a call.
   */
  void sweep() {
    history.seed();
    if (adopting || d.campaign == null || d.campaign.config() == null) {
      return;
    }
    adopting = true;
    d.actor.pipeToSelf(
        d.hopper.inCall(d.campaignId, d.book.heldLeads()),
        (leads, failure) ->
            failure == null
                ? new CampaignDialer.InCallFound(leads, null)
                : new CampaignDialer.InCallFound(List.of(), failure.getMessage()));
  }

  void onInCallFound(CampaignDialer.InCallFound found) {
    // Leads this instance reserved itself have no attempt of a previous instance (a lead refuses
    // a reservation while an attempt is open): the read model only lags behind their calls.
    List<String> unknown =
        found.leadIds().stream().filter(id -> !d.reservedHere.contains(id)).toList();
    if (found.error() != null || unknown.isEmpty()) {
      adopting = false;
      sweptOnce |= found.error() == null;
      if (found.error() != null) {
        d.log.warn("In-call query failed for {}: {}", d.campaignId, found.error());
      }
      return;
    }
    List<CompletableFuture<Lead.Summary>> leads = new ArrayList<>();
    for (String leadId : unknown) {
      leads.add(
          d.sharding
              .entityRefFor(Lead.ENTITY_KEY, leadId)
              .ask(Lead.GetSummary::new, d.askTimeout)
              .toCompletableFuture());
    }
    // The PBX's channel list (CoreShowChannels: every live channel, parsed on the AMI reader
    // thread) is asked only when a lead holds an attempt a previous instance opened.
    d.actor.pipeToSelf(
        CompletableFuture.allOf(leads.toArray(CompletableFuture[]::new))
            .thenCompose(
                done -> {
                  List<Lead.Summary> summaries =
                      leads.stream().map(CompletableFuture::join).toList();
                  if (summaries.stream().noneMatch(this::hasPreviousAttempt)) {
                    return CompletableFuture.completedFuture(
                        new CampaignDialer.AdoptionChecked(
                            summaries, new TelephonyGateway.Reconciled(List.of(), true, null)));
                  }
                  return AskPattern.<TelephonyGateway.Command, TelephonyGateway.Reconciled>ask(
                          d.gateway,
                          TelephonyGateway.Reconcile::new,
                          d.askTimeout,
                          d.actor.getSystem().scheduler())
                      .thenApply(
                          reconciled -> new CampaignDialer.AdoptionChecked(summaries, reconciled));
                }),
        (checked, failure) ->
            failure == null ? checked : new CampaignDialer.AdoptionChecked(List.of(), null));
  }

  /**
   * An open attempt reserved before this instance started: only such an attempt can be adopted
   * (Adoption.of). Reads immutable fields only: called off the actor's thread.
   */
  private boolean hasPreviousAttempt(Lead.Summary lead) {
    return lead.attempts().stream()
        .anyMatch(
            a ->
                a.endedAt() == null
                    && a.reservedAt() != null
                    && a.reservedAt().isBefore(d.startedAt));
  }

  void onAdoptionChecked(CampaignDialer.AdoptionChecked checked) {
    adopting = false;
    if (checked.reconciled() == null || !checked.reconciled().complete()) {
      return; // the PBX could not be asked: decide nothing blind, retry next sweep
    }
    sweptOnce = true;
    Map<String, TelephonyGateway.LiveChannel> live = new HashMap<>();
    checked.reconciled().channels().forEach(c -> live.put(c.uniqueId(), c));
    for (Lead.Summary lead : checked.leads()) {
      if (!d.book.holds(lead.leadId())) {
        Adoption.of(lead, live, d.startedAt)
            .ifPresent(a -> adopt(a, lead.status(), checked.reconciled().channels()));
      }
    }
  }

  private void adopt(
      Adoption adoption, Lead.Status leadStatus, List<TelephonyGateway.LiveChannel> channels) {
    String attemptId = adoption.attempt().attemptId();
    String leadId = adoption.leadId();
    CampaignConfig config = d.config();
    Instant now = d.clock.instant();
    if (adoption.kind() != Adoption.Kind.AWAIT_EXPIRY) {
      d.log.info("Adopting attempt {} of lead {}: {}", attemptId, leadId, adoption.kind());
    }
    if (leadStatus == Lead.Status.RESERVED && adoption.channel() != null) {
      // Originated, but the old instance died before recording it.
      d.leadStep(
          leadId,
          r ->
              new Lead.MarkDialing(attemptId, config.ringTimeout().plus(Duration.ofMinutes(1)), r));
    }
    Instant dialedAt = adoption.attempt().dialedAt() == null ? now : adoption.attempt().dialedAt();
    switch (adoption.kind()) {
      case AWAIT_EXPIRY -> {
        // The lead's reservation timer returns it to the queue; nothing was dialed.
      }
      case TRACK_DIALING -> {
        d.book.adopt(attemptId, leadId, CallBook.Phase.DIALING, dialedAt, null, null);
        track(adoption);
      }
      case TRACK_ANSWERED -> {
        if (adoption.attempt().answeredAt() == null) {
          d.leadStep(leadId, r -> new Lead.MarkAnswered(attemptId, r));
        }
        if (AdoptedAnswer.bridged(adoption.channel())) {
          // Bridged by the previous instance (bridge first): never redirect a customer who talks
          // to an agent. The agent in the same bridge, when this node's gateway knows its leg, is
          // asked to record the call (a repeat if it did); otherwise the agent the previous
          // instance reserved is found at its next change (adoptAgent).
          d.book.adopt(attemptId, leadId, CallBook.Phase.BRIDGING, dialedAt, now, null);
          track(adoption);
          AdoptedAnswer.agentInBridge(adoption.channel(), channels)
              .ifPresent(agentId -> routing.adoptBridge(attemptId, leadId, agentId, now));
        } else {
          // A customer on the line (answered while the dialer moved, e.g. a graceful leave): an
          // agent now beats the safe-harbor message, so it is routed with a fresh connect deadline.
          d.book.adopt(attemptId, leadId, CallBook.Phase.ANSWERED, dialedAt, now, null);
          track(adoption);
          routing.startDeadline(attemptId, config.connectDeadline());
          routing.route(attemptId);
        }
      }
      case TRACK_CONNECTED -> {
        d.book.adopt(
            attemptId,
            leadId,
            CallBook.Phase.CONNECTED,
            dialedAt,
            adoption.attempt().answeredAt(),
            adoption.attempt().agentId());
        track(adoption);
      }
      case END_UNANSWERED -> {
        Disposition failed = config.disposition(Disposition.FAILED).orElseThrow();
        d.leadStep(
            leadId,
            r -> new Lead.RecordCallEnd(attemptId, Lead.CallOutcome.FAILED, failed, null, r));
        d.outcome("RECONCILED_" + Lead.CallOutcome.FAILED);
      }
      case END_ABANDONED -> {
        Disposition dropped = config.disposition(Disposition.DROPPED).orElseThrow();
        d.leadStep(
            leadId,
            r ->
                new Lead.RecordCallEnd(
                    attemptId,
                    Lead.CallOutcome.ABANDONED,
                    dropped,
                    config.postAbandonLockout(),
                    r));
        // Counted here: the instance that might have counted it is gone with its ledger.
        history.liveAnswered(now, true);
        d.outcome("RECONCILED_" + Lead.CallOutcome.ABANDONED);
      }
      case END_CONNECTED -> {
        String agentId = adoption.attempt().agentId();
        d.agentStep(agentId, r -> new Agent.EndCall(attemptId, r));
        d.leadStep(
            leadId,
            r -> new Lead.RecordCallEnd(attemptId, Lead.CallOutcome.COMPLETED, null, null, r));
        d.outcome("RECONCILED_" + Lead.CallOutcome.COMPLETED);
      }
    }
  }

  private void track(Adoption adoption) {
    d.gateway.tell(
        new TelephonyGateway.Track(
            adoption.attempt().attemptId(), adoption.channel(), d.callEvents));
  }

  /**
   * An agent still holding a call of a previous instance of this dialer (its status dates from
   * before this one started). RESERVED: connected if that call was adopted connected, otherwise
   * freed (its customer is abandoned or gone). ON_CALL for a call not adopted: the old instance may
   * have died between ending the lead's call and the agent's, so the agent is sent to wrap-up once
   * its lead shows the attempt ended.
   */
  void adoptAgent(Agent.Summary agent) {
    Agent.CallRef ref = agent.call();
    if (!sweptOnce
        || ref == null
        || !d.campaignId.equals(ref.campaignId())
        || !agent.statusSince().isBefore(d.startedAt)) {
      return;
    }
    Optional<CallBook.Call> call = d.book.call(ref.attemptId());
    if (agent.status() == Agent.Status.RESERVED) {
      if (call.isPresent() && AdoptedAnswer.bridgedWithoutAgent(call.get())) {
        // The PBX bridged this agent before the previous instance could record it.
        d.book.claiming(ref.attemptId(), agent.agentId(), d.clock.instant());
        routing.bridged(
            d.book.call(ref.attemptId()).orElseThrow(), agent.agentId(), d.clock.instant());
      } else if (call.isPresent() && call.get().phase() == CallBook.Phase.ANSWERED) {
        // Reserved by the previous instance for a call this one routes itself.
        d.agentStep(
            agent.agentId(),
            r -> new Agent.CancelReservation(ref.attemptId(), "dialer moved: call re-routed", r));
      } else if (call.isPresent() && call.get().phase() == CallBook.Phase.CONNECTED) {
        d.agentStep(agent.agentId(), r -> new Agent.ConnectCall(ref.attemptId(), r));
      } else if (call.isEmpty()) {
        d.agentStep(
            agent.agentId(),
            r -> new Agent.CancelReservation(ref.attemptId(), "dialer moved: call not adopted", r));
      }
    } else if (agent.status() == Agent.Status.ON_CALL && call.isEmpty()) {
      d.sharding
          .entityRefFor(Lead.ENTITY_KEY, ref.leadId())
          .ask(Lead.GetSummary::new, d.askTimeout)
          .thenAccept(
              lead -> {
                boolean ended =
                    lead.attempts().stream()
                        .anyMatch(
                            a -> a.attemptId().equals(ref.attemptId()) && a.endedAt() != null);
                if (ended) {
                  d.agentStep(agent.agentId(), r -> new Agent.EndCall(ref.attemptId(), r));
                }
              });
    }
  }
}
