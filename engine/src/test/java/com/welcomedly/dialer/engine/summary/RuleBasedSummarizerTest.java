package com.welcomedly.dialer.engine.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.welcomedly.dialer.engine.campaign.Disposition;
import com.welcomedly.dialer.engine.lead.Callback;
import com.welcomedly.dialer.engine.lead.Lead;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RuleBasedSummarizerTest {

  private final RuleBasedSummarizer summarizer = new RuleBasedSummarizer(40);

  @Test
  void aSaleSaysWhatWhenAndTheNotes() {
    assertEquals(
        "SALE (success) after 2m05s of talk. Lead closed. Notes: signed for the gold plan",
        summarizer.summaryOf(
            call(
                "SALE",
                Disposition.Category.SUCCESS,
                Lead.Status.DONE,
                null,
                "signed for the" + " gold plan",
                false,
                Duration.ofSeconds(125))));
  }

  @Test
  void aCallbackNamesTheCustomersLocalTimeAndWhetherTheAgentKeepsIt() {
    Callback mine =
        new Callback(
            LocalDateTime.parse("2026-12-03T10:00"),
            "America/New_York",
            Instant.parse("2026-12-03T15:00:00Z"),
            "a-1",
            null);
    assertEquals(
        "CALLBACK (follow up) after 42s of talk. Callback at 2026-12-03T10:00 America/New_York"
            + " with the same agent.",
        summarizer.summaryOf(
            call(
                "CALLBACK",
                Disposition.Category.FOLLOW_UP,
                Lead.Status.CALLBACK,
                mine,
                null,
                false,
                Duration.ofSeconds(42))));
  }

  @Test
  void aDncRequestAndAWrapUpTimeoutAreSpelledOut() {
    assertEquals(
        "DNC_REQUEST (unsuccessful). Lead put on the do-not-call list.",
        summarizer.summaryOf(
            call(
                "DNC_REQUEST",
                Disposition.Category.UNSUCCESSFUL,
                Lead.Status.DNC,
                null,
                "  ",
                false,
                null)));
    assertTrue(
        summarizer
            .summaryOf(
                call(
                    "HUNG_UP",
                    Disposition.Category.UNSUCCESSFUL,
                    Lead.Status.QUEUED,
                    null,
                    null,
                    true,
                    Duration.ofSeconds(3)))
            .startsWith("No disposition from the agent (wrap-up timed out): HUNG_UP"));
  }

  @Test
  void longNotesAreFlattenedAndCutAtAWord() {
    String notes =
        "customer   wants\n\na quote\tfor three lines and will compare with the competitor";
    assertEquals("customer wants a quote for three lines…", summarizer.condensed(notes));
    assertTrue(summarizer.condensed(notes).length() <= 41);
    assertEquals("short", summarizer.condensed(" short\n"));
    assertThrows(IllegalArgumentException.class, () -> new RuleBasedSummarizer(0));
  }

  @Test
  void theStageIsCompletedAtOnce() {
    var stage =
        summarizer
            .summarize(
                call(
                    "SALE",
                    Disposition.Category.SUCCESS,
                    Lead.Status.DONE,
                    null,
                    null,
                    false,
                    null))
            .toCompletableFuture();
    assertTrue(stage.isDone());
    assertEquals("SALE (success). Lead closed.", stage.join());
  }

  static CompletedCall call(
      String code,
      Disposition.Category category,
      Lead.Status status,
      Callback callback,
      String notes,
      boolean byTimeout,
      Duration talk) {
    return new CompletedCall(
        "l-1",
        "c-1",
        "att-1",
        "a-1",
        Map.of("name", "Ann"),
        code,
        category,
        status,
        callback,
        notes,
        byTimeout,
        talk,
        Optional.empty());
  }
}
