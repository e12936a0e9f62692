package com.welcomedly.dialer.engine.dialing;

import com.welcomedly.dialer.engine.compliance.AbandonLedger;
import com.welcomedly.dialer.engine.projection.HopperQuery;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the campaign's past tells a dialer instance and what it adds to it: the abandon ledger
 * (seeded from the campaign's live answers of the regulated window, so a moved dialer keeps the
 * abandon-rate cap honest) and the pacing model (seeded from the recent history, so it does not
 * learn again). Both seeds are retried at the next adoption sweep if the read model cannot be
 * asked.
 */
final class CampaignHistory {

  private final DialerContext d;
  private AbandonLedger ledger = new AbandonLedger();

  /**
   * Live answers this instance recorded before its ledger was seeded from the campaign's past ones;
   * null once seeded. The ledger takes times in order only, so a late seed starts a fresh ledger
   * with the past answers and then these.
   */
  private List<HopperQuery.LiveAnswer> beforeSeed = new ArrayList<>();

  private boolean seeding;

  /** The pacing model was seeded from the campaign's history (see {@link #seedPacing}). */
  private boolean pacingSeeded;

  private boolean pacingSeeding;

  CampaignHistory(DialerContext d) {
    this.d = d;
  }

  AbandonLedger.Status ledgerStatus(Instant now) {
    return ledger.status(now);
  }

  /**
   * A live answer that never reached an agent: the connect deadline passed, or the person hung up
   * while waiting. Both are abandons under the regulators' definition (a live answer not connected
   * to an agent), as in the stats read model; leaving out the hang-ups would let the pacer run
   * hotter than the cap allows.
   */
  void countAbandon(DialingMetrics.AbandonReason reason) {
    liveAnswered(d.clock.instant(), true);
    d.observations.liveAnswerOutcome(true);
    DialingMetrics.abandons(d.campaignId, reason).increment();
    d.totals = d.totals.abandon();
  }

  void liveAnswered(Instant at, boolean abandoned) {
    ledger.recordLiveAnswer(at);
    if (abandoned) {
      ledger.recordAbandon(at);
    }
    if (beforeSeed != null) {
      beforeSeed.add(new HopperQuery.LiveAnswer(at, abandoned));
    }
  }

  /** Both seeds, unless done or under way. */
  void seed() {
    seedLedger();
    seedPacing();
  }

  /**
   * Seeds the ledger with the campaign's live answers of the regulated window before this instance
   * started, so a dialer moved to another node (or restarted) keeps the abandon-rate cap honest.
   */
  private void seedLedger() {
    if (beforeSeed == null || seeding) {
      return;
    }
    seeding = true;
    // One minute more than the window: the ledger's buckets may reach that far back.
    Instant from = d.startedAt.minus(AbandonLedger.US_WINDOW).minus(Duration.ofMinutes(1));
    d.actor.pipeToSelf(
        d.hopper.liveAnswers(d.campaignId, from, d.startedAt),
        (answers, failure) ->
            failure == null
                ? new CampaignDialer.LedgerSeed(answers, null)
                : new CampaignDialer.LedgerSeed(List.of(), failure.getMessage()));
  }

  void onLedgerSeed(CampaignDialer.LedgerSeed seed) {
    seeding = false;
    if (seed.error() != null) {
      d.log.warn("Ledger seed failed for {}: {}", d.campaignId, seed.error());
      return;
    }
    AbandonLedger seeded = new AbandonLedger();
    List<HopperQuery.LiveAnswer> all = new ArrayList<>(seed.answers());
    all.addAll(beforeSeed);
    for (HopperQuery.LiveAnswer answer : all) {
      seeded.recordLiveAnswer(answer.at());
      if (answer.abandoned()) {
        seeded.recordAbandon(answer.at());
      }
    }
    ledger = seeded;
    beforeSeed = null;
    d.log.info(
        "Abandon ledger of {} seeded with {} past live answers",
        d.campaignId,
        seed.answers().size());
  }

  /**
   * Seeds the pacing model with the campaign's recent history (dial resolutions, talk and wrap-up
   * periods, live-answer outcomes from the read models), so a dialer that starts on another node or
   * after a restart paces on what the campaign learnt instead of learning again.
   */
  private void seedPacing() {
    if (pacingSeeded || pacingSeeding) {
      return;
    }
    pacingSeeding = true;
    d.actor.pipeToSelf(
        d.hopper.pacingHistory(d.campaignId, d.startedAt),
        (history, failure) ->
            failure == null
                ? new CampaignDialer.PacingSeed(history, null)
                : new CampaignDialer.PacingSeed(null, failure.getMessage()));
  }

  void onPacingSeed(CampaignDialer.PacingSeed seed) {
    pacingSeeding = false;
    if (seed.error() != null) {
      d.log.warn("Pacing seed failed for {}: {}", d.campaignId, seed.error());
      return;
    }
    d.observations.seed(seed.history());
    pacingSeeded = true;
    d.log.info(
        "Pacing model of {} seeded with {} dials, {} talks, {} wrap-ups",
        d.campaignId,
        seed.history().dials().size(),
        seed.history().talks().size(),
        seed.history().wraps().size());
  }
}
