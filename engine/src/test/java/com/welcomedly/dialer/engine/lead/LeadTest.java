package com.welcomedly.dialer.engine.lead;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.welcomedly.dialer.engine.campaign.CampaignConfig;
import com.welcomedly.dialer.engine.campaign.Disposition;
import com.welcomedly.dialer.engine.compliance.AttemptCap;
import com.welcomedly.dialer.engine.compliance.DialCompliance;
import com.welcomedly.dialer.engine.compliance.DialPolicy;
import com.welcomedly.dialer.engine.compliance.DomainTestSupport;
import com.welcomedly.dialer.engine.compliance.ManualClock;
import com.welcomedly.dialer.engine.lead.Lead.CallOutcome;
import com.welcomedly.dialer.engine.lead.Lead.Command;
import com.welcomedly.dialer.engine.lead.Lead.DncSource;
import com.welcomedly.dialer.engine.lead.Lead.Event;
import com.welcomedly.dialer.engine.lead.Lead.PhoneNumber;
import com.welcomedly.dialer.engine.lead.Lead.Reservation;
import com.welcomedly.dialer.engine.lead.Lead.Status;
import com.welcomedly.dialer.engine.lead.Lead.Summary;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LogCapturingExtension.class)
class LeadTest {

  private static final ActorTestKit testKit =
      ActorTestKit.create("LeadTest", DomainTestSupport.entityTestConfig());
  private static final ManualTime manualTime = ManualTime.get(testKit.system());

  /** Wednesday 10:00 in New York, 07:00 in Los Angeles. */
  private static final Instant T0 = Instant.parse("2026-06-10T14:00:00Z");

  private static final String NY = "+12127363100";
  private static final String NY_2 = "+17182223344";
  private static final String LA = "+13102223344";
  private static final String TOLL_FREE = "+18002345678";
  private static final String NEW_YORK = "America/New_York";
  private static final CampaignConfig CAMPAIGN =
      CampaignConfig.defaults("PJSIP/{number}@carrier", "+15550100");
  private static final DialPolicy POLICY = CAMPAIGN.dialPolicy();

  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  // One lead id per test: the ManualTime scheduler is shared by the class, so an earlier test's
  // entity (still alive, timers armed) must never write into this test's persistence id.
  private final String id = "l-" + SEQUENCE.incrementAndGet();
  private final ManualClock clock = new ManualClock(T0);
  private final EventSourcedBehaviorTestKit<Command, Event, LeadState> kit =
      EventSourcedBehaviorTestKit.create(testKit.system(), Lead.create(id, clock));

  @AfterAll
  static void tearDown() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void clear() {
    kit.clear();
  }

  // ---- helpers ----

  private static Disposition d(String code) {
    return CAMPAIGN.disposition(code).orElseThrow();
  }

  private CommandResultWithReply<Command, Event, LeadState, StatusReply<Summary>> run(
      Function<ActorRef<StatusReply<Summary>>, Command> command) {
    return kit.runCommand(command::apply);
  }

  private CommandResultWithReply<Command, Event, LeadState, StatusReply<Reservation>> reserve(
      String attemptId, DialPolicy policy, String agentId) {
    Function<ActorRef<StatusReply<Reservation>>, Command> command =
        r -> new Lead.ReserveForDial(attemptId, policy, agentId, r);
    return kit.runCommand(command::apply);
  }

  private CommandResultWithReply<Command, Event, LeadState, StatusReply<Reservation>> reserve(
      String attemptId) {
    return reserve(attemptId, POLICY, null);
  }

  private static String error(CommandResultWithReply<?, ?, ?, ? extends StatusReply<?>> result) {
    assertTrue(result.reply().isError(), "expected a rejection, got " + result.reply());
    String reason = result.reply().getError().getMessage();
    // A regulatory refusal leaves one piece of evidence and changes nothing else.
    if (!result.hasNoEvents()) {
      assertEquals(1, result.events().size());
      assertEquals(reason, ((Lead.DialRefused) result.events().get(0)).reason());
    }
    return reason;
  }

  private void givenImported(String... numbers) {
    kit.initialize(
        new Lead.Imported(
            id,
            "c-1",
            java.util.Arrays.stream(numbers).map(n -> new PhoneNumber(n, false)).toList(),
            NEW_YORK,
            5,
            Map.of("name", "Ann"),
            null,
            T0));
  }

