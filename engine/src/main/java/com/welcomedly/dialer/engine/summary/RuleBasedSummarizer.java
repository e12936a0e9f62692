package com.welcomedly.dialer.engine.summary;

import com.welcomedly.dialer.engine.lead.Lead;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The built-in summary, with no cloud dependency: one line from the disposition's code and
 * category, what happens to the lead next (callback time, DNC, done), the talk time and the agent's
 * notes condensed to one line and cut at {@code maxNotesChars}. Pure and synchronous; also the
 * fallback when the HTTP summarizer fails.
 */
public final class RuleBasedSummarizer implements CallSummarizer {
  public static final String NAME = "built-in";

  private final int maxNotesChars;

  public RuleBasedSummarizer(int maxNotesChars) {
    if (maxNotesChars < 1) {
      throw new IllegalArgumentException("max-notes-chars must be positive: " + maxNotesChars);
    }
    this.maxNotesChars = maxNotesChars;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public CompletionStage<String> summarize(CompletedCall call) {
    return CompletableFuture.completedFuture(summaryOf(call));
  }

  /** The summary itself, for callers that need it synchronously (the relay's fallback). */
  public String summaryOf(CompletedCall call) {
    StringBuilder text = new StringBuilder();
    if (call.byTimeout()) {
      text.append("No disposition from the agent (wrap-up timed out): ");
    }
    text.append(call.dispositionCode());
    if (call.category() != null) {
      text.append(" (").append(call.category().name().toLowerCase().replace('_', ' ')).append(')');
    }
    if (call.talkTime() != null) {
      text.append(" after ").append(talk(call.talkTime())).append(" of talk");
    }
    text.append('.');
    String next = nextStep(call);
    if (!next.isEmpty()) {
      text.append(' ').append(next);
    }
    String notes = condensed(call.notes());
    if (!notes.isEmpty()) {
      text.append(" Notes: ").append(notes);
    }
    return text.toString();
  }

  private static String nextStep(CompletedCall call) {
    if (call.leadStatus() == Lead.Status.DNC) {
      return "Lead put on the do-not-call list.";
    }
    if (call.callback() != null) {
      return "Callback at "
          + call.callback().localTime()
          + " "
          + call.callback().timezone()
          + (call.callback().agentId() != null ? " with the same agent." : ".");
    }
    if (call.leadStatus() == Lead.Status.DONE) {
      return "Lead closed.";
    }
    if (call.leadStatus() == Lead.Status.EXHAUSTED) {
      return "No attempts left.";
    }
    return "";
  }

  /** Whitespace collapsed to single spaces, cut at a word boundary with an ellipsis if too long. */
  String condensed(String notes) {
    if (notes == null) {
      return "";
    }
    String flat = notes.strip().replaceAll("\\s+", " ");
    if (flat.length() <= maxNotesChars) {
      return flat;
    }
    String cut = flat.substring(0, maxNotesChars);
    int space = cut.lastIndexOf(' ');
    if (space > maxNotesChars / 2) {
      cut = cut.substring(0, space);
    }
    return cut + "…";
  }

  private static String talk(Duration d) {
    long seconds = Math.max(0, d.toSeconds());
    return seconds < 60
        ? seconds + "s"
        : (seconds / 60) + "m" + String.format("%02d", seconds % 60) + "s";
  }
}
