package com.welcomedly.dialer.engine.dialing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.welcomedly.dialer.engine.agent.Agent;
import com.welcomedly.dialer.engine.campaign.CampaignConfig;
import com.welcomedly.dialer.engine.lead.Attempt;
import com.welcomedly.dialer.engine.lead.Lead;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Campaigns run unattended to the end (real PostgreSQL, the AMI simulator over TCP, short retry
 * delays): every lead's final status and attempt history, the abandon, machine and retry paths,
 * callbacks anyone may take, and reservations that lead nowhere expiring back to the queue — with
 * no lead ever in two calls at once.
 */
@ExtendWith(LogCapturingExtension.class)
class CampaignRunIntegrationTest {

  private static final Duration TIMEOUT = DialingSteps.TIMEOUT;

  private static SimulatedNode node;
  private static ActorTestKit testKit;
  private static DialingSteps steps;

  @BeforeAll
  static void start() throws Exception {
    node = SimulatedNode.start("run", 11);
    testKit = node.testKit();
    steps = node.steps();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void anAnyoneCallbackIsDialedFirstWhenDueAndConnectedToAnyAgent() {
    String campaign = "c-anyone";
    steps.createCampaign(
        campaign, "Anyone callback", DialingSteps.config(Set.of("a-x", "a-y"), false));
    steps.importLead(campaign, "promise-any", "+12127105040", 1); // answers after 0.5 s, talks 4 s
    steps.logIn("a-x", campaign);
    steps.startCampaign(campaign);
    Attempt first = steps.awaitLead("promise-any", Lead.Status.WRAP_UP).attempts().get(0);
    assertEquals("a-x", first.agentId());

    // a-x goes on a break after this call; a higher-priority lead arrives meanwhile.
    steps.agent("a-x", r -> new Agent.Pause(Agent.PauseReason.BREAK, r));
    steps.importLead(campaign, "rival", "+12127105041", 9);
    java.time.LocalDateTime due =
        java.time.LocalDateTime.now(java.time.ZoneId.of("America/New_York")).plusSeconds(5);
    steps.agent(
        "a-x",
        r -> new Agent.SubmitDisposition(first.attemptId(), "CALLBACK", "after 5", due, false, r));
    Lead.Summary waiting = steps.awaitLead("promise-any", Lead.Status.CALLBACK);
    assertEquals(null, waiting.callback().agentId(), "anyone may take it");
    java.time.Instant dueAt = waiting.callback().dueAt();
    steps.eventually(
        () -> {
          assertTrue(java.time.Instant.now().isAfter(dueAt));
        });

    // Another agent becomes ready: the due callback goes first (before the priority-9 rival)
    // and is connected to that agent, not to the one who promised it.
    steps.logIn("a-y", campaign);
    Lead.Summary called = steps.awaitAttempts("promise-any", Lead.Status.WRAP_UP, 2);
    Attempt second = called.attempts().get(1);
    assertEquals("a-y", second.agentId());
    assertTrue(second.dialedAt().isAfter(dueAt), "dialed once due");
    assertEquals(
        0, steps.lead("rival").attempts().size(), "the callback was dialed before the rival");
  }

  @Test
  void aReservationThatLeadsNowhereExpiresAndTheLeadIsThenDialed() {
    String campaign = "c-expiry";
    CampaignConfig config = DialingSteps.fastConfig(Set.of("a-e"), false, Duration.ofSeconds(1));
    steps.createCampaign(campaign, "Expiry", config);
    steps.importLead(campaign, "stray", "+12127300002", 1); // busy at once
    // A dialer that reserved the lead and died before dialing (here: the test itself).
    TestProbe<StatusReply<Lead.Reservation>> reserved = testKit.createTestProbe();
    ClusterSharding.get(testKit.system())
        .entityRefFor(Lead.ENTITY_KEY, "stray")
        .tell(
            new Lead.ReserveForDial("stray-attempt", config.dialPolicy(), null, reserved.getRef()));
    DialingSteps.expectSuccess(reserved.receiveMessage(TIMEOUT));
    steps.logIn("a-e", campaign);
    steps.startCampaign(campaign);

    // The lock holds until it expires (3 s); then the lead is QUEUED again and the dialer takes it.
    Lead.Summary lead = steps.awaitAttempts("stray", Lead.Status.EXHAUSTED, 3);
    Attempt stray = lead.attempts().get(0);
    assertEquals("stray-attempt", stray.attemptId());
    assertEquals("reservation expired: the dial never started", stray.releasedReason());
    assertEquals(null, stray.dialedAt());
    assertEquals(List.of("RELEASED", "BUSY", "BUSY"), DialingSteps.outcomes(lead));
    DialingSteps.assertNoOverlap(lead);
  }

  @Test
  void aCampaignOfScriptedLeadsRunsUnattendedToCompletion() {
    String campaign = "c-run";
    Set<String> agents = Set.of("a-r1", "a-r2", "a-r3");
    steps.createCampaign(
        campaign, "Run", DialingSteps.fastConfig(agents, true, Duration.ofSeconds(1)));
    Map<String, String> numbers =
        Map.of(
            "run-abandon", "+12127130091", // answers after 3 s, talks 9 s
            "run-live-a", "+12127105062", // answers after 0.5 s, talks 6 s
            "run-live-b", "+12127105063",
            "run-busy", "+12127300003",
            "run-no-answer", "+12127410003",
            "run-machine", "+12127210003",
            "run-invalid", "+12127600003");
    // The abandon lead alone first (the hopper is fed per lead, in no set order across leads).
    steps.importLead(campaign, "run-abandon", numbers.get("run-abandon"), 9);
    // One agent first, who takes a break while the first (highest priority) call rings: the
    // answer finds nobody and is abandoned to the safe-harbor message.
    steps.logIn("a-r1", campaign);
    steps.startCampaign(campaign);
    steps.eventually(
        () -> {
          assertEquals(1, steps.dialerStatus(campaign).callsInFlight());
        });
    steps.agent("a-r1", r -> new Agent.Pause(Agent.PauseReason.BREAK, r));
    steps.eventually(
        () -> {
          assertEquals(List.of("ABANDONED"), DialingSteps.outcomes(steps.lead("run-abandon")));
        });
    // Then the whole team works the list; wrap-ups time out into NOT_INTERESTED.
    numbers.forEach(
        (id, number) -> {
          if (!id.equals("run-abandon")) {
            steps.importLead(campaign, id, number, 1);
          }
        });
    steps.agent("a-r1", Agent.Ready::new);
    steps.logIn("a-r2", campaign);
    steps.logIn("a-r3", campaign);

    Map<String, Expected> expected =
        Map.of(
            "run-abandon",
            new Expected(
                Lead.Status.DONE,
                List.of("ABANDONED", "COMPLETED"),
                List.of("DROPPED", "NOT_INTERESTED")),
            "run-live-a",
            new Expected(Lead.Status.DONE, List.of("COMPLETED"), List.of("NOT_INTERESTED")),
            "run-live-b",
            new Expected(Lead.Status.DONE, List.of("COMPLETED"), List.of("NOT_INTERESTED")),
            "run-busy",
            Expected.twice(Lead.Status.EXHAUSTED, "BUSY", "BUSY"),
            "run-no-answer",
            Expected.twice(Lead.Status.EXHAUSTED, "NO_ANSWER", "NO_ANSWER"),
            "run-machine",
            Expected.twice(Lead.Status.EXHAUSTED, "MACHINE", "MACHINE"),
            "run-invalid",
            new Expected(
                Lead.Status.EXHAUSTED, List.of("INVALID_NUMBER"), List.of("INVALID_NUMBER")));
    for (String id : numbers.keySet()) {
      Lead.Summary lead = steps.awaitLead(id, expected.get(id).status());
      assertEquals(expected.get(id).outcomes(), DialingSteps.outcomes(lead), id);
      assertEquals(expected.get(id).dispositions(), DialingSteps.dispositions(lead), id);
      DialingSteps.assertNoOverlap(lead);
      DialingSteps.assertAllClosed(lead);
      for (Attempt attempt : lead.attempts()) {
        boolean connected = attempt.outcome() == Lead.CallOutcome.COMPLETED;
        assertEquals(connected, attempt.agentId() != null, id + ": agent only when connected");
        if (connected) {
          assertTrue(agents.contains(attempt.agentId()), id);
        }
      }
    }
    assertNotNull(
        steps.lead("run-abandon").attempts().get(0).answeredAt(), "abandoned after answer");
  }

  /** A lead's final status and its attempts' outcomes and dispositions, in order. */
  private record Expected(Lead.Status status, List<String> outcomes, List<String> dispositions) {
    /** Two attempts that ended the same way (the retry limit in the test config is 2). */
    static Expected twice(Lead.Status status, String outcome, String disposition) {
      return new Expected(status, List.of(outcome, outcome), List.of(disposition, disposition));
    }
  }
}