  private void advance(Duration duration) {
    DomainTestSupport.advance(clock, manualTime, duration);
  }

  private void awaitStatus(Status expected) {
    testKit
        .createTestProbe()
        .awaitAssert(
            DomainTestSupport.TIMEOUT,
            () -> {
              assertEquals(expected, kit.getState().status());
              return null;
            });
  }

  private void dialAndAnswer(String attemptId) {
    assertTrue(reserve(attemptId).reply().isSuccess());
    assertTrue(
        run(r -> new Lead.MarkDialing(attemptId, Duration.ofSeconds(60), r)).reply().isSuccess());
    assertTrue(run(r -> new Lead.MarkAnswered(attemptId, r)).reply().isSuccess());
  }

  private void callEnds(String attemptId, CallOutcome outcome, Disposition disposition) {
    var ended =
        run(r -> new Lead.RecordCallEnd(attemptId, outcome, disposition, Duration.ofHours(72), r));
    assertTrue(ended.reply().isSuccess(), () -> String.valueOf(ended.reply()));
  }

  private void talkUntilWrapUp(String attemptId) {
    dialAndAnswer(attemptId);
    assertTrue(run(r -> new Lead.MarkConnected(attemptId, "a-1", r)).reply().isSuccess());
    callEnds(attemptId, CallOutcome.COMPLETED, null);
  }

  private CommandResultWithReply<Command, Event, LeadState, StatusReply<Summary>> dispose(
      String attemptId, Disposition disposition, LocalDateTime callbackAt, boolean agentOnly) {
    return run(
        r ->
            new Lead.RecordDisposition(
                attemptId,
                "a-1",
                disposition,
                "notes",
                callbackAt,
                agentOnly,
                Duration.ofMinutes(15),
                false,
                r));
  }

  // ---- import ----

  @Test
  void importValidatesNumbersDerivesTheTimezoneAndQueues() {
    var result =
        run(
            r ->
                new Lead.Import(
                    "c-1", List.of(NY, "+1 212-736-3100", LA), null, 7, Map.of("k", "v"), r));
    Summary summary = result.reply().getValue();
    assertEquals(Status.QUEUED, summary.status());
    assertEquals(NEW_YORK, summary.timezone());
    assertEquals(
        List.of(new PhoneNumber(NY, false), new PhoneNumber(LA, false)), summary.numbers());
    assertEquals(Map.of("k", "v"), summary.customFields());
    assertEquals(7, summary.priority());
  }

  @Test
  void aGivenTimezoneWins() {
    var result = run(r -> new Lead.Import("c-1", List.of(LA), "Europe/Madrid", 1, Map.of(), r));
    assertEquals("Europe/Madrid", result.reply().getValue().timezone());
  }

  @Test
  void importRejectsBadInputWithoutEchoingTheNumber() {
    String bad = error(run(r -> new Lead.Import("c-1", List.of("+1212555"), null, 1, null, r)));
    assertTrue(bad.contains("not a valid E.164 number"), bad);
    assertFalse(bad.contains("+1212555"), bad);
    assertTrue(
        error(run(r -> new Lead.Import("c-1", List.of(NY), "Mars/Base", 1, null, r)))
            .contains("unknown IANA timezone"));
    assertTrue(
        error(run(r -> new Lead.Import("c-1", List.of(), null, 1, null, r)))
            .contains("at least one phone number"));
  }

  @Test
  void withoutATimezoneALeadIsNotDialableAndSaysWhy() {
    var imported = run(r -> new Lead.Import("c-1", List.of(TOLL_FREE), null, 1, null, r));
    assertEquals(Status.NEW, imported.reply().getValue().status());
    assertTrue(error(reserve("a-1")).contains("not dialable: no timezone given"));

    assertTrue(error(run(r -> new Lead.SetTimezone("Nowhere/X", r))).contains("unknown IANA"));
    var fixed = run(r -> new Lead.SetTimezone("America/Chicago", r));
    assertEquals(new Lead.TimezoneChanged(id, "c-1", null, "America/Chicago", T0), fixed.event());
    assertEquals(Status.QUEUED, fixed.state().status());
    assertNull(fixed.state().notDialableReason());
    assertTrue(reserve("a-1").reply().isSuccess());
  }

