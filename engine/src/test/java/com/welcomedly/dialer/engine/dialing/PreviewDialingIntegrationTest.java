package com.welcomedly.dialer.engine.dialing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.welcomedly.dialer.engine.agent.Agent;
import com.welcomedly.dialer.engine.campaign.CampaignConfig;
import com.welcomedly.dialer.engine.lead.Attempt;
import com.welcomedly.dialer.engine.lead.Lead;
import java.time.Duration;
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
 * PREVIEW dialing end to end on a node with real PostgreSQL and the AMI simulator over TCP: the
 * dialer reserves a lead for a ready agent and waits; only the agent's Dial originates it, and the
 * answered call is bridged to that agent. Skip and the preview timeout give the lead back and the
 * agent returns to READY; an unanswered preview frees the agent and records the lead's outcome.
 */
@ExtendWith(LogCapturingExtension.class)
class PreviewDialingIntegrationTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String LIVE = "+12127105050"; // answers after 0.5 s, talks 5 s
  private static final String BUSY = "+12127300000";

  private static SimulatedNode node;
  private static ActorTestKit testKit;
  private static DialingSteps steps;

  @BeforeAll
  static void start() throws Exception {
    node = SimulatedNode.start("preview", 11);
    testKit = node.testKit();
    steps = node.steps();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void aPreviewIsDialedOnlyAfterTheAgentsDialAndConnectsToThatAgent() {
    String attemptId = offerOne("c-pv-dial", "pv-1", "pv-live", LIVE, Duration.ofMinutes(5));

    // Offered, not dialed: the lead is reserved for the agent and nothing rings.
    testKit.createTestProbe().expectNoMessage(Duration.ofSeconds(2));
    Lead.Summary offered = steps.lead("pv-live");
    assertEquals(Lead.Status.RESERVED, offered.status());
    assertNull(offered.attempts().get(0).dialedAt(), "not dialed before the agent's Dial");
    assertEquals(0, steps.dialerStatus("c-pv-dial").totals().dials());
    assertEquals(Agent.Status.RESERVED, steps.agentSummary("pv-1").status());
    Preview.Offered held = getOffer("c-pv-dial", "pv-1");
    assertEquals(attemptId, held.offer().attemptId());
    assertTrue(held.offer().expiresAt().isAfter(java.time.Instant.now()));

    // Another attempt id is refused with a reason.
    StatusReply<Preview.Offer> wrong = dial("c-pv-dial", "pv-1", "nope");
    assertTrue(wrong.isError());
    assertTrue(wrong.getError().getMessage().contains("no preview offer nope"));

    assertTrue(dial("c-pv-dial", "pv-1", attemptId).isSuccess());
    Lead.Summary connected = steps.awaitLead("pv-live", Lead.Status.WRAP_UP);
    Attempt attempt = connected.attempts().get(0);
    assertEquals(attemptId, attempt.attemptId());
    assertEquals("pv-1", attempt.agentId());
    assertNotNull(attempt.connectedAt());
    assertEquals(1, steps.dialerStatus("c-pv-dial").totals().dials());
  }

  @Test
  void skipReturnsTheLeadAndTheAgentIsReadyAgain() {
    String attemptId = offerOne("c-pv-skip", "pv-2", "pv-skip", LIVE, Duration.ofMinutes(5));
    assertTrue(skip("c-pv-skip", "pv-2", attemptId).isSuccess());

    Lead.Summary lead = steps.awaitLead("pv-skip", Lead.Status.QUEUED);
    assertEquals("skipped by the agent", lead.attempts().get(0).releasedReason());
    steps.eventually(() -> assertEquals(Agent.Status.READY, steps.agentSummary("pv-2").status()));
    assertEquals(0, steps.dialerStatus("c-pv-skip").totals().dials());
    // The offer is gone: a late Dial is refused.
    assertTrue(dial("c-pv-skip", "pv-2", attemptId).isError());
  }

  @Test
  void anIgnoredPreviewTimesOutAndReturnsTheLead() {
    String attemptId = offerOne("c-pv-time", "pv-3", "pv-time", LIVE, Duration.ofSeconds(5));
    steps.eventually(
        () -> {
          Attempt first = steps.lead("pv-time").attempts().get(0);
          assertEquals(attemptId, first.attemptId());
          assertEquals("preview timed out", first.releasedReason());
          assertNull(first.dialedAt());
        });
    steps.eventually(() -> assertEquals(Agent.Status.READY, steps.agentSummary("pv-3").status()));
    assertEquals(0, steps.dialerStatus("c-pv-time").totals().dials());
  }

  @Test
  void anUnansweredPreviewFreesTheAgentAndRecordsTheOutcome() {
    String attemptId = offerOne("c-pv-busy", "pv-4", "pv-busy", BUSY, Duration.ofMinutes(5));
    assertTrue(dial("c-pv-busy", "pv-4", attemptId).isSuccess());
    Lead.Summary lead = steps.awaitAttempts("pv-busy", Lead.Status.QUEUED, 1);
    assertEquals("BUSY", lead.attempts().get(0).dispositionCode());
    steps.eventually(() -> assertEquals(Agent.Status.READY, steps.agentSummary("pv-4").status()));
  }

  /** A PREVIEW campaign with one agent and one lead, started: returns the offered attempt. */
  private static String offerOne(
      String campaignId, String agentId, String leadId, String number, Duration timeout) {
    CampaignConfig base = DialingSteps.config(Set.of(agentId), false);
    CampaignConfig config =
        base.toBuilder()
            .pacing(
                new CampaignConfig.Pacing(
                    CampaignConfig.DialMode.PREVIEW,
                    base.pacing().targetAbandonPercent(),
                    base.pacing().abandonWindow(),
                    base.pacing().maxLinesPerAgent(),
                    base.pacing().powerRatio(),
                    base.pacing().minReadyAgents()))
            .previewTimeout(timeout)
            .build();
    steps.createCampaign(campaignId, "Preview " + campaignId, config);
    steps.importLead(campaignId, leadId, number, 1);
    steps.logIn(agentId, campaignId);
    steps.startCampaign(campaignId);
    return testKit
        .createTestProbe()
        .awaitAssert(
            TIMEOUT,
            Duration.ofMillis(100),
            () -> {
              Agent.Summary agent = steps.agentSummary(agentId);
              assertEquals(Agent.Status.RESERVED, agent.status());
              assertEquals(leadId, agent.call().leadId());
              return agent.call().attemptId();
            });
  }

  private static Preview.Offered getOffer(String campaignId, String agentId) {
    TestProbe<Preview.Offered> probe = testKit.createTestProbe();
    dialer(campaignId).tell(new Preview.GetOffer(agentId, probe.getRef()));
    return probe.receiveMessage(TIMEOUT);
  }

  private static StatusReply<Preview.Offer> dial(
      String campaignId, String agentId, String attemptId) {
    TestProbe<StatusReply<Preview.Offer>> probe = testKit.createTestProbe();
    dialer(campaignId).tell(new Preview.Dial(agentId, attemptId, probe.getRef()));
    return probe.receiveMessage(TIMEOUT);
  }

  private static StatusReply<Preview.Offer> skip(
      String campaignId, String agentId, String attemptId) {
    TestProbe<StatusReply<Preview.Offer>> probe = testKit.createTestProbe();
    dialer(campaignId).tell(new Preview.Skip(agentId, attemptId, probe.getRef()));
    return probe.receiveMessage(TIMEOUT);
  }

  private static org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef<CampaignDialer.Command>
      dialer(String campaignId) {
    return ClusterSharding.get(testKit.system())
        .entityRefFor(CampaignDialer.ENTITY_KEY, campaignId);
  }
}
