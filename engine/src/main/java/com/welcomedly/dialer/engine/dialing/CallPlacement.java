package com.welcomedly.dialer.engine.dialing;

import com.welcomedly.dialer.engine.campaign.Campaign;
import com.welcomedly.dialer.engine.campaign.CampaignConfig;
import com.welcomedly.dialer.engine.compliance.AbandonLedger;
import com.welcomedly.dialer.engine.lead.Lead;
import com.welcomedly.dialer.engine.pacing.Pacer;
import com.welcomedly.dialer.engine.pacing.PacingDecision;
import com.welcomedly.dialer.engine.pacing.PacingSnapshot;
import com.welcomedly.dialer.engine.pacing.TokenBucket;
import com.welcomedly.dialer.engine.projection.HopperQuery;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/**
 * Placing calls: asks the {@link Pacer} how many calls to place, lets {@link Admission} say how
 * many may start now, pulls that many candidates from the hopper, reserves them through their Lead
 * entities (refusals are skipped: the hopper is only an index) and originates through the gateway.
 */
final class CallPlacement {

  private final DialerContext d;
  private final CampaignHistory history;
  private final Admission admission;
  private final PreviewDesk previews;
  private final TokenBucket trunk = new TokenBucket();
  private boolean fetching;

  /**
   * A decision was asked for while a hopper query ran: it is taken when the candidates are in.
   * Before, it was dropped; admission's retry (every ~100 ms at its floor rate) mostly landed on a
   * running query under load, so a 5,000-agent campaign dialed only at its 500 ms ticks, a quarter
   * second's tokens each (3.6 dials/s), and admission never ramped up.
   */
  private boolean decisionOwed;

  private PacingDecision lastDecision;

  CallPlacement(
      DialerContext d, CampaignHistory history, Admission admission, PreviewDesk previews) {
    this.d = d;
    this.history = history;
    this.admission = admission;
    this.previews = previews;
  }

  PacingDecision lastDecision() {
    return lastDecision;
  }

  void decide() {
    if (fetching) {
      decisionOwed = true;
      return;
    }
    if (d.campaign == null || d.campaign.config() == null) {
      return;
    }
    long decisionStart = System.nanoTime();
    Instant now = d.clock.instant();
    CampaignConfig config = d.config();
    AbandonLedger.Status ledgerNow = history.ledgerStatus(now);
    PacingSnapshot snapshot =
        d.book.snapshot(now, PacingSettings.of(config, d.safeHarborMargin), ledgerNow);
    PacingDecision decision =
        config.dialsAgentless()
            ? AgentlessDialing.pace(snapshot, d.book, config, trunk)
            : Pacer.decide(snapshot, d.estimator, trunk);
    d.latency.record(DialerLatency.Step.DECISION, System.nanoTime() - decisionStart);
    lastDecision = decision;
    DialingMetrics.callsInFlight(d.campaignId).update(d.book.callsInFlight());
    // A node that is leaving (SIGTERM, coordinated shutdown) places no new calls: the dialer's
    // next instance, on a node that stays, takes the campaign and these calls over.
    boolean active =
        d.campaign.status() == Campaign.Status.ACTIVE
            && CoordinatedShutdown.get(d.actor.getSystem()).getShutdownReason().isEmpty();
    if (active && d.pbxUp) {
      previews.offer(decision.previewsToOffer(), config);
    }
    DialingMetrics.campaignState(d.campaignId, ledgerNow, active, d.book.readyAgents());
    if (!active || !d.pbxUp || decision.callsToPlace() <= 0) {
      admission.quiet(); // a pause or nothing wanted: the next burst ramps from the floor
      return;
    }
    int admitted = admitted(now, decision.callsToPlace());
    if (admitted <= 0) {
      return;
    }
    fetching = true;
    d.actor.pipeToSelf(
        d.hopper.candidates(
            d.campaignId,
            now,
            config.callingWindow(),
            d.book.readyAgentIds(),
            excluded(now),
            admitted),
        (candidates, failure) ->
            failure == null
                ? new CampaignDialer.CandidatesFetched(candidates, null)
                : new CampaignDialer.CandidatesFetched(List.of(), failure.getMessage()));
  }

  /** Leads the hopper must not hand out: those the dialer holds, and those resting after a no. */
  private List<String> excluded(Instant now) {
    List<String> resting = d.resting.resting(now);
    if (resting.isEmpty()) {
      return d.book.heldLeads();
    }
    List<String> excluded = new ArrayList<>(d.book.heldLeads());
    excluded.addAll(resting);
    return excluded;
  }

