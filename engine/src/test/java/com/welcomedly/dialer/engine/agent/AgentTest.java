package com.welcomedly.dialer.engine.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.welcomedly.dialer.engine.agent.Agent.CallRef;
import com.welcomedly.dialer.engine.agent.Agent.Command;
import com.welcomedly.dialer.engine.agent.Agent.Event;
import com.welcomedly.dialer.engine.agent.Agent.PauseReason;
import com.welcomedly.dialer.engine.agent.Agent.Status;
import com.welcomedly.dialer.engine.agent.Agent.Summary;
import com.welcomedly.dialer.engine.agent.Agent.WrapUpPolicy;
import com.welcomedly.dialer.engine.compliance.DomainTestSupport;
import com.welcomedly.dialer.engine.compliance.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
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
class AgentTest {

  private static final ActorTestKit testKit =
      ActorTestKit.create("AgentTest", DomainTestSupport.entityTestConfig());
  private static final ManualTime manualTime = ManualTime.get(testKit.system());
  private static final Instant T0 = Instant.parse("2026-06-10T14:00:00Z");
  // Long enough that the call-flow tests never cross it; the heartbeat tests step up to it.
  private static final Duration HEARTBEAT = Duration.ofMinutes(30);
  private static final CallRef CALL = new CallRef("att-1", "l-1", "c-1");
  private static final WrapUpPolicy WRAP_UP = new WrapUpPolicy(Duration.ofSeconds(60), "HUNG_UP");

  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  // One agent id per test: the ManualTime scheduler is shared by the class, so an earlier test's
  // entity (still alive, timers armed) must never write into this test's persistence id.
  private final String id = "a-" + SEQUENCE.incrementAndGet();
  private final ManualClock clock = new ManualClock(T0);
  private final EventSourcedBehaviorTestKit<Command, Event, AgentState> kit =
      EventSourcedBehaviorTestKit.create(testKit.system(), Agent.create(id, clock));

  @AfterAll
  static void tearDown() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void clear() {
    kit.clear();
  }

  private CommandResultWithReply<Command, Event, AgentState, StatusReply<Summary>> run(
      Function<ActorRef<StatusReply<Summary>>, Command> command) {
    return kit.runCommand(command::apply);
  }

