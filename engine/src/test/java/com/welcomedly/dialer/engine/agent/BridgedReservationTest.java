package com.welcomedly.dialer.engine.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The agent's side of bridge first, record after (docs/state-machines.md): the record of a call the
 * dialer already bridged is taken while READY or just paused (the pause then waits for the
 * wrap-up), refused otherwise; and every stored change is told to the agent's campaigns.
 */
@ExtendWith(LogCapturingExtension.class)
class BridgedReservationTest {

  private static final ActorTestKit testKit =
      ActorTestKit.create("BridgedReservationTest", DomainTestSupport.entityTestConfig());
  private static final ManualTime manualTime = ManualTime.get(testKit.system());
  private static final Instant T0 = Instant.parse("2026-06-10T14:00:00Z");
  private static final CallRef CALL = new CallRef("att-1", "l-1", "c-1");
  private static final WrapUpPolicy WRAP_UP = new WrapUpPolicy(Duration.ofSeconds(60), "HUNG_UP");
  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  private final String id = "b-" + SEQUENCE.incrementAndGet();
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

  private void loggedIn() {
    assertTrue(
        run(r -> new Agent.Configure("Ann", "PJSIP/ann", Set.of("c-1"), "admin", r))
            .reply()
            .isSuccess());
    assertTrue(run(r -> new Agent.LogIn(Duration.ofHours(1), r)).reply().isSuccess());
  }

  private String refusal(Function<ActorRef<StatusReply<Summary>>, Command> command) {
    var result = run(command);
    assertTrue(result.reply().isError(), "expected a refusal, got " + result.reply());
    assertTrue(result.hasNoEvents());
    return result.reply().getError().getMessage();
  }

  @Test
  void aReadyAgentTakesTheBridgedCallAndARepeatIsASuccess() {
    loggedIn();
    var reserved = run(r -> new Agent.ReserveBridged(CALL, WRAP_UP, r));
    assertEquals(new Agent.Reserved(id, CALL, WRAP_UP, T0), reserved.event());
    var again = run(r -> new Agent.ReserveBridged(CALL, WRAP_UP, r));
    assertTrue(again.reply().isSuccess());
    assertTrue(again.hasNoEvents());
    assertTrue(run(r -> new Agent.ConnectCall("att-1", r)).reply().isSuccess());
    assertTrue(run(r -> new Agent.ReserveBridged(CALL, WRAP_UP, r)).hasNoEvents());
    assertTrue(
        refusal(r -> new Agent.ReserveBridged(new CallRef("att-2", "l-2", "c-1"), WRAP_UP, r))
            .contains("ON_CALL"));
  }

  @Test
  void anAgentWhoJustPausedTakesTheCallAndPausesAfterItsWrapUp() {
    loggedIn();
    run(r -> new Agent.Pause(PauseReason.BREAK, r));
    DomainTestSupport.advance(clock, manualTime, Duration.ofSeconds(1));
    var reserved = run(r -> new Agent.ReserveBridged(CALL, WRAP_UP, r));
    Instant at = T0.plusSeconds(1);
    assertEquals(
        List.of(
            new Agent.Reserved(id, CALL, WRAP_UP, at),
            new Agent.PauseRequested(id, Status.RESERVED, PauseReason.BREAK, at)),
        reserved.events());
    assertEquals(Status.RESERVED, reserved.state().status());
    assertEquals(PauseReason.BREAK, reserved.state().pauseAfterCall());
    run(r -> new Agent.ConnectCall("att-1", r));
    run(r -> new Agent.EndCall("att-1", r));
    var done = run(r -> new Agent.SubmitDisposition("att-1", "SALE", null, null, false, r));
    assertEquals(Status.PAUSED, done.state().status());
    assertEquals(PauseReason.BREAK, done.state().pauseReason());
  }

  @Test
  void aPauseOlderThanTheGraceOrALogOutRefusesTheRecord() {
    loggedIn();
    run(r -> new Agent.Pause(PauseReason.LUNCH, r));
    DomainTestSupport.advance(
        clock, manualTime, Agent.BRIDGED_PAUSE_GRACE.plus(Duration.ofSeconds(1)));
    assertTrue(refusal(r -> new Agent.ReserveBridged(CALL, WRAP_UP, r)).contains("PAUSED"));
    // The plain reservation (before a bridge) never takes a paused agent.
    run(r -> new Agent.Ready(r));
    run(r -> new Agent.Pause(PauseReason.LUNCH, r));
    assertTrue(refusal(r -> new Agent.Reserve(CALL, WRAP_UP, r)).contains("PAUSED"));
    run(Agent.LogOut::new);
    assertTrue(refusal(r -> new Agent.ReserveBridged(CALL, WRAP_UP, r)).contains("LOGGED_OUT"));
    assertTrue(
        refusal(r -> new Agent.ReserveBridged(new CallRef("att-3", "l-3", "c-9"), WRAP_UP, r))
            .contains("LOGGED_OUT"));
  }

  @Test
  void everyStoredChangeIsToldToTheAgentsCampaignsInOrder() {
    TestProbe<Agent.Changed> dialer = testKit.createTestProbe();
    AgentChanges.get(testKit.system()).follow("c-1", dialer.getRef());
    dialer.awaitAssert(
        DomainTestSupport.TIMEOUT,
        () -> {
          // The subscription spreads through the receptionist: changes until then may be missed.
          run(r -> new Agent.Configure("Ann", "PJSIP/ann", Set.of("c-1"), "admin", r));
          dialer.receiveMessage(Duration.ofMillis(200));
          return null;
        });
    long before = kit.runCommand(Agent.GetChange::new).reply().sequenceNr();
    run(r -> new Agent.LogIn(Duration.ofHours(1), r));
    Agent.Changed loggedIn = next(dialer, Status.READY);
    assertEquals(before + 1, loggedIn.sequenceNr());
    run(r -> new Agent.ReserveBridged(CALL, WRAP_UP, r));
    Agent.Changed reserved = next(dialer, Status.RESERVED);
    assertEquals(Status.RESERVED, reserved.summary().status());
    assertEquals(before + 2, reserved.sequenceNr());
    assertEquals(reserved, kit.runCommand(Agent.GetChange::new).reply());
  }

  /** The next change to {@code status} (the Configure retries above may still be on their way). */
  private static Agent.Changed next(TestProbe<Agent.Changed> dialer, Status status) {
    List<Agent.Changed> seen =
        dialer.fishForMessage(
            DomainTestSupport.TIMEOUT,
            m ->
                m.summary().status() == status
                    ? FishingOutcomes.complete()
                    : FishingOutcomes.continueAndIgnore());
    return seen.get(seen.size() - 1);
  }
}
