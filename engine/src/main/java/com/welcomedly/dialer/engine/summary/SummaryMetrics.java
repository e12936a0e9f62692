package com.welcomedly.dialer.engine.summary;

import kamon.Kamon;
import kamon.metric.Counter;
import kamon.metric.Metric;

/** Call-summary instruments: one counter of summaries by summarizer and result. */
public final class SummaryMetrics {
  public static final String SUMMARIZER = "summarizer";
  public static final String RESULT = "result";

  private static final Metric.Counter RESULTS =
      Kamon.counter("dialer.call.summaries", "Call summaries by summarizer and result");

  private SummaryMetrics() {}

  /** {@code result}: stored, failed (the configured summarizer), fallback, skipped. */
  public static Counter results(String summarizer, String result) {
    return RESULTS.withTag(SUMMARIZER, summarizer).withTag(RESULT, result);
  }
}