  private static String error(CommandResultWithReply<?, ?, ?, ? extends StatusReply<?>> result) {
    assertTrue(result.reply().isError(), "expected a rejection, got " + result.reply());
    assertTrue(result.hasNoEvents());
    return result.reply().getError().getMessage();
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

  private void configure() {
    assertTrue(
        run(r -> new Agent.Configure("Ann", "PJSIP/ann", Set.of("c-1", "c-2"), "admin", r))
            .reply()
            .isSuccess());
  }

  private void loggedIn() {
    configure();
    assertTrue(run(r -> new Agent.LogIn(HEARTBEAT, r)).reply().isSuccess());
  }

  private void onCall() {
    loggedIn();
    assertTrue(run(r -> new Agent.Reserve(CALL, WRAP_UP, r)).reply().isSuccess());
    assertTrue(run(r -> new Agent.ConnectCall("att-1", r)).reply().isSuccess());
  }

  private void inWrapUp() {
    onCall();
    assertTrue(run(r -> new Agent.EndCall("att-1", r)).reply().isSuccess());
  }

  private Object lastPersisted() {
    List<Object> stored = kit.persistenceTestKit().persistedInStorage("Agent|" + id);
    Object last = stored.get(stored.size() - 1);
    return last instanceof org.apache.pekko.persistence.journal.Tagged tagged
        ? tagged.payload()
        : last;
  }

  @Test
  void configureRecordsOldAndNewValues() {
    configure();
    var changed = run(r -> new Agent.Configure("Ann B", "SIP/desk-12", Set.of("c-3"), "sup", r));
    assertEquals(
        new Agent.Configured(
            id,
            "Ann",
            "Ann B",
            "PJSIP/ann",
            "SIP/desk-12",
            Set.of("c-1", "c-2"),
            Set.of("c-3"),
            "sup",
            T0),
        changed.event());
    assertTrue(
        error(run(r -> new Agent.Configure("x", " ", Set.of(), "sup", r))).contains("endpoint"));
  }

  @Test
  void logsInAsReadyAndRejectsASecondLogin() {
    assertTrue(error(run(r -> new Agent.LogIn(HEARTBEAT, r))).contains("not configured"));
    configure();
    assertTrue(error(run(r -> new Agent.LogIn(null, r))).contains("heartbeat"));
    var result = run(r -> new Agent.LogIn(HEARTBEAT, r));
    assertEquals(Status.READY, result.reply().getValue().status());
    Agent.LoggedIn event = (Agent.LoggedIn) result.event();
    assertEquals("PJSIP/ann", event.phoneEndpoint());
    assertEquals(Set.of("c-1", "c-2"), event.campaigns());
    assertTrue(error(run(r -> new Agent.LogIn(HEARTBEAT, r))).contains("already logged in"));
  }

  @Test
  void pausesWithAReasonAndBecomesReadyAgain() {
    loggedIn();
    var paused = run(r -> new Agent.Pause(PauseReason.BREAK, r));
    assertEquals(new Agent.Paused(id, Status.READY, PauseReason.BREAK, T0), paused.event());
    assertEquals(PauseReason.BREAK, paused.state().pauseReason());
    var switched = run(r -> new Agent.Pause(PauseReason.TRAINING, r));
    assertEquals(PauseReason.TRAINING, switched.state().pauseReason());
    var ready = run(Agent.Ready::new);
    assertEquals(new Agent.BecameReady(id, PauseReason.TRAINING, T0), ready.event());
    assertEquals(Status.READY, ready.state().status());
  }

  @Test
  void rejectsIllegalStateChanges() {
    assertTrue(error(run(Agent.Ready::new)).contains("PAUSED"));
    assertTrue(error(run(r -> new Agent.Pause(PauseReason.BREAK, r))).contains("LOGGED_OUT"));
    assertTrue(error(run(Agent.Heartbeat::new)).contains("LOGGED_OUT"));
    assertTrue(error(run(Agent.LogOut::new)).contains("cannot log out"));
    loggedIn();
    assertTrue(error(run(Agent.Ready::new)).contains("READY"));
    assertTrue(error(run(r -> new Agent.Pause(null, r))).contains("reason"));
    assertTrue(error(run(r -> new Agent.ConnectCall("att-1", r))).contains("expected RESERVED"));
    assertTrue(error(run(r -> new Agent.EndCall("att-1", r))).contains("expected ON_CALL"));
    assertTrue(
        error(run(r -> new Agent.SubmitDisposition("att-1", "SALE", null, null, false, r)))
            .contains("expected WRAP_UP"));
    assertTrue(
        error(run(r -> new Agent.CancelReservation("att-1", "x", r)))
            .contains("expected RESERVED"));
  }

  @Test
  void reservationRulesForTheDialer() {
    loggedIn();
    assertTrue(
        error(run(r -> new Agent.Reserve(new CallRef("x", "l", "c-9"), WRAP_UP, r)))
            .contains("not assigned to campaign c-9"));
    assertTrue(error(run(r -> new Agent.Reserve(CALL, null, r))).contains("wrap-up policy"));
    var reserved = run(r -> new Agent.Reserve(CALL, WRAP_UP, r));
    assertEquals(new Agent.Reserved(id, CALL, WRAP_UP, T0), reserved.event());
    assertEquals(CALL, reserved.reply().getValue().call());
    assertTrue(error(run(r -> new Agent.Reserve(CALL, WRAP_UP, r))).contains("only a READY"));
    assertTrue(error(run(r -> new Agent.ConnectCall("att-2", r))).contains("not att-2"));

    var cancelled = run(r -> new Agent.CancelReservation("att-1", "customer hung up", r));
    assertEquals(
        new Agent.ReservationCancelled(id, CALL, "customer hung up", Status.READY, null, T0),
        cancelled.event());
    assertNull(cancelled.state().call());
  }

  @Test
  void aPausedAgentIsNeverReserved() {
    loggedIn();
    run(r -> new Agent.Pause(PauseReason.MEETING, r));
    assertTrue(error(run(r -> new Agent.Reserve(CALL, WRAP_UP, r))).contains("PAUSED"));
  }

  @Test
  void theCallCycleEndsReadyAfterTheDisposition() {
    onCall();
    assertEquals(Status.ON_CALL, kit.getState().status());
    assertTrue(error(run(Agent.LogOut::new)).contains("finish the call first"));
    advance(Duration.ofSeconds(90));
    var ended = run(r -> new Agent.EndCall("att-1", r));
    assertEquals(
        new Agent.CallEnded(id, CALL, T0.plusSeconds(150), T0.plusSeconds(90)), ended.event());
    assertEquals(Status.WRAP_UP, ended.state().status());
    assertTrue(
        error(run(r -> new Agent.SubmitDisposition("att-1", " ", null, null, false, r)))
            .contains("code"));
    var done = run(r -> new Agent.SubmitDisposition("att-1", "SALE", "happy", null, false, r));
    assertEquals(
        new Agent.WrapUpCompleted(
            id, CALL, "SALE", "happy", null, false, false, Status.READY, null, T0.plusSeconds(90)),
        done.event());
    assertEquals(Status.READY, done.state().status());
    advance(Duration.ofSeconds(60)); // the cancelled wrap-up timer does nothing
    assertEquals(Status.READY, kit.getState().status());
  }

  @Test
  void aPauseAskedDuringTheCallAppliesAfterWrapUp() {
    onCall();
    var requested = run(r -> new Agent.Pause(PauseReason.PERSONAL, r));
    assertInstanceOf(Agent.PauseRequested.class, requested.event());
    assertEquals(Status.ON_CALL, requested.state().status());
    run(r -> new Agent.EndCall("att-1", r));
    var done = run(r -> new Agent.SubmitDisposition("att-1", "SALE", null, null, false, r));
    assertEquals(Status.PAUSED, done.state().status());
    assertEquals(PauseReason.PERSONAL, done.state().pauseReason());
    assertNull(done.state().pauseAfterCall());
  }

  @Test
  void aPauseAskedWhileReservedAppliesWhenTheReservationIsCancelled() {
    loggedIn();
    run(r -> new Agent.Reserve(CALL, WRAP_UP, r));
    assertEquals(
        PauseReason.MEETING,
        run(r -> new Agent.Pause(PauseReason.MEETING, r)).state().pauseAfterCall());
    var cancelled = run(r -> new Agent.CancelReservation("att-1", "lead gone", r));
    assertEquals(Status.PAUSED, cancelled.state().status());
    assertEquals(PauseReason.MEETING, cancelled.state().pauseReason());
  }

  @Test
  void thePhoneEndpointCannotChangeDuringACall() {
    onCall();
    assertTrue(
        error(run(r -> new Agent.Configure("Ann", "SIP/other", Set.of("c-1"), "sup", r)))
            .contains("during a call"));
    assertTrue(
        run(r -> new Agent.Configure("Ann", "PJSIP/ann", Set.of("c-1", "c-3"), "sup", r))
            .reply()
            .isSuccess());
    assertTrue(error(run(r -> new Agent.Reserve(null, WRAP_UP, r))).contains("ON_CALL"));
  }

  @Test
  void theWrapUpTimeoutAppliesTheCampaignsDisposition() {
    inWrapUp();
    advance(Duration.ofSeconds(59));
    assertEquals(Status.WRAP_UP, kit.getState().status());
    advance(Duration.ofSeconds(1));
    awaitStatus(Status.READY);
    assertEquals(
        new Agent.WrapUpCompleted(
            id, CALL, "HUNG_UP", null, null, false, true, Status.READY, null, T0.plusSeconds(60)),
        lastPersisted());
    assertTrue(
        error(run(r -> new Agent.SubmitDisposition("att-1", "SALE", null, null, false, r)))
            .contains("expected WRAP_UP"));
  }

  @Test
  void aMissedHeartbeatPausesAsDisconnected() {
    loggedIn();
    advance(Duration.ofMinutes(20));
    assertTrue(run(Agent.Heartbeat::new).reply().isSuccess()); // keeps the session alive
    advance(Duration.ofMinutes(20));
    assertEquals(Status.READY, kit.getState().status());
    advance(Duration.ofMinutes(10));
    awaitStatus(Status.PAUSED);
    assertEquals(PauseReason.DISCONNECTED, kit.getState().pauseReason());
    assertTrue(run(Agent.Ready::new).reply().isSuccess()); // the client is back
  }

  @Test
  void aMissedHeartbeatReleasesAReservation() {
    loggedIn();
    run(r -> new Agent.Reserve(CALL, WRAP_UP, r));
    advance(HEARTBEAT);
    awaitStatus(Status.PAUSED);
    assertNull(kit.getState().call());
    assertEquals(PauseReason.DISCONNECTED, kit.getState().pauseReason());
    assertEquals(
        new Agent.HeartbeatLost(id, Status.RESERVED, Status.PAUSED, CALL, T0.plus(HEARTBEAT)),
        lastPersisted());
  }

  @Test
  void aMissedHeartbeatNeverCutsACall() {
    onCall();
    advance(HEARTBEAT);
    testKit
        .createTestProbe()
        .awaitAssert(
            DomainTestSupport.TIMEOUT,
            () -> {
              assertEquals(PauseReason.DISCONNECTED, kit.getState().pauseAfterCall());
              return null;
            });
    assertEquals(Status.ON_CALL, kit.getState().status());
    run(r -> new Agent.EndCall("att-1", r));
    advance(WRAP_UP.timeout()); // nobody dispositions: the timeout does, then the pause applies
    awaitStatus(Status.PAUSED);
    assertEquals(PauseReason.DISCONNECTED, kit.getState().pauseReason());
  }

  @Test
  void logOutClosesTheSessionWithTimePerStateAndPauseReason() {
    loggedIn();
    advance(Duration.ofMinutes(10)); // READY
    run(r -> new Agent.Reserve(CALL, WRAP_UP, r));
    advance(Duration.ofSeconds(5)); // RESERVED
    run(r -> new Agent.ConnectCall("att-1", r));
    advance(Duration.ofMinutes(3)); // ON_CALL
    run(r -> new Agent.EndCall("att-1", r));
    advance(Duration.ofSeconds(20)); // WRAP_UP
    run(r -> new Agent.SubmitDisposition("att-1", "SALE", null, null, false, r));
    run(r -> new Agent.Pause(PauseReason.BREAK, r));
    advance(Duration.ofSeconds(25)); // PAUSED(BREAK), heartbeat still alive
    run(Agent.Heartbeat::new);
    run(r -> new Agent.Pause(PauseReason.LUNCH, r));
    advance(Duration.ofSeconds(20));
    var out = run(Agent.LogOut::new);
    Session session = ((Agent.LoggedOut) out.event()).session();
    assertEquals(Duration.ofMinutes(10), session.timeInStatus().get(Status.READY));
    assertEquals(Duration.ofSeconds(5), session.timeInStatus().get(Status.RESERVED));
    assertEquals(Duration.ofMinutes(3), session.timeInStatus().get(Status.ON_CALL));
    assertEquals(Duration.ofSeconds(20), session.timeInStatus().get(Status.WRAP_UP));
    assertEquals(Duration.ofSeconds(25), session.pauseTime().get(PauseReason.BREAK));
    assertEquals(Duration.ofSeconds(20), session.pauseTime().get(PauseReason.LUNCH));
    assertEquals(Duration.ofSeconds(45), session.totalPauseTime());
    assertEquals(Duration.ofSeconds(625), session.productiveTime().minusMinutes(3));
    assertEquals(Status.LOGGED_OUT, out.state().status());
    assertNull(out.state().session());
    advance(HEARTBEAT); // the heartbeat timer was cancelled with the session
    assertEquals(Status.LOGGED_OUT, kit.getState().status());
    assertEquals(
        List.of(),
        kit.<Summary>runCommand(Agent.GetSummary::new).reply().campaigns().stream()
            .filter(c -> !Set.of("c-1", "c-2").contains(c))
            .toList());
  }

  @Test
  void recoversStateAndReArmsTheWrapUpTimer() {
    inWrapUp();
    var restarted = kit.restart();
    assertEquals(Status.WRAP_UP, restarted.state().status());
    assertEquals(CALL, restarted.state().call());
    advance(WRAP_UP.timeout());
    awaitStatus(Status.READY);
  }

  @Test
  void thePositionIsTheStateWithTheSequenceNumberOfItsLastEvent() {
    assertEquals(0, kit.<Agent.Position>runCommand(Agent.GetPosition::new).reply().sequenceNr());
    configure();
    run(r -> new Agent.LogIn(HEARTBEAT, r));
    Agent.Position position = kit.<Agent.Position>runCommand(Agent.GetPosition::new).reply();
    assertEquals(2, position.sequenceNr());
    assertEquals(Status.READY, position.state().status());
  }

  @Test
  void aRepeatedConnectOrEndOfTheSameCallSucceedsWithoutASecondEvent() {
    inWrapUp();
    var endedAgain = run(r -> new Agent.EndCall("att-1", r));
    assertTrue(endedAgain.reply().isSuccess());
    assertTrue(endedAgain.hasNoEvents());
    assertEquals(Status.WRAP_UP, endedAgain.state().status());
    var connectedAgain = run(r -> new Agent.ConnectCall("att-1", r));
    assertTrue(connectedAgain.reply().isSuccess());
    assertTrue(connectedAgain.hasNoEvents());
    // A step of another call is still refused.
    assertTrue(run(r -> new Agent.EndCall("att-2", r)).reply().isError());
  }
}
