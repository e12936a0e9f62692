package com.welcomedly.dialer.engine.dialing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.welcomedly.dialer.engine.agent.Agent;
import com.welcomedly.dialer.engine.campaign.Campaign;
import com.welcomedly.dialer.engine.campaign.CampaignConfig;
import com.welcomedly.dialer.engine.lead.Attempt;
import com.welcomedly.dialer.engine.lead.Lead;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The dialing loop end to end: a node with real PostgreSQL and the AMI simulator over TCP, a
 * PROGRESSIVE campaign with two logged-in agents and scripted leads. Live answers are bridged to
 * agents and their dispositions reach the leads; busy, no-answer and invalid numbers are recorded
 * with the campaign's retry rules — all without anyone touching the dialer.
 */
@ExtendWith(LogCapturingExtension.class)
class CampaignDialerIntegrationTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String CAMPAIGN = "c-e2e";
  // Scripted numbers (prefix 12127, then outcome, ring tenths, talk seconds, filler):
  private static final String LIVE_1 = "+12127105020"; // answers after 0.5 s, talks 2 s
  private static final String LIVE_2 = "+12127105021";
  private static final String BUSY = "+12127300000";
  private static final String NO_ANSWER = "+12127410000"; // callee gives up after 1 s
  private static final String UNALLOCATED = "+12127600000";

  private static SimulatedNode node;
  private static ActorTestKit testKit;
  private static DialingSteps steps;

  @BeforeAll
  static void start() throws Exception {
    node = SimulatedNode.start("e2e", 7);
    testKit = node.testKit();
    steps = node.steps();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void aProgressiveCampaignDialsConnectsAndRecordsEveryOutcome() {
    CampaignConfig config = config(Set.of("a-1", "a-2"), false);
    campaign(r -> new Campaign.Create("End to end", config, "sam", r));
    importLead("live-1", LIVE_1, 5);
    importLead("live-2", LIVE_2, 5);
    importLead("busy", BUSY, 1);
    importLead("no-answer", NO_ANSWER, 1);
    importLead("unallocated", UNALLOCATED, 1);
    for (String agent : List.of("a-1", "a-2")) {
      agent(agent, r -> new Agent.Configure(agent, "PJSIP/" + agent, Set.of(CAMPAIGN), "sam", r));
      agent(agent, r -> new Agent.LogIn(Duration.ofHours(1), r));
    }

    campaign(r -> new Campaign.Start("sam", r));

    // The two live answers (highest priority) reach the agents and end in wrap-up.
    Lead.Summary live1 = awaitLead("live-1", Lead.Status.WRAP_UP);
    Lead.Summary live2 = awaitLead("live-2", Lead.Status.WRAP_UP);
    for (Lead.Summary lead : List.of(live1, live2)) {
      Attempt attempt = lead.attempts().get(0);
      assertNotNull(attempt.connectedAt(), "connected to an agent");
      assertTrue(Set.of("a-1", "a-2").contains(attempt.agentId()));
      agent(
          attempt.agentId(),
          r -> new Agent.SubmitDisposition(attempt.attemptId(), "SALE", "ok", null, false, r));
    }
    assertEquals("SALE", awaitLead("live-1", Lead.Status.DONE).attempts().get(0).dispositionCode());
    assertEquals("SALE", awaitLead("live-2", Lead.Status.DONE).attempts().get(0).dispositionCode());

    // The rest are dialed as agents free up, and end per the campaign's retry rules.
    Lead.Summary busy = awaitAttempts("busy", Lead.Status.QUEUED);
    assertEquals("BUSY", busy.attempts().get(0).dispositionCode());
    assertNotNull(busy.nextAttemptAt());
    Lead.Summary noAnswer = awaitAttempts("no-answer", Lead.Status.QUEUED);
    assertEquals("NO_ANSWER", noAnswer.attempts().get(0).dispositionCode());
    // The only number is marked invalid: nothing left to dial.
    Lead.Summary unallocated = awaitAttempts("unallocated", Lead.Status.EXHAUSTED);
    assertEquals("INVALID_NUMBER", unallocated.attempts().get(0).dispositionCode());

    // Nobody was dialed twice at once, and nothing is left in flight.
    for (String id : List.of("live-1", "live-2", "busy", "no-answer", "unallocated")) {
      assertEquals(1, lead(id).attempts().size(), id + " dialed once");
    }
    TestProbe<CampaignDialer.Status> status = testKit.createTestProbe();
    status.awaitAssert(
        TIMEOUT,
        () -> {
          ClusterSharding.get(testKit.system())
              .entityRefFor(CampaignDialer.ENTITY_KEY, CAMPAIGN)
              .tell(new CampaignDialer.GetStatus(status.getRef()));
          assertEquals(0, status.receiveMessage(TIMEOUT).callsInFlight());
          return null;
        });
  }

  @Test
  void aLiveAnswerWithNoAgentInTimeIsAbandonedToTheSafeHarborMessage() {
    String campaign = "c-abandon";
    campaign(campaign, r -> new Campaign.Create("Abandon", config(Set.of("a-9"), false), "sam", r));
    importLead(campaign, "slow-live", "+12127130050", 1); // answers after 3 s, talks 5 s
    agent("a-9", r -> new Agent.Configure("a-9", "PJSIP/a-9", Set.of(campaign), "sam", r));
    agent("a-9", r -> new Agent.LogIn(Duration.ofHours(1), r));
    campaign(campaign, r -> new Campaign.Start("sam", r));

    // The only agent goes on a break while the call rings: nobody can take the answer.
    steps.eventually(() -> assertEquals(1, dialerStatus(campaign).callsInFlight()));
    agent("a-9", r -> new Agent.Pause(Agent.PauseReason.BREAK, r));

    Lead.Summary lead = awaitAttempts("slow-live", Lead.Status.QUEUED);
    Attempt attempt = lead.attempts().get(0);
    assertEquals(Lead.CallOutcome.ABANDONED, attempt.outcome());
    assertEquals("DROPPED", attempt.dispositionCode());
    assertNotNull(attempt.answeredAt());
    // The post-abandon lockout (72 h by default) keeps the number from being called again soon.
    assertTrue(
        lead.nextAttemptAt().isAfter(java.time.Instant.now().plus(Duration.ofHours(71))),
        "locked out until " + lead.nextAttemptAt());
    CampaignDialer.Totals totals = dialerStatus(campaign).totals();
    assertEquals(1, totals.liveAnswers());
    assertEquals(1, totals.abandons());
  }

  @Test
  void aCallerWhoHangsUpWaitingForAnAgentIsAnAbandon() {
    String campaign = "c-impatient";
    campaign(
        campaign, r -> new Campaign.Create("Impatient", config(Set.of("a-5"), false), "sam", r));
    importLead(campaign, "impatient", "+12127130010", 1); // answers after 3 s, hangs up 1 s later
    agent("a-5", r -> new Agent.Configure("a-5", "PJSIP/a-8", Set.of(campaign), "sam", r));
    agent("a-5", r -> new Agent.LogIn(Duration.ofHours(1), r));
    campaign(campaign, r -> new Campaign.Start("sam", r));
    steps.eventually(() -> assertEquals(1, dialerStatus(campaign).callsInFlight()));
    agent("a-5", r -> new Agent.Pause(Agent.PauseReason.BREAK, r));

    // Gone before the 2 s connect deadline: no safe-harbor message, but still a live answer that
    // never reached an agent, so an abandon for the lead, the ledger and the dialer's totals.
    Attempt attempt = awaitAttempts("impatient", Lead.Status.QUEUED).attempts().get(0);
    assertEquals(Lead.CallOutcome.ABANDONED, attempt.outcome());
    assertEquals("DROPPED", attempt.dispositionCode());
    CampaignDialer.Totals totals = dialerStatus(campaign).totals();
    assertEquals(1, totals.liveAnswers());
    assertEquals(1, totals.abandons());
  }

  @Test
  void anAnsweringMachineIsHungUpAndRetriedLater() {
    String campaign = "c-amd";
    campaign(campaign, r -> new Campaign.Create("AMD", config(Set.of("a-8"), true), "sam", r));
    importLead(campaign, "machine", "+12127210000", 1); // a machine answers after 1 s
    agent("a-8", r -> new Agent.Configure("a-8", "PJSIP/a-8", Set.of(campaign), "sam", r));
    agent("a-8", r -> new Agent.LogIn(Duration.ofHours(1), r));
    campaign(campaign, r -> new Campaign.Start("sam", r));

    Lead.Summary lead = awaitAttempts("machine", Lead.Status.QUEUED);
    Attempt attempt = lead.attempts().get(0);
    assertEquals(Lead.CallOutcome.MACHINE, attempt.outcome());
    assertEquals("MACHINE", attempt.dispositionCode());
    assertEquals(null, attempt.agentId(), "no agent was used for a machine");
  }

  @Test
  void anAgentOnlyCallbackWaitsForItsAgentAndIsConnectedToThatAgent() {
    String campaign = "c-callback";
    campaign(
        campaign,
        r -> new Campaign.Create("Callback", config(Set.of("a-6", "a-7"), false), "sam", r));
    importLead(campaign, "promised", "+12127105030", 1); // answers after 0.5 s, talks 3 s
    java.time.LocalDateTime soon =
        java.time.LocalDateTime.now(java.time.ZoneId.of("America/New_York")).plusSeconds(2);
    leadStep("promised", r -> new Lead.ScheduleCallback(soon, "a-7", Duration.ZERO, "sam", r));
    for (String agent : List.of("a-6", "a-7")) {
      agent(agent, r -> new Agent.Configure(agent, "PJSIP/" + agent, Set.of(campaign), "sam", r));
      agent(agent, r -> new Agent.LogIn(Duration.ofHours(1), r));
    }
    // The promised agent is on a break: the callback must wait for a-7, not go to a-6.
    agent("a-7", r -> new Agent.Pause(Agent.PauseReason.BREAK, r));
    campaign(campaign, r -> new Campaign.Start("sam", r));
    testKit
        .createTestProbe()
        .awaitAssert(
            TIMEOUT,
            Duration.ofMillis(200),
            () -> {
              CampaignDialer.Status status = dialerStatus(campaign);
              assertEquals(1, status.agentsReady(), "a-6 ready with its leg up");
              return null;
            });
    // Well past the callback time with a-6 ready: still not dialed.
    testKit.createTestProbe().expectNoMessage(Duration.ofSeconds(4));
    assertEquals(Lead.Status.CALLBACK, lead("promised").status());
    assertEquals(0, lead("promised").attempts().size());

    agent("a-7", Agent.Ready::new);
    Lead.Summary connected = awaitLead("promised", Lead.Status.WRAP_UP);
    assertEquals("a-7", connected.attempts().get(0).agentId());
  }

  private static void importLead(String id, String number, int priority) {
    importLead(CAMPAIGN, id, number, priority);
  }

  private static void importLead(String campaignId, String id, String number, int priority) {
    steps.importLead(campaignId, id, number, priority);
  }

  private static CampaignConfig config(Set<String> agents, boolean amd) {
    return DialingSteps.config(agents, amd);
  }

  private static CampaignDialer.Status dialerStatus(String campaignId) {
    return steps.dialerStatus(campaignId);
  }

  private static Lead.Summary awaitLead(String id, Lead.Status status) {
    return steps.awaitLead(id, status);
  }

  private static Lead.Summary awaitAttempts(String id, Lead.Status status) {
    return steps.awaitAttempts(id, status, 1);
  }

  private static Lead.Summary lead(String id) {
    return steps.lead(id);
  }

  private static void leadStep(
      String id, Function<ActorRef<StatusReply<Lead.Summary>>, Lead.Command> command) {
    steps.leadStep(id, command);
  }

  private static void agent(
      String id, Function<ActorRef<StatusReply<Agent.Summary>>, Agent.Command> command) {
    steps.agent(id, command);
  }

  private static void campaign(
      Function<ActorRef<StatusReply<Campaign.Summary>>, Campaign.Command> command) {
    steps.campaign(CAMPAIGN, command);
  }

  private static void campaign(
      String campaignId,
      Function<ActorRef<StatusReply<Campaign.Summary>>, Campaign.Command> command) {
    steps.campaign(campaignId, command);
  }
}
