package com.welcomedly.dialer.engine.lead;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.welcomedly.dialer.engine.campaign.CampaignConfig;
import com.welcomedly.dialer.engine.compliance.DomainTestSupport;
import com.welcomedly.dialer.engine.compliance.ManualClock;
import com.welcomedly.dialer.engine.lead.Lead.Command;
import com.welcomedly.dialer.engine.lead.Lead.Event;
import com.welcomedly.dialer.engine.lead.Lead.Summary;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link Lead.RecordSummary}: one summary per dispositioned attempt, kept across recovery. */
@ExtendWith(LogCapturingExtension.class)
class LeadSummaryTest {

  private static final ActorTestKit testKit =
      ActorTestKit.create("LeadSummaryTest", DomainTestSupport.entityTestConfig());
  private static final Instant T0 = Instant.parse("2026-06-10T14:00:00Z");
  private static final CampaignConfig CAMPAIGN =
      CampaignConfig.defaults("PJSIP/{number}@carrier", "+15550100");

  private final EventSourcedBehaviorTestKit<Command, Event, LeadState> kit =
      EventSourcedBehaviorTestKit.create(
          testKit.system(), Lead.create("l-sum", new ManualClock(T0)));

  @AfterAll
  static void tearDown() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void clear() {
    kit.clear();
    kit.initialize(
        new Lead.Imported(
            "l-sum",
            "c-1",
            List.of(new Lead.PhoneNumber("+12127363100", false)),
            "America/New_York",
            5,
            Map.of("name", "Ann"),
            null,
            T0));
  }

  @Test
  void aDispositionedAttemptTakesOneSummaryAndKeepsIt() {
    dispositioned("att-1");

    var first = run(r -> new Lead.RecordSummary("att-1", "SALE (success).", "built-in", r));
    assertTrue(first.reply().isSuccess());
    Lead.AttemptSummarized event = first.eventOfType(Lead.AttemptSummarized.class);
    assertEquals("att-1", event.attemptId());
    assertEquals("built-in", event.summarizer());
    Attempt attempt = first.reply().getValue().attempts().get(0);
    assertEquals("SALE (success).", attempt.summary());
    assertEquals("built-in", attempt.summarizer());
    assertEquals("SALE", attempt.dispositionCode());
    assertEquals(Lead.Status.DONE, first.reply().getValue().status());

    // A replayed summary (at-least-once relay) is accepted and changes nothing.
    var again = run(r -> new Lead.RecordSummary("att-1", "other", "http", r));
    assertTrue(again.reply().isSuccess());
    assertTrue(again.hasNoEvents());

    kit.restart();
    assertEquals("SALE (success).", kit.getState().attempts().get(0).summary());
  }

  @Test
  void anAttemptWithoutDispositionOrUnknownIsRefused() {
    assertEquals(
        "attempt att-x has no disposition to summarize",
        error(run(r -> new Lead.RecordSummary("att-x", "text", "built-in", r))));
    dispositioned("att-2");
    assertEquals(
        "a summary is required", error(run(r -> new Lead.RecordSummary("att-2", " ", "x", r))));
  }

  private void dispositioned(String attemptId) {
    Function<ActorRef<StatusReply<Lead.Reservation>>, Command> reserve =
        r -> new Lead.ReserveForDial(attemptId, CAMPAIGN.dialPolicy(), null, r);
    assertTrue(kit.runCommand(reserve::apply).reply().isSuccess());
    ok(r -> new Lead.MarkDialing(attemptId, Duration.ofMinutes(1), r));
    ok(r -> new Lead.MarkAnswered(attemptId, r));
    ok(r -> new Lead.MarkConnected(attemptId, "a-1", r));
    ok(r -> new Lead.RecordCallEnd(attemptId, Lead.CallOutcome.COMPLETED, null, null, r));
    ok(
        r ->
            new Lead.RecordDisposition(
                attemptId,
                "a-1",
                CAMPAIGN.disposition("SALE").orElseThrow(),
                "signed",
                null,
                false,
                Duration.ZERO,
                false,
                r));
  }

  private void ok(Function<ActorRef<StatusReply<Summary>>, Command> command) {
    var result = run(command);
    assertTrue(result.reply().isSuccess(), () -> result.reply().getError().getMessage());
  }

  private CommandResultWithReply<Command, Event, LeadState, StatusReply<Summary>> run(
      Function<ActorRef<StatusReply<Summary>>, Command> command) {
    return kit.runCommand(command::apply);
  }

  private static String error(CommandResultWithReply<?, ?, ?, ? extends StatusReply<?>> result) {
    assertTrue(result.reply().isError(), "expected a rejection, got " + result.reply());
    assertTrue(result.hasNoEvents());
    return result.reply().getError().getMessage();
  }
}