  @Test
  void rejectsEverythingBeforeImportAndImportingTwice() {
    assertTrue(error(reserve("a-1")).contains("does not exist"));
    assertTrue(
        error(run(r -> new Lead.MarkDnc(DncSource.API, "sup", r))).contains("does not exist"));
    Summary summary = kit.<Summary>runCommand(Lead.GetSummary::new).reply();
    assertEquals("lead not imported", summary.notDialableReason());

    givenImported(NY);
    assertTrue(
        error(run(r -> new Lead.Import("c-1", List.of(NY), null, 1, null, r))).contains("exists"));
  }

  // ---- the lock ----

  @Test
  void reserveIsTheLock() {
    givenImported(NY);
    var reserved = reserve("a-1");
    assertEquals(
        new Reservation(id, "c-1", "a-1", NY, NEW_YORK, T0.plusSeconds(30)),
        reserved.reply().getValue());
    assertEquals(Status.RESERVED, reserved.state().status());
    assertTrue(error(reserve("a-2")).contains("already RESERVED for attempt a-1"));

    assertTrue(run(r -> new Lead.ReleaseReservation("a-1", "no trunk", r)).reply().isSuccess());
    assertEquals(Status.QUEUED, kit.getState().status());
    assertEquals("no trunk", kit.getState().attempts().get(0).releasedReason());
    assertTrue(error(reserve("a-1")).contains("already used"));
  }

  @Test
  void aReservationWithoutDialExpiresByItself() {
    givenImported(NY);
    reserve("a-1");
    advance(Duration.ofSeconds(29));
    assertEquals(Status.RESERVED, kit.getState().status());
    advance(Duration.ofSeconds(1));
    awaitStatus(Status.QUEUED);
    assertTrue(kit.getState().attempts().get(0).releasedReason().contains("expired"));
    assertTrue(reserve("a-2").reply().isSuccess());
  }

  @Test
  void aDialWithoutResultExpiresToo() {
    givenImported(NY);
    reserve("a-1");
    run(r -> new Lead.MarkDialing("a-1", Duration.ofSeconds(60), r));
    advance(Duration.ofSeconds(45)); // past the reservation timeout: dialing, not expired
    assertEquals(Status.DIALING, kit.getState().status());
    advance(Duration.ofSeconds(15));
    awaitStatus(Status.QUEUED);
    assertEquals("no dial result in time", kit.getState().attempts().get(0).releasedReason());
  }

  @Test
  void theSafeHarborResultOfAnAnsweredAttemptIsEvidence() {
    givenImported(NY);
    reserve("a-1");
    assertTrue(
        error(run(r -> new Lead.RecordSafeHarbor("a-1", Lead.SafeHarborResult.PLAYED, T0, r)))
            .contains("was not answered"));
    run(r -> new Lead.MarkDialing("a-1", null, r));
    run(r -> new Lead.MarkAnswered("a-1", r));
    Instant started = clock.instant();
    var played =
        run(r -> new Lead.RecordSafeHarbor("a-1", Lead.SafeHarborResult.OPTED_OUT, started, r));
    assertTrue(played.reply().isSuccess());
    Lead.SafeHarborPlayed event = played.eventOfType(Lead.SafeHarborPlayed.class);
    assertEquals(Lead.SafeHarborResult.OPTED_OUT, event.result());
    assertEquals(started, event.startedAt());
    assertEquals(Status.DIALING, kit.getState().status(), "the call goes on to its end");
  }

  @Test
  void anAnsweredCallNeverExpires() {
    givenImported(NY);
    dialAndAnswer("a-1");
    advance(Duration.ofMinutes(5));
    assertEquals(Status.DIALING, kit.getState().status());
  }

