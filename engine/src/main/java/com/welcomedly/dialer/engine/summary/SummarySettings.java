package com.welcomedly.dialer.engine.summary;

import com.typesafe.config.Config;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code dialer.summary.*}: which summarizer runs (built-in, http, off), what happens when it
 * fails, and where recordings live. The HTTP summarizer's key comes from the environment and is
 * never part of {@link #toString()}.
 *
 * @param fallbackToBuiltIn on a failure of the http summarizer, store the built-in summary instead
 *     of none
 * @param maxAge dispositions older than this are not summarized (a relay started on an existing
 *     journal reads it from the start and must not summarize, or wake, years of leads); zero = no
 *     limit, for a deliberate backfill
 * @param recordingsDir where MixMonitor writes {@code <attemptId>.wav}, when the deployment records
 *     calls; empty when unknown (the summarizer then gets no recording path)
 */
public record SummarySettings(
    String summarizer,
    boolean fallbackToBuiltIn,
    int maxNotesChars,
    Optional<Path> recordingsDir,
    URI httpUrl,
    String httpApiKey,
    Duration httpConnectTimeout,
    Duration httpTimeout,
    Duration askTimeout,
    int retries,
    Duration retryDelay,
    Duration maxAge) {

  public static final String OFF = "off";

  public static SummarySettings fromConfig(Config root) {
    Config c = root.getConfig("dialer.summary");
    String summarizer = c.getString("summarizer").strip().toLowerCase();
    if (!summarizer.equals(RuleBasedSummarizer.NAME)
        && !summarizer.equals(HttpSummarizer.NAME)
        && !summarizer.equals(OFF)) {
      throw new IllegalArgumentException(
          "dialer.summary.summarizer must be built-in, http or off, not " + summarizer);
    }
    String url = c.getString("http.url").strip();
    if (summarizer.equals(HttpSummarizer.NAME) && url.isEmpty()) {
      throw new IllegalArgumentException(
          "dialer.summary.summarizer = http needs dialer.summary.http.url (DIALER_SUMMARY_URL)");
    }
    String onFailure = c.getString("on-failure").strip().toLowerCase();
    if (!onFailure.equals(RuleBasedSummarizer.NAME) && !onFailure.equals("none")) {
      throw new IllegalArgumentException(
          "dialer.summary.on-failure must be built-in or none, not " + onFailure);
    }
    String dir = c.getString("recordings-dir").strip();
    return new SummarySettings(
        summarizer,
        onFailure.equals(RuleBasedSummarizer.NAME),
        c.getInt("max-notes-chars"),
        dir.isEmpty() ? Optional.empty() : Optional.of(Path.of(dir)),
        url.isEmpty() ? null : URI.create(url),
        c.getString("http.api-key"),
        c.getDuration("http.connect-timeout"),
        c.getDuration("http.timeout"),
        c.getDuration("ask-timeout"),
        c.getInt("retries"),
        c.getDuration("retry-delay"),
        c.getDuration("max-age"));
  }

  /** Whether a disposition persisted at {@code recordedAt} is recent enough to summarize. */
  public boolean isRecent(Instant recordedAt, Instant now) {
    return maxAge.isZero() || !recordedAt.isBefore(now.minus(maxAge));
  }

  public boolean enabled() {
    return !summarizer.equals(OFF);
  }

  /** The configured summarizer; call only when {@link #enabled()}. */
  public CallSummarizer summarizerToUse() {
    return summarizer.equals(HttpSummarizer.NAME)
        ? new HttpSummarizer(httpUrl, httpApiKey, httpConnectTimeout, httpTimeout)
        : builtIn();
  }

  public RuleBasedSummarizer builtIn() {
    return new RuleBasedSummarizer(maxNotesChars);
  }

  @Override
  public String toString() {
    return "SummarySettings[summarizer="
        + summarizer
        + ", fallbackToBuiltIn="
        + fallbackToBuiltIn
        + ", url="
        + httpUrl
        + ", apiKey="
        + (httpApiKey == null || httpApiKey.isEmpty() ? "(none)" : "(set)")
        + ", timeout="
        + httpTimeout
        + "]";
  }
}
