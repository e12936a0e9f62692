package com.welcomedly.dialer.engine.summary;

import java.util.concurrent.CompletionStage;

/**
 * Writes the summary of one connected call after its disposition. Runs off the wrap-up path (see
 * {@link CallSummaryRelay}): a slow or failing summarizer delays only summaries, never a
 * disposition. Implementations must not block the calling thread; a failed stage (or a blank
 * summary) counts as a failure and the relay falls back as configured.
 */
public interface CallSummarizer {

  /** Stored beside the summary so a reader knows which summarizer wrote it. */
  String name();

  CompletionStage<String> summarize(CompletedCall call);
}