  @Test
  void rejectsCallStepsOutOfOrder() {
    givenImported(NY);
    assertTrue(error(run(r -> new Lead.MarkDialing("a-1", null, r))).contains("does not hold"));
    reserve("a-1");
    assertTrue(error(run(r -> new Lead.MarkAnswered("a-1", r))).contains("expected DIALING"));
    assertTrue(error(run(r -> new Lead.MarkConnected("a-9", "x", r))).contains("does not hold"));
    run(r -> new Lead.MarkDialing("a-1", null, r));
    assertTrue(
        error(run(r -> new Lead.ReleaseReservation("a-1", "x", r))).contains("expected RESERVED"));
    assertTrue(
        error(run(r -> new Lead.RecordCallEnd("a-1", CallOutcome.BUSY, null, null, r)))
            .contains("needs its disposition"));
    assertTrue(
        error(run(r -> new Lead.RecordCallEnd("a-1", CallOutcome.COMPLETED, null, null, r)))
            .contains("expected CONNECTED"));
    assertTrue(error(dispose("a-1", d("SALE"), null, false)).contains("expected WRAP_UP"));
    assertTrue(error(run(r -> new Lead.MarkConnected("a-1", null, r))).contains("agentId"));
  }

  // ---- results, dispositions, retries ----

  @Test
  void aConnectedCallEndsInWrapUpAndTheDispositionDecides() {
    givenImported(NY);
    dialAndAnswer("a-1");
    advance(Duration.ofSeconds(3));
    assertEquals(
        Status.CONNECTED,
        run(r -> new Lead.MarkConnected("a-1", "a-7", r)).reply().getValue().status());
    advance(Duration.ofMinutes(4));
    var ended = run(r -> new Lead.RecordCallEnd("a-1", CallOutcome.COMPLETED, null, null, r));
    assertEquals(Status.WRAP_UP, ended.state().status());
    var sale = dispose("a-1", d("SALE"), null, false);
    assertEquals(Status.DONE, sale.state().status());
    assertEquals("SALE", sale.state().finalDisposition());

    Attempt attempt = sale.reply().getValue().attempts().get(0);
    assertEquals(NY, attempt.number());
    assertEquals(T0, attempt.reservedAt());
    assertEquals(T0, attempt.dialedAt());
    assertEquals(T0, attempt.answeredAt());
    assertEquals(T0.plusSeconds(3), attempt.connectedAt());
    assertEquals(T0.plusSeconds(243), attempt.endedAt());
    assertEquals(CallOutcome.COMPLETED, attempt.outcome());
    assertEquals("a-1", attempt.agentId()); // the agent who gave the disposition
    assertEquals("SALE", attempt.dispositionCode());
    assertEquals("notes", attempt.notes());

    assertTrue(error(reserve("a-2")).contains("DONE (SALE)"));
  }

  @Test
  void noAnswerGoesStraightBackToTheQueueAfterTheRetryDelay() {
    givenImported(NY);
    reserve("a-1");
    run(r -> new Lead.MarkDialing("a-1", null, r));
    var ended =
        run(r -> new Lead.RecordCallEnd("a-1", CallOutcome.NO_ANSWER, d("NO_ANSWER"), null, r));
    assertEquals(
        new Lead.CallEnded(
            id,
            "c-1",
            "a-1",
            CallOutcome.NO_ANSWER,
            "NO_ANSWER",
            Status.QUEUED,
            T0.plus(Duration.ofHours(2)),
            T0),
        ended.event());
    assertTrue(error(reserve("a-2")).startsWith("next attempt not before"));
    advance(Duration.ofHours(2));
    assertTrue(reserve("a-2").reply().isSuccess());
  }

  @Test
  void aMachineIsRetriedPerItsRule() {
    givenImported(NY);
    reserve("a-1");
    run(r -> new Lead.MarkDialing("a-1", null, r));
    callEnds("a-1", CallOutcome.MACHINE, d("MACHINE"));
    assertEquals(Status.QUEUED, kit.getState().status());
    assertEquals(T0.plus(Duration.ofHours(4)), kit.getState().nextAttemptAt());
  }

  @Test
  void retriesRunOutIntoExhausted() {
    Disposition busyTwice =
        new Disposition(
            "BUSY",
            "Busy",
            Disposition.Category.NO_CONTACT,
            false,
            false,
            false,
            false,
            false,
            false,
            false,
            new Disposition.RetryRule(Duration.ZERO, 2));
    givenImported(NY);
    reserve("a-1");
    run(r -> new Lead.MarkDialing("a-1", null, r));
    callEnds("a-1", CallOutcome.BUSY, busyTwice);
    assertEquals(Status.QUEUED, kit.getState().status());
    reserve("a-2");
    run(r -> new Lead.MarkDialing("a-2", null, r));
    callEnds("a-2", CallOutcome.BUSY, busyTwice);
    assertEquals(Status.EXHAUSTED, kit.getState().status());
    assertTrue(error(reserve("a-3")).contains("EXHAUSTED"));
  }

