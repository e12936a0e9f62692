package com.welcomedly.dialer.engine.summary;

import com.welcomedly.dialer.engine.lead.Lead;
import com.welcomedly.dialer.engine.projection.TaggedProjections;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Writes a summary on every dispositioned (so connected) attempt: an at-least-once projection of
 * the Lead events that turns each {@link Lead.DispositionRecorded} into the configured {@link
 * CallSummarizer}'s summary, stored with {@code Lead.RecordSummary}.
 *
 * <p>Why after the fact and not in wrap-up: the disposition reaches the lead first and is never
 * held by a summarizer that is slow or down. A replay is harmless: the lead keeps the first summary
 * of an attempt and the handler skips attempts already summarized.
 */
public final class CallSummaryRelay {
  public static final String NAME = "call-summary-relay";

  private CallSummaryRelay() {}

  /** Starts the relay unless {@code dialer.summary.summarizer = off}. */
  public static void init(ActorSystem<?> system) {
    SummarySettings settings = SummarySettings.fromConfig(system.settings().config());
    if (!settings.enabled()) {
      return;
    }
    TaggedProjections.<Lead.Event>atLeastOnce(
        system,
        NAME,
        Lead.TAGS,
        () -> new CallSummaryRelayHandler(system, settings, settings.summarizerToUse()),
        settings.retries(),
        settings.retryDelay());
  }
}
