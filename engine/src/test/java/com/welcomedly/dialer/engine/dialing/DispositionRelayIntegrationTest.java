package com.welcomedly.dialer.engine.dialing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.welcomedly.dialer.engine.agent.Agent;
import com.welcomedly.dialer.engine.campaign.Campaign;
import com.welcomedly.dialer.engine.campaign.CampaignConfig;
import com.welcomedly.dialer.engine.compliance.CallingWindow;
import com.welcomedly.dialer.engine.compliance.DialPolicy;
import com.welcomedly.dialer.engine.compliance.DomainTestSupport;
import com.welcomedly.dialer.engine.lead.Attempt;
import com.welcomedly.dialer.engine.lead.Lead;
import com.welcomedly.dialer.engine.persistence.TestDatabase;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An agent's wrap-up result reaches the lead through the relay, on a real node and journal: a final
 * disposition, an agent-only callback, a refused callback (the timeout disposition is applied
 * instead), and a disposition that arrives before the lead knows the call ended.
 */
@ExtendWith(LogCapturingExtension.class)
class DispositionRelayIntegrationTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final String CAMPAIGN = "c-relay";
  private static final String NEW_YORK = "America/New_York";
  private static final DialPolicy ALWAYS_OPEN =
      new DialPolicy(
          CallingWindow.everyDay(LocalTime.MIN, LocalTime.MAX),
          List.of(),
          Duration.ofHours(72),
          Duration.ofSeconds(30),
          DialPolicy.NumberRotation.ROTATE,
          Duration.ZERO);
  private static final Agent.WrapUpPolicy WRAP_UP =
      new Agent.WrapUpPolicy(Duration.ofMinutes(5), "HUNG_UP");

  private static ActorTestKit testKit;

  @BeforeAll
  static void start() {
    testKit = DomainTestSupport.startNode("relay", TestDatabase.fresh("relay"));
    CampaignConfig config = CampaignConfig.defaults("PJSIP/{number}@carrier", "+12127363100");
    okCampaign(r -> new Campaign.Create("Relay", config, "sam", r));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void aFinalDispositionClosesTheLead() {
    String agent = inWrapUp("l-sale", "a-sale", "att-sale", true);
    okAgent(agent, r -> new Agent.SubmitDisposition("att-sale", "SALE", "signed", null, false, r));
    Lead.Summary lead = awaitLead("l-sale", Lead.Status.DONE);
    Attempt attempt = lead.attempts().get(0);
    assertEquals("SALE", attempt.dispositionCode());
    assertEquals("signed", attempt.notes());
    assertEquals("a-sale", attempt.agentId());
  }

  @Test
  void anAgentOnlyCallbackIsKeptForThatAgent() {
    String agent = inWrapUp("l-cb", "a-cb", "att-cb", true);
    LocalDateTime tomorrowTen =
        LocalDateTime.now(ZoneId.of(NEW_YORK)).plusDays(1).withHour(10).withMinute(0);
    okAgent(
        agent, r -> new Agent.SubmitDisposition("att-cb", "CALLBACK", null, tomorrowTen, true, r));
    Lead.Summary lead = awaitLead("l-cb", Lead.Status.CALLBACK);
    assertEquals("a-cb", lead.callback().agentId());
    assertEquals(tomorrowTen, lead.callback().localTime());
  }

  @Test
  void aDispositionTheLeadRefusesFallsBackToTheTimeoutDisposition() {
    String agent = inWrapUp("l-past", "a-past", "att-past", true);
    LocalDateTime yesterday = LocalDateTime.now(ZoneId.of(NEW_YORK)).minusDays(1);
    okAgent(
        agent, r -> new Agent.SubmitDisposition("att-past", "CALLBACK", null, yesterday, false, r));
    // HUNG_UP (the campaign's wrap-up timeout disposition) retries in 4 h: back to the queue.
    Lead.Summary lead = awaitLead("l-past", Lead.Status.QUEUED);
    Attempt attempt = lead.attempts().get(0);
    assertEquals("HUNG_UP", attempt.dispositionCode());
    assertTrue(attempt.notes().startsWith("agent chose CALLBACK, refused:"), attempt.notes());
    assertNotNull(lead.nextAttemptAt());
  }

  @Test
  void aDispositionBeforeTheLeadKnowsTheCallEndedEndsTheCallItself() {
    // The dialer's call end is late (or was lost with its node): the agent's wrap-up proves the
    // call is over, so the relay records the end itself instead of waiting behind this lead.
    String agent = inWrapUp("l-race", "a-race", "att-race", Lead.Status.CONNECTED);
    okAgent(
        agent,
        r -> new Agent.SubmitDisposition("att-race", "NOT_INTERESTED", null, null, false, r));
    Lead.Summary lead = awaitLead("l-race", Lead.Status.DONE);
    Attempt attempt = lead.attempts().get(0);
    assertEquals("NOT_INTERESTED", attempt.dispositionCode());
    assertEquals(Lead.CallOutcome.COMPLETED, attempt.outcome());
  }

  @Test
  void aLeadWhoseConnectNeverLandedHoldsNoLaterDisposition() {
    // First in the journal: a lead still DIALING (the dialer's MarkConnected lost); then an
    // ordinary one. Both reach their disposition: the first is connected and ended by the relay.
    String stuck = inWrapUp("l-lost", "a-lost", "att-lost", Lead.Status.DIALING);
    String next = inWrapUp("l-next", "a-next", "att-next", Lead.Status.WRAP_UP);
    okAgent(stuck, r -> new Agent.SubmitDisposition("att-lost", "SALE", null, null, false, r));
    okAgent(next, r -> new Agent.SubmitDisposition("att-next", "SALE", null, null, false, r));
    assertEquals("SALE", awaitLead("l-next", Lead.Status.DONE).attempts().get(0).dispositionCode());
    Attempt lost = awaitLead("l-lost", Lead.Status.DONE).attempts().get(0);
    assertEquals("SALE", lost.dispositionCode());
    assertEquals("a-lost", lost.agentId());
  }

  private static String inWrapUp(
      String leadId, String agentId, String attemptId, boolean leadEnded) {
    return inWrapUp(
        leadId, agentId, attemptId, leadEnded ? Lead.Status.WRAP_UP : Lead.Status.CONNECTED);
  }

  /**
   * An agent in wrap-up after a call with the lead; the lead as far as {@code leadReached}: DIALING
   * (answered, the connect not recorded), CONNECTED or WRAP_UP (told the call ended).
   */
  private static String inWrapUp(
      String leadId, String agentId, String attemptId, Lead.Status leadReached) {
    okLead(
        leadId, r -> new Lead.Import(CAMPAIGN, List.of("+12127363150"), NEW_YORK, 1, Map.of(), r));
    TestProbe<StatusReply<Lead.Reservation>> reserved = testKit.createTestProbe();
    lead(leadId).tell(new Lead.ReserveForDial(attemptId, ALWAYS_OPEN, null, reserved.getRef()));
    assertTrue(reserved.receiveMessage(TIMEOUT).isSuccess());
    okLead(leadId, r -> new Lead.MarkDialing(attemptId, Duration.ofMinutes(1), r));
    okLead(leadId, r -> new Lead.MarkAnswered(attemptId, r));
    if (leadReached != Lead.Status.DIALING) {
      okLead(leadId, r -> new Lead.MarkConnected(attemptId, agentId, r));
    }

    okAgent(
        agentId, r -> new Agent.Configure(agentId, "PJSIP/" + agentId, Set.of(CAMPAIGN), "sam", r));
    okAgent(agentId, r -> new Agent.LogIn(Duration.ofHours(1), r));
    Agent.CallRef call = new Agent.CallRef(attemptId, leadId, CAMPAIGN);
    okAgent(agentId, r -> new Agent.Reserve(call, WRAP_UP, r));
    okAgent(agentId, r -> new Agent.ConnectCall(attemptId, r));
    okAgent(agentId, r -> new Agent.EndCall(attemptId, r));
    if (leadReached == Lead.Status.WRAP_UP) {
      okLead(
          leadId,
          r -> new Lead.RecordCallEnd(attemptId, Lead.CallOutcome.COMPLETED, null, null, r));
    }
    return agentId;
  }

  private static Lead.Summary awaitLead(String leadId, Lead.Status status) {
    TestProbe<Lead.Summary> probe = testKit.createTestProbe();
    return probe.awaitAssert(
        TIMEOUT,
        Duration.ofMillis(200),
        () -> {
          lead(leadId).tell(new Lead.GetSummary(probe.getRef()));
          Lead.Summary summary = probe.receiveMessage(TIMEOUT);
          assertEquals(status, summary.status());
          return summary;
        });
  }

  private static void okLead(
      String id, Function<ActorRef<StatusReply<Lead.Summary>>, Lead.Command> command) {
    TestProbe<StatusReply<Lead.Summary>> probe = testKit.createTestProbe();
    lead(id).tell(command.apply(probe.getRef()));
    expectSuccess(probe.receiveMessage(TIMEOUT));
  }

  private static void okAgent(
      String id, Function<ActorRef<StatusReply<Agent.Summary>>, Agent.Command> command) {
    TestProbe<StatusReply<Agent.Summary>> probe = testKit.createTestProbe();
    agent(id).tell(command.apply(probe.getRef()));
    expectSuccess(probe.receiveMessage(TIMEOUT));
  }

  private static void okCampaign(
      Function<ActorRef<StatusReply<Campaign.Summary>>, Campaign.Command> command) {
    TestProbe<StatusReply<Campaign.Summary>> probe = testKit.createTestProbe();
    campaign().tell(command.apply(probe.getRef()));
    expectSuccess(probe.receiveMessage(TIMEOUT));
  }

  private static void expectSuccess(StatusReply<?> reply) {
    assertTrue(reply.isSuccess(), () -> reply.getError().getMessage());
  }

  private static EntityRef<Lead.Command> lead(String id) {
    return ClusterSharding.get(testKit.system()).entityRefFor(Lead.ENTITY_KEY, id);
  }

  private static EntityRef<Agent.Command> agent(String id) {
    return ClusterSharding.get(testKit.system()).entityRefFor(Agent.ENTITY_KEY, id);
  }

  private static EntityRef<Campaign.Command> campaign() {
    return ClusterSharding.get(testKit.system()).entityRefFor(Campaign.ENTITY_KEY, CAMPAIGN);
  }
}
