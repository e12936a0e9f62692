package com.welcomedly.dialer.engine.dialing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.typesafe.config.ConfigFactory;
import com.welcomedly.dialer.engine.agent.Agent;
import com.welcomedly.dialer.engine.lead.Attempt;
import com.welcomedly.dialer.engine.lead.Lead;
import java.time.Duration;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bridge first, record after, through the real interfaces (a node on real PostgreSQL, the AMI
 * simulator over TCP): a live answer is bridged from the dialer's own view of its agents, and the
 * agent's record follows. The races are forced by giving the dialer the view it would hold if an
 * agent's pause or log-out had not reached it yet (the agent's push that the dialer would have had
 * a moment earlier): the agent who just paused takes the call and pauses after it; the agent who
 * logged out refuses it, and the customer goes to the safe-harbor message as a counted abandon.
 */
@ExtendWith(LogCapturingExtension.class)
class BridgeFirstIntegrationTest {

  // Answers after 3 s and talks 5 s (scripted numbers, sim/README.md).
  private static final String SLOW_LIVE = "+12127130050";

  private static SimulatedNode node;
  private static ActorTestKit testKit;
  private static DialingSteps steps;

  @BeforeAll
  static void start() throws Exception {
    // No periodic re-read of the agents during a test: only the pushes (and the forged view) count.
    node =
        SimulatedNode.start(
            "bridge_first", 11, ConfigFactory.parseString("dialer.dialing.agent-resync = 10m"));
    testKit = node.testKit();
    steps = node.steps();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void aLiveAnswerIsBridgedFromTheDialersViewAndTheAgentsRecordFollows() {
    String campaign = "c-bf";
    steps.createCampaign(campaign, "Bridge first", DialingSteps.config(Set.of("bf-1"), false));
    steps.importLead(campaign, "bf-live", "+12127105020", 1); // answers after 0.5 s, talks 2 s
    steps.logIn("bf-1", campaign);
    steps.startCampaign(campaign);

    Lead.Summary lead = steps.awaitLead("bf-live", Lead.Status.WRAP_UP);
    Attempt attempt = lead.attempts().get(0);
    assertEquals("bf-1", attempt.agentId());
    assertNotNull(attempt.connectedAt());
    Agent.Summary agent = steps.agentSummary("bf-1");
    assertEquals(Agent.Status.WRAP_UP, agent.status());
    assertEquals(attempt.attemptId(), agent.call().attemptId());
    CampaignDialer.Status status = steps.dialerStatus(campaign);
    assertEquals(1, status.totals().connects());
    assertEquals(0, status.totals().abandons());
    assertEquals(1, status.latency().get("answer_to_bridge").samples());
  }

  @Test
  void anAgentWhoPausedAsTheCallWasBridgedTakesItAndPausesAfterTheWrapUp() {
    String campaign = "c-bf-pause";
    ringingWithOneAgent(campaign, "bf-2", "bf-pause");

    // The agent pauses while the call rings; the dialer still sees them READY.
    steps.agent("bf-2", r -> new Agent.Pause(Agent.PauseReason.BREAK, r));
    staleReadyView(campaign, "bf-2");

    Lead.Summary lead = steps.awaitLead("bf-pause", Lead.Status.WRAP_UP);
    Attempt attempt = lead.attempts().get(0);
    assertEquals("bf-2", attempt.agentId());
    assertNotNull(attempt.connectedAt());
    Agent.Summary inWrapUp = steps.agentSummary("bf-2");
    assertEquals(Agent.Status.WRAP_UP, inWrapUp.status());
    assertEquals(Agent.PauseReason.BREAK, inWrapUp.pauseAfterCall());
    steps.agent(
        "bf-2",
        r -> new Agent.SubmitDisposition(attempt.attemptId(), "SALE", null, null, false, r));
    Agent.Summary after = steps.agentSummary("bf-2");
    assertEquals(Agent.Status.PAUSED, after.status());
    assertEquals(Agent.PauseReason.BREAK, after.pauseReason());
    assertEquals(
        "SALE", steps.awaitLead("bf-pause", Lead.Status.DONE).attempts().get(0).dispositionCode());
    assertEquals(1, steps.dialerStatus(campaign).totals().connects());
  }

  @Test
  void aCallBridgedToAnAgentWhoLoggedOutGoesToTheSafeHarborMessageAsAnAbandon() {
    String campaign = "c-bf-out";
    ringingWithOneAgent(campaign, "bf-3", "bf-out");

    // The agent logs out while the call rings; the dialer still sees them READY (leg up again).
    steps.agent("bf-3", Agent.LogOut::new);
    Lead.Summary lead =
        LoggingTestKit.warn("did not take call")
            .expect(
                testKit.system(),
                () -> {
                  staleReadyView(campaign, "bf-3");
                  return steps.awaitAttempts("bf-out", Lead.Status.QUEUED, 1);
                });
    Attempt attempt = lead.attempts().get(0);
    assertEquals(Lead.CallOutcome.ABANDONED, attempt.outcome());
    assertEquals("DROPPED", attempt.dispositionCode());
    assertNull(attempt.connectedAt(), "never recorded as connected");
    assertEquals(Agent.Status.LOGGED_OUT, steps.agentSummary("bf-3").status());
    CampaignDialer.Status status = steps.dialerStatus(campaign);
    assertEquals(1, status.totals().abandons());
    assertEquals(0, status.totals().connects());
  }

  /** A campaign of one READY agent dialing one lead that answers after 3 s: once it rings. */
  private static void ringingWithOneAgent(String campaign, String agentId, String leadId) {
    steps.createCampaign(campaign, campaign, DialingSteps.config(Set.of(agentId), false));
    steps.importLead(campaign, leadId, SLOW_LIVE, 1);
    steps.logIn(agentId, campaign);
    steps.startCampaign(campaign);
    steps.eventually(() -> assertEquals(1, steps.dialerStatus(campaign).callsInFlight()));
  }

  /**
   * Gives the dialer the view it held a moment before the agent's last change reached it: READY
   * since a minute ago, at the agent's current journal position (so the agent's next change
   * replaces it, as it would the real view). Sent again until the dialer counts the agent ready:
   * the real change may still arrive after it, and a released leg takes a moment to come back.
   */
  private static void staleReadyView(String campaign, String agentId) {
    TestProbe<Agent.Changed> probe = testKit.createTestProbe();
    ClusterSharding.get(testKit.system())
        .entityRefFor(Agent.ENTITY_KEY, agentId)
        .tell(new Agent.GetChange(probe.getRef()));
    Agent.Changed now = probe.receiveMessage(DialingSteps.TIMEOUT);
    Agent.Summary s = now.summary();
    Agent.Summary ready =
        new Agent.Summary(
            s.agentId(),
            s.displayName(),
            s.phoneEndpoint(),
            Set.of(campaign),
            Agent.Status.READY,
            null,
            null,
            null,
            null,
            java.time.Instant.now().minus(Duration.ofMinutes(1)),
            s.session());
    steps.eventually(
        () -> {
          ClusterSharding.get(testKit.system())
              .entityRefFor(CampaignDialer.ENTITY_KEY, campaign)
              .tell(new CampaignDialer.AgentChanged(new Agent.Changed(ready, now.sequenceNr())));
          assertEquals(1, steps.dialerStatus(campaign).agentsReady());
        });
  }
}