  @Test
  void aWrapUpTimeoutDispositionIsRecordedAsSuch() {
    givenImported(NY);
    talkUntilWrapUp("a-1");
    var result =
        run(
            r ->
                new Lead.RecordDisposition(
                    "a-1", "a-1", d("HUNG_UP"), null, null, false, Duration.ZERO, true, r));
    Lead.DispositionRecorded event = (Lead.DispositionRecorded) result.event();
    assertTrue(event.byTimeout());
    assertEquals(Status.QUEUED, event.newStatus());
    assertEquals(T0.plus(Duration.ofHours(4)), event.nextAttemptAt());
  }

  // ---- compliance ----

  @Test
  void theCallingWindowIsTheLeadsLocalTime() {
    kit.initialize(
        new Lead.Imported(
            id,
            "c-1",
            List.of(new PhoneNumber(LA, false)),
            "America/Los_Angeles",
            1,
            Map.of(),
            null,
            T0));
    String reason = error(reserve("a-1"));
    assertTrue(reason.startsWith("outside the calling window"), reason);
    assertTrue(reason.contains("2026-06-10T07:00"), reason);
    advance(Duration.ofHours(1)); // 08:00 in Los Angeles
    assertTrue(reserve("a-1").reply().isSuccess());
  }

  @Test
  void aRegulatoryRefusalIsEvidenceWithItsRuleAndWhenTheRuleAllowsTheLeadAgain() {
    givenImported(NY);
    clock.set(Instant.parse("2026-03-07T12:30:00Z")); // 07:30 EST: the window opens at 08:00
    LeadState before = kit.getState();
    var refused = reserve("a-1");
    Lead.DialRefused event = refused.eventOfType(Lead.DialRefused.class);
    assertEquals(DialCompliance.Rule.CALLING_WINDOW, event.rule());
    assertEquals("a-1", event.attemptId());
    assertEquals(Instant.parse("2026-03-07T13:00:00Z"), event.retryAt());
    assertEquals(before.status(), refused.state().status(), "the lead's rules state unchanged");
    assertEquals(before.attempts(), refused.state().attempts());
    assertEquals(before.nextAttemptAt(), refused.state().nextAttemptAt());
    // Asked again before the hopper caught up: the same refusal is not persisted twice.
    clock.set(Instant.parse("2026-03-07T12:40:00Z"));
    var again = reserve("a-1b");
    assertTrue(again.reply().isError());
    assertTrue(again.hasNoEvents(), "a repeated refusal adds no evidence");
    // A lifecycle refusal (not a rule) leaves nothing behind.
    clock.set(Instant.parse("2026-03-07T13:00:00Z"));
    assertTrue(reserve("a-1").reply().isSuccess());
    assertTrue(reserve("a-2").hasNoEvents());
  }

  @Test
  void theCallingWindowFollowsDaylightSavingTime() {
    givenImported(NY);
    clock.set(Instant.parse("2026-03-07T12:30:00Z")); // 07:30 EST
    assertTrue(error(reserve("a-1")).startsWith("outside the calling window"));
    clock.set(Instant.parse("2026-03-08T12:30:00Z")); // 08:30 EDT, the day clocks spring forward
    assertTrue(reserve("a-1").reply().isSuccess());
  }