  /**
   * How many of the calls the pacer wants may start now (see {@link Admission}); the rest are
   * decided again as soon as the rate allows, not at the next tick.
   */
  private int admitted(Instant now, int wanted) {
    int admitted = admission.admit(now, wanted, d.book.reservations() + d.pendingSteps());
    DialingMetrics.admissionRate(d.campaignId).update(admission.rate());
    if (admitted < wanted) {
      d.timers.startSingleTimer(CampaignDialer.AdmitAgain.INSTANCE, admission.retryIn());
    }
    return admitted;
  }

  double admissionRate() {
    return admission.rate();
  }

  /** Admission's latest windows, for the dialer's status. */
  List<AdmissionWindow> admissionWindows() {
    return admission.windows();
  }

  void onCandidates(CampaignDialer.CandidatesFetched fetched) {
    fetching = false;
    if (fetched.error() != null) {
      d.log.warn("Hopper query failed for {}: {}", d.campaignId, fetched.error());
      decisionOwed = false; // the next tick decides: no tight loop of failing queries
      return;
    }
    admission.fetched(fetched.candidates().size());
    for (HopperQuery.Candidate candidate : fetched.candidates()) {
      String attemptId = UUID.randomUUID().toString();
      d.book.reserving(attemptId, candidate.leadId(), candidate.callbackAgentId());
      long askedAt = System.nanoTime();
      d.actor.pipeToSelf(
          d.sharding
              .entityRefFor(Lead.ENTITY_KEY, candidate.leadId())
              .ask(
                  (ActorRef<StatusReply<Lead.Reservation>> r) ->
                      new Lead.ReserveForDial(
                          attemptId, d.config().dialPolicy(), candidate.callbackAgentId(), r),
                  d.askTimeout),
          (reply, failure) ->
              failure != null
                  ? new CampaignDialer.LeadReserved(attemptId, null, failure.getMessage(), askedAt)
                  : reply.isSuccess()
                      ? new CampaignDialer.LeadReserved(attemptId, reply.getValue(), null, askedAt)
                      : new CampaignDialer.LeadReserved(
                          attemptId, null, reply.getError().getMessage(), askedAt));
    }
    if (decisionOwed) {
      decisionOwed = false;
      decide(); // after the reservations above, which it counts as persists in flight
    }
  }

  void onLeadReserved(CampaignDialer.LeadReserved reserved) {
    if (reserved.askedAt() != 0) {
      d.latency.record(DialerLatency.Step.RESERVE_LEAD, System.nanoTime() - reserved.askedAt());
    }
    Optional<CallBook.Call> call = d.book.call(reserved.attemptId());
    if (call.isEmpty()) {
      return;
    }
    if (reserved.error() != null) {
      // The hopper is only an index: the lead said no (already dialing, window, cap, ...); it
      // rests a while, or the lagging hopper would hand it out again at once (RestingLeads).
      d.book.forget(reserved.attemptId());
      if (reserved.askedAt() != 0) {
        admission.refused();
        d.resting.rest(call.get().leadId(), d.clock.instant());
        d.log.debug(
            "Lead {} refused {}: {}", call.get().leadId(), reserved.attemptId(), reserved.error());
      }
      return;
    }
    CampaignConfig config = d.config();
    if (d.campaign.status() != Campaign.Status.ACTIVE || !d.pbxUp) {
      d.leadStep(
          call.get().leadId(),
          r -> new Lead.ReleaseReservation(reserved.attemptId(), "campaign paused or PBX down", r));
      d.book.forget(reserved.attemptId());
      return;
    }
    Lead.Reservation reservation = reserved.reservation();
    d.reservedHere.add(reservation.leadId());
    d.book.dialing(reserved.attemptId(), d.clock.instant());
    d.gateway.tell(
        new TelephonyGateway.Originate(
            reserved.attemptId(),
            d.campaignId,
            reservation.leadId(),
            reservation.number(),
            config.dialStringTemplate(),
            config.callerId(),
            config.ringTimeout(),
            config.amd().enabled(),
            d.callEvents,
            AgentlessDialing.broadcast(config)));
    d.leadStep(
        reservation.leadId(),
        r ->
            new Lead.MarkDialing(
                reserved.attemptId(),
                config.ringTimeout().plus(Duration.ofMinutes(1)),
                config.ringTimeout(),
                r));
    DialingMetrics.dials(d.campaignId).increment();
    d.totals = d.totals.dial();
  }

  /** The agent chose to dial its preview: originated like any reserved lead. */
  void dialPreview(String attemptId, String agentId, Lead.Reservation reservation) {
    d.book.reserving(attemptId, reservation.leadId(), agentId);
    d.book.hold(agentId, attemptId, d.clock.instant());
    onLeadReserved(new CampaignDialer.LeadReserved(attemptId, reservation, null, 0));
  }
}
