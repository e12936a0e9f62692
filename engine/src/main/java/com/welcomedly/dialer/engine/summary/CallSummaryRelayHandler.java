package com.welcomedly.dialer.engine.summary;

import com.welcomedly.dialer.engine.lead.Attempt;
import com.welcomedly.dialer.engine.lead.Lead;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
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
 * One {@link Lead.DispositionRecorded} → at most one stored summary. Outcomes:
 *
 * <ul>
 *   <li>the disposition is older than {@code max-age} (history read by a new relay) → done;
 *   <li>the attempt already has a summary (a replay) → done;
 *   <li>the summarizer answers → {@code RecordSummary} with its name;
 *   <li>the summarizer fails, times out or answers blank → a warning and a metric, then the
 *       built-in summary (or nothing, with {@code on-failure = none});
 *   <li>the lead cannot be reached (ask timeout) → the handler fails and the projection retries.
 * </ul>
 *
 * Logs name the lead and attempt ids, never a phone number, notes or the summary text.
 */
final class CallSummaryRelayHandler extends Handler<EventEnvelope<Lead.Event>> {
  private static final Logger log = LoggerFactory.getLogger(CallSummaryRelayHandler.class);

  private final ClusterSharding sharding;
  private final SummarySettings settings;
  private final CallSummarizer summarizer;
  private final RuleBasedSummarizer builtIn;

  CallSummaryRelayHandler(
      ActorSystem<?> system, SummarySettings settings, CallSummarizer summarizer) {
    this.sharding = ClusterSharding.get(system);
    this.settings = settings;
    this.summarizer = summarizer;
    this.builtIn = settings.builtIn();
  }

  @Override
  public CompletionStage<Done> process(EventEnvelope<Lead.Event> envelope) {
    if (!(envelope.event() instanceof Lead.DispositionRecorded disposition)
        || !settings.isRecent(Instant.ofEpochMilli(envelope.timestamp()), Instant.now())) {
      return done();
    }
    return sharding
        .entityRefFor(Lead.ENTITY_KEY, disposition.leadId())
        .ask(Lead.GetSummary::new, settings.askTimeout())
        .thenCompose(
            lead -> {
              Optional<Attempt> attempt =
                  lead.attempts().stream()
                      .filter(a -> a.attemptId().equals(disposition.attemptId()))
                      .findFirst();
              if (attempt.isEmpty() || attempt.get().summary() != null) {
                return done();
              }
              return summarizeAndStore(call(disposition, lead, attempt.get()));
            });
  }

  private CompletionStage<Done> summarizeAndStore(CompletedCall call) {
    return summary(call)
        .thenCompose(
            written -> {
              if (written.isEmpty()) {
                return done();
              }
              return store(call, written.get().text(), written.get().by());
            });
  }

  private record Written(String text, String by) {}

  /** The configured summarizer's text, or the fallback's; empty when there is none to store. */
  private CompletionStage<Optional<Written>> summary(CompletedCall call) {
    CompletableFuture<String> asked;
    try {
      asked = summarizer.summarize(call).toCompletableFuture();
    } catch (RuntimeException e) {
      asked = CompletableFuture.failedFuture(e);
    }
    // The HTTP client enforces its own timeout; this one bounds any other summarizer.
    Duration bound = settings.httpTimeout().plus(settings.httpConnectTimeout());
    return asked
        .orTimeout(bound.toMillis(), TimeUnit.MILLISECONDS)
        .handle(
            (text, error) -> {
              if (error == null && text != null && !text.isBlank()) {
                SummaryMetrics.results(summarizer.name(), "stored").increment();
                return Optional.of(new Written(text.strip(), summarizer.name()));
              }
              String reason = error == null ? "blank summary" : reasonOf(error);
              SummaryMetrics.results(summarizer.name(), "failed").increment();
              if (settings.fallbackToBuiltIn() && summarizer != builtIn) {
                log.warn(
                    "Summarizer {} failed for attempt {} of lead {} ({}); storing the built-in"
                        + " summary",
                    summarizer.name(),
                    call.attemptId(),
                    call.leadId(),
                    reason);
                SummaryMetrics.results(builtIn.name(), "fallback").increment();
                return Optional.of(new Written(builtIn.summaryOf(call), builtIn.name()));
              }
              log.warn(
                  "Summarizer {} failed for attempt {} of lead {} ({}); no summary stored",
                  summarizer.name(),
                  call.attemptId(),
                  call.leadId(),
                  reason);
              return Optional.empty();
            });
  }

  private CompletionStage<Done> store(CompletedCall call, String text, String by) {
    return sharding
        .entityRefFor(Lead.ENTITY_KEY, call.leadId())
        .ask(
            (ActorRef<StatusReply<Lead.Summary>> r) ->
                new Lead.RecordSummary(call.attemptId(), text, by, r),
            settings.askTimeout())
        .thenApply(
            reply -> {
              if (reply.isError()) {
                log.warn(
                    "Lead {} refused the summary of attempt {}: {}",
                    call.leadId(),
                    call.attemptId(),
                    reply.getError().getMessage());
              }
              return Done.getInstance();
            });
  }

  private CompletedCall call(Lead.DispositionRecorded d, Lead.Summary lead, Attempt attempt) {
    Duration talk =
        attempt.connectedAt() != null && attempt.endedAt() != null
            ? Duration.between(attempt.connectedAt(), attempt.endedAt())
            : null;
    return new CompletedCall(
        d.leadId(),
        d.campaignId(),
        d.attemptId(),
        d.agentId(),
        lead.customFields(),
        d.dispositionCode(),
        d.category(),
        d.newStatus(),
        d.callback(),
        d.notes(),
        d.byTimeout(),
        talk,
        settings.recordingsDir().map(dir -> dir.resolve(d.attemptId() + ".wav")));
  }

  private static String reasonOf(Throwable error) {
    Throwable cause =
        error instanceof java.util.concurrent.CompletionException && error.getCause() != null
            ? error.getCause()
            : error;
    if (cause instanceof java.util.concurrent.TimeoutException) {
      return "timed out";
    }
    return cause instanceof HttpSummarizer.SummaryFailure
        ? cause.getMessage()
        : cause.getClass().getSimpleName();
  }

  private static CompletionStage<Done> done() {
    return CompletableFuture.completedFuture(Done.getInstance());
  }
}