  @Test
  void rollingAttemptCapsRefuseUntilTheOldestAttemptRollsOut() {
    DialPolicy twoPerDay =
        new DialPolicy(
            POLICY.callingWindow(),
            List.of(AttemptCap.of(2, Duration.ofDays(1))),
            POLICY.postAbandonLockout(),
            POLICY.reservationTimeout(),
            POLICY.numberRotation(),
            POLICY.callbackFallback());
    Disposition busy =
        new Disposition(
            "BUSY",
            "Busy",
            Disposition.Category.NO_CONTACT,
            false,
            false,
            false,
            false,
            false,
            false,
            false,
            new Disposition.RetryRule(Duration.ZERO, 10));
    givenImported(NY);
    for (String attempt : List.of("a-1", "a-2")) {
      assertTrue(reserve(attempt, twoPerDay, null).reply().isSuccess());
      run(r -> new Lead.MarkDialing(attempt, null, r));
      callEnds(attempt, CallOutcome.BUSY, busy);
      advance(Duration.ofHours(1));
    }
    var capped = reserve("a-3", twoPerDay, null);
    assertTrue(error(capped).startsWith("attempt cap reached: 2"));
    Lead.DialRefused refused = capped.eventOfType(Lead.DialRefused.class);
    assertEquals(DialCompliance.Rule.ATTEMPT_CAP, refused.rule());
    assertEquals(
        refused.at().minus(Duration.ofHours(2)).plus(Duration.ofDays(1)), refused.retryAt());
    advance(Duration.ofHours(22)); // 24 h after the first dial, 10:00 New York next day
    assertTrue(reserve("a-3", twoPerDay, null).reply().isSuccess());
  }

  @Test
  void anAbandonedCallLocksTheLeadOut() {
    givenImported(NY);
    dialAndAnswer("a-1");
    callEnds("a-1", CallOutcome.ABANDONED, d("DROPPED"));
    assertEquals(Status.QUEUED, kit.getState().status());
    assertEquals(T0, kit.getState().lastAbandonAt());
    assertEquals(T0.plus(Duration.ofHours(72)), kit.getState().nextAttemptAt());
    advance(Duration.ofHours(71));
    assertTrue(error(reserve("a-2")).startsWith("post-abandon lockout until"));
    advance(Duration.ofHours(1));
    assertTrue(reserve("a-2").reply().isSuccess());
  }

  @Test
  void dncFromTheApiWinsOverEverything() {
    givenImported(NY);
    var marked = run(r -> new Lead.MarkDnc(DncSource.API, "sup-1", r));
    assertEquals(
        new Lead.MarkedDnc(id, "c-1", DncSource.API, "sup-1", Status.QUEUED, T0), marked.event());
    assertEquals(Status.DNC, marked.state().status());
    assertEquals("lead is on the do-not-call list", error(reserve("a-1")));
    assertTrue(
        error(
                run(
                    r ->
                        new Lead.ScheduleCallback(
                            LocalDateTime.parse("2026-06-11T10:00"), null, Duration.ZERO, "s", r)))
            .contains("do-not-call"));
    var again = run(r -> new Lead.MarkDnc(DncSource.SAFE_HARBOR_OPT_OUT, "ivr", r));
    assertTrue(again.reply().isSuccess());
    assertTrue(again.hasNoEvents());
    assertTrue(error(run(r -> new Lead.MarkDnc(null, "x", r))).contains("source"));
  }

  @Test
  void dncDuringACallLetsTheCallFinishThenWins() {
    givenImported(NY);
    dialAndAnswer("a-1");
    run(r -> new Lead.MarkConnected("a-1", "a-1", r));
    var marked = run(r -> new Lead.MarkDnc(DncSource.SAFE_HARBOR_OPT_OUT, "ivr", r));
    assertEquals(Status.CONNECTED, marked.state().status());
    callEnds("a-1", CallOutcome.COMPLETED, null);
    assertEquals(Status.DNC, dispose("a-1", d("SALE"), null, false).state().status());
  }

  @Test
  void aDncDispositionPutsTheLeadOnDnc() {
    givenImported(NY);
    talkUntilWrapUp("a-1");
    var result = dispose("a-1", d("DNC_REQUEST"), null, false);
    assertEquals(Status.DNC, result.state().status());
    assertEquals(DncSource.DISPOSITION, result.state().dnc().source());
  }

  // ---- callbacks ----

  @Test
  void anAgentOnlyCallbackFallsBackToAnyoneWhenNotTakenInTime() {
    givenImported(NY);
    talkUntilWrapUp("a-1");
    LocalDateTime threePmInNewYork = LocalDateTime.parse("2026-06-10T15:00");
    var result = dispose("a-1", d("CALLBACK"), threePmInNewYork, true);
    Callback callback = result.state().callback();
    assertEquals(Status.CALLBACK, result.state().status());
    assertEquals(threePmInNewYork, callback.localTime());
    assertEquals(NEW_YORK, callback.timezone());
    assertEquals(Instant.parse("2026-06-10T19:00:00Z"), callback.dueAt());
    assertEquals("a-1", callback.agentId());

    assertTrue(
        error(reserve("a-2", POLICY, "a-1")).startsWith("callback is due at 2026-06-10T15:00"));
    advance(Duration.ofHours(5)); // due
    assertTrue(error(reserve("a-2", POLICY, "a-9")).contains("reserved for agent a-1"));
    advance(Duration.ofMinutes(15)); // fallback timer
    testKit
        .createTestProbe()
        .awaitAssert(
            DomainTestSupport.TIMEOUT,
            () -> {
              assertNull(kit.getState().callback().agentId());
              return null;
            });
    assertTrue(reserve("a-2", POLICY, "a-9").reply().isSuccess());
  }

  @Test
  void theAgentItselfCanTakeItsCallbackWhenDue() {
    givenImported(NY);
    talkUntilWrapUp("a-1");
    dispose("a-1", d("CALLBACK"), LocalDateTime.parse("2026-06-10T11:00"), true);
    advance(Duration.ofHours(1));
    assertTrue(reserve("a-2", POLICY, "a-1").reply().isSuccess());
    run(r -> new Lead.ReleaseReservation("a-2", "agent busy", r));
    assertEquals(Status.CALLBACK, kit.getState().status()); // still owed
  }

  @Test
  void rejectsCallbacksWithoutOrWithAPastTime() {
    givenImported(NY);
    talkUntilWrapUp("a-1");
    assertTrue(error(dispose("a-1", d("CALLBACK"), null, false)).contains("needs a time"));
    assertTrue(
        error(dispose("a-1", d("CALLBACK"), LocalDateTime.parse("2026-06-10T09:00"), false))
            .contains("in the past"));
  }

  @Test
  void aCallbackCanBeScheduledForAnyoneFromTheApi() {
    givenImported(NY);
    var result =
        run(
            r ->
                new Lead.ScheduleCallback(
                    LocalDateTime.parse("2026-06-11T09:30"), null, Duration.ZERO, "sup-1", r));
    assertEquals(Status.CALLBACK, result.state().status());
    assertNull(result.state().callback().fallbackAt());
    assertTrue(error(reserve("a-1")).startsWith("callback is due"));
    advance(Duration.ofHours(23).plusMinutes(30)); // 09:30 New York
    assertTrue(reserve("a-1", POLICY, "anyone").reply().isSuccess());
    assertTrue(
        error(
                run(
                    r ->
                        new Lead.ScheduleCallback(
                            LocalDateTime.parse("2026-06-12T09:30"), null, null, "s", r)))
            .contains("in a call"));
  }

  @Test
  void aFailedCallIsRetriedAndADncMarkedWhileReservedWinsOnRelease() {
    givenImported(NY);
    reserve("a-1");
    run(r -> new Lead.MarkDialing("a-1", null, r));
    callEnds("a-1", CallOutcome.FAILED, d("FAILED"));
    assertEquals(Status.QUEUED, kit.getState().status());
    assertEquals(T0.plus(Duration.ofMinutes(30)), kit.getState().nextAttemptAt());

    advance(Duration.ofMinutes(30));
    reserve("a-2");
    assertEquals(
        Status.RESERVED,
        run(r -> new Lead.MarkDnc(DncSource.API, "sup", r)).reply().getValue().status());
    assertTrue(run(r -> new Lead.ReleaseReservation("a-2", "dnc", r)).reply().isSuccess());
    assertEquals(Status.DNC, kit.getState().status());
  }

  @Test
  void rejectsACallbackWithoutTimeAndATimezoneChangeBeforeImport() {
    assertTrue(error(run(r -> new Lead.SetTimezone(NEW_YORK, r))).contains("does not exist"));
    givenImported(NY);
    assertTrue(
        error(run(r -> new Lead.ScheduleCallback(null, null, Duration.ZERO, "s", r)))
            .contains("needs a time"));
    assertTrue(
        error(
                run(
                    r ->
                        new Lead.ScheduleCallback(
                            LocalDateTime.parse("2026-06-10T09:00"), null, Duration.ZERO, "s", r)))
            .contains("in the past"));
  }

  // ---- numbers ----

  @Test
  void anInvalidNumberIsSkippedAndTheNextOneDialed() {
    givenImported(NY, NY_2);
    reserve("a-1");
    run(r -> new Lead.MarkDialing("a-1", null, r));
    callEnds("a-1", CallOutcome.INVALID_NUMBER, d("INVALID_NUMBER"));
    assertEquals(Status.QUEUED, kit.getState().status());
    assertTrue(kit.getState().numbers().get(0).invalid());
    assertEquals(NY_2, reserve("a-2").reply().getValue().number());
    run(r -> new Lead.MarkDialing("a-2", null, r));
    callEnds("a-2", CallOutcome.INVALID_NUMBER, d("INVALID_NUMBER"));
    assertEquals(Status.EXHAUSTED, kit.getState().status());
  }

  @Test
  void numbersRotateOrStayOnTheFirstPerPolicy() {
    givenImported(NY, NY_2);
    assertEquals(NY, reserve("a-1").reply().getValue().number());
    run(r -> new Lead.ReleaseReservation("a-1", "x", r));
    assertEquals(NY_2, reserve("a-2").reply().getValue().number());
    run(r -> new Lead.ReleaseReservation("a-2", "x", r));
    DialPolicy firstValid =
        new DialPolicy(
            POLICY.callingWindow(),
            POLICY.attemptCaps(),
            POLICY.postAbandonLockout(),
            POLICY.reservationTimeout(),
            DialPolicy.NumberRotation.FIRST_VALID,
            POLICY.callbackFallback());
    assertEquals(NY, reserve("a-3", firstValid, null).reply().getValue().number());
  }

  @Test
  void recoversStateAndItsLockFromEvents() {
    givenImported(NY);
    reserve("a-1");
    var restarted = kit.restart();
    assertEquals(Status.RESERVED, restarted.state().status());
    assertNotNull(restarted.state().reservationDeadline());
    advance(Duration.ofSeconds(30)); // the timer is re-armed after recovery
    awaitStatus(Status.QUEUED);
  }

  @Test
  void aConnectAfterTheConnectDeadlineIsRecordedAsLate() {
    givenImported(NY);
    dialAndAnswer("a-1");
    var late = run(r -> new Lead.MarkConnected("a-1", "a-7", true, r));
    assertTrue(late.reply().isSuccess());
    Lead.AgentConnected connected = (Lead.AgentConnected) late.event();
    assertTrue(connected.late(), "the lead's event carries that the dialer counted an abandon");
    assertEquals(Status.CONNECTED, late.state().status());
  }

  @Test
  void anOnTimeConnectIsNotLate() {
    givenImported(NY);
    dialAndAnswer("a-1");
    var onTime = run(r -> new Lead.MarkConnected("a-1", "a-7", r));
    assertFalse(((Lead.AgentConnected) onTime.event()).late());
  }

  // ---- retried steps (RetriedSteps): a repeat after a lost reply succeeds, nothing twice ----

  @Test
  void aRepeatedStepOfTheSameAttemptSucceedsWithoutASecondEvent() {
    givenImported(NY);
    dialAndAnswer("a-1");
    var dialedAgain = run(r -> new Lead.MarkDialing("a-1", null, r));
    assertTrue(dialedAgain.reply().isSuccess());
    assertTrue(dialedAgain.hasNoEvents());
    assertTrue(run(r -> new Lead.MarkAnswered("a-1", r)).hasNoEvents());
    assertTrue(run(r -> new Lead.MarkConnected("a-1", "a-7", r)).reply().isSuccess());
    var again = run(r -> new Lead.MarkConnected("a-1", "a-7", r));
    assertTrue(again.reply().isSuccess());
    assertTrue(again.hasNoEvents());
    assertTrue(
        run(r -> new Lead.RecordCallEnd("a-1", CallOutcome.COMPLETED, null, null, r))
            .reply()
            .isSuccess());
    var endedAgain = run(r -> new Lead.RecordCallEnd("a-1", CallOutcome.COMPLETED, null, null, r));
    assertTrue(endedAgain.reply().isSuccess());
    assertTrue(endedAgain.hasNoEvents());
    assertEquals(Status.WRAP_UP, endedAgain.state().status());
    // Another attempt's step is still refused: only a repeat is harmless.
    assertTrue(
        error(run(r -> new Lead.RecordCallEnd("a-9", CallOutcome.COMPLETED, null, null, r)))
            .contains("does not hold this lead"));
  }
}
