package com.welcomedly.dialer.engine.dialing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.welcomedly.dialer.engine.agent.Agent;
import com.welcomedly.dialer.engine.campaign.CampaignConfig;
import com.welcomedly.dialer.engine.lead.Attempt;
import com.welcomedly.dialer.engine.lead.Lead;
import com.welcomedly.dialer.engine.pacing.PacingDecision;
import com.welcomedly.dialer.engine.pacing.PacingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * AGENTLESS (voice-broadcast) campaigns end to end: real PostgreSQL, the engine's gateway over TCP
 * to the AMI simulator, which plays the agentless dialplan's part (AMDResult, UserEvent
 * DialerAgentless) for scripted callees. Every outcome is asserted on its lead.
 */
@ExtendWith(LogCapturingExtension.class)
class AgentlessCampaignIntegrationTest {

  // Scripted numbers (prefix 12127, then outcome, ring tenths, talk seconds, key):
  private static final String PRESSES_1 = "+12127005081"; // answers at 0.5 s, presses 1, talks 8 s
  private static final String PRESSES_9 = "+12127905000"; // answers at 0.5 s, presses the opt-out
  private static final String MACHINE = "+12127205000"; // a machine answers at 0.5 s
  private static final String NO_ANSWER = "+12127410000"; // rings 1 s, the callee gives up
  private static final String LISTENS = "+12127105000"; // answers at 0.5 s, presses nothing

  private static SimulatedNode node;
  private static DialingSteps steps;

  @BeforeAll
  static void start() throws Exception {
    node = SimulatedNode.start("agentless", 11);
    steps = node.steps();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  /** An AGENTLESS campaign with AMD that leaves its message on machines. */
  private static CampaignConfig agentless(Set<String> agents) {
    CampaignConfig base = DialingSteps.config(agents, true);
    return base.toBuilder()
        .pacing(
            new CampaignConfig.Pacing(
                CampaignConfig.DialMode.AGENTLESS,
                3.0,
                CampaignConfig.AbandonWindow.US_30_DAY,
                3,
                1.5,
                1))
        .amd(new CampaignConfig.Amd(true, CampaignConfig.MachineReaction.LEAVE_MESSAGE))
        .agentless(new CampaignConfig.Agentless("agentless-default", 5.0, 10, "1", "9"))
        .build();
  }

  @Test
  void everyScriptedOutcomeEndsOnItsLead() {
    String campaign = "c-agentless";
    steps.createCampaign(campaign, "Broadcast", agentless(Set.of("ag-1")));
    steps.importLead(campaign, "presses-1", PRESSES_1, 1);
    steps.importLead(campaign, "presses-9", PRESSES_9, 1);
    steps.importLead(campaign, "machine", MACHINE, 1);
    steps.importLead(campaign, "no-answer", NO_ANSWER, 1);
    steps.importLead(campaign, "listens", LISTENS, 1);
    steps.logIn("ag-1", campaign);
    steps.startCampaign(campaign);

    // Human presses 1: routed to the agent like a live answer, connected, then the agent's
    // disposition reaches the lead.
    Lead.Summary transferred = steps.awaitLead("presses-1", Lead.Status.WRAP_UP);
    Attempt call = transferred.attempts().get(0);
    assertEquals("ag-1", call.agentId());
    assertNotNull(call.answeredAt());
    assertNotNull(call.connectedAt(), "connected to an agent");
    assertTrue(
        Duration.between(call.answeredAt(), call.connectedAt()).toMillis() >= 2500,
        "the agent came after the key press, not at the answer");
    steps.agent(
        "ag-1",
        r -> new Agent.SubmitDisposition(call.attemptId(), "SALE", "broadcast", null, false, r));
    Attempt disposed = steps.awaitLead("presses-1", Lead.Status.DONE).attempts().get(0);
    assertEquals(Lead.CallOutcome.COMPLETED, disposed.outcome());
    assertEquals("SALE", disposed.dispositionCode());

    // Human presses 9: on the DNC list.
    Lead.Summary optedOut = steps.awaitAttempts("presses-9", Lead.Status.DNC, 1);
    assertEquals(Lead.DncSource.KEYPRESS_OPT_OUT, optedOut.dnc().source());
    assertEquals(Lead.CallOutcome.BROADCAST, optedOut.attempts().get(0).outcome());
    assertEquals("DNC_REQUEST", optedOut.attempts().get(0).dispositionCode());
    assertNull(optedOut.attempts().get(0).agentId(), "no agent for an opt-out");

    // Machine: the message is left after the beep; final.
    Attempt machine = steps.awaitAttempts("machine", Lead.Status.DONE, 1).attempts().get(0);
    assertEquals(Lead.CallOutcome.MACHINE, machine.outcome());
    assertEquals("MESSAGE_LEFT", machine.dispositionCode());
    assertNull(machine.agentId());

    // No answer: retried per the campaign's NO_ANSWER rule (2 h).
    Lead.Summary noAnswer = steps.awaitAttempts("no-answer", Lead.Status.QUEUED, 1);
    assertEquals(Lead.CallOutcome.NO_ANSWER, noAnswer.attempts().get(0).outcome());
    assertEquals("NO_ANSWER", noAnswer.attempts().get(0).dispositionCode());
    assertTrue(
        noAnswer.nextAttemptAt().isAfter(Instant.now().plus(Duration.ofMinutes(100))),
        "retry scheduled at " + noAnswer.nextAttemptAt());

    // A person who listens to the end: the message was delivered; final.
    Attempt listened = steps.awaitAttempts("listens", Lead.Status.DONE, 1).attempts().get(0);
    assertEquals(Lead.CallOutcome.BROADCAST, listened.outcome());
    assertEquals("MESSAGE_PLAYED", listened.dispositionCode());

    CampaignDialer.Status status = steps.dialerStatus(campaign);
    assertEquals(PacingMode.AGENTLESS, status.lastDecision().requestedMode());
    steps.eventually(() -> assertEquals(0, steps.dialerStatus(campaign).callsInFlight()));
    CampaignDialer.Totals totals = steps.dialerStatus(campaign).totals();
    assertEquals(5, totals.dials());
    assertEquals(1, totals.liveAnswers(), "only the transfer key makes a live answer");
    assertEquals(1, totals.connects());
    assertEquals(0, totals.abandons());
    for (String id : List.of("presses-1", "presses-9", "machine", "no-answer", "listens")) {
      DialingSteps.assertAllClosed(steps.lead(id));
    }
  }

  @Test
  void aTransferWithNoAgentWithinTheDeadlineIsAnAbandonToTheSafeHarborMessage() {
    String campaign = "c-agentless-abandon";
    steps.createCampaign(campaign, "Broadcast abandon", agentless(Set.of("ag-2")));
    steps.importLead(campaign, "wants-agent", "+12127005081", 1);
    steps.logIn("ag-2", campaign);
    steps.agent("ag-2", r -> new Agent.Pause(Agent.PauseReason.BREAK, r));
    steps.startCampaign(campaign);

    // Nobody is ready when the callee presses 1: 2 s later the safe-harbor message plays and the
    // call is an abandon, in the lead's history and the dialer's ledger.
    Lead.Summary lead = steps.awaitAttempts("wants-agent", Lead.Status.QUEUED, 1);
    Attempt attempt = lead.attempts().get(0);
    assertEquals(Lead.CallOutcome.ABANDONED, attempt.outcome());
    assertEquals("DROPPED", attempt.dispositionCode());
    assertNull(attempt.connectedAt());
    assertTrue(
        lead.nextAttemptAt().isAfter(Instant.now().plus(Duration.ofHours(71))),
        "post-abandon lockout until " + lead.nextAttemptAt());
    CampaignDialer.Totals totals = steps.dialerStatus(campaign).totals();
    assertEquals(1, totals.liveAnswers());
    assertEquals(1, totals.abandons());
  }

  @Test
  void atTheAbandonCapItHoldsNewCallsUntilAnAgentIsReadyToTakeATransfer() {
    String campaign = "c-agentless-cap";
    CampaignConfig oneAtATime =
        agentless(Set.of("ag-3")).toBuilder()
            .agentless(new CampaignConfig.Agentless("agentless-default", 5.0, 1, "1", "9"))
            .build();
    steps.createCampaign(campaign, "Broadcast at the cap", oneAtATime);
    // Callees who press 1 (answers at 0.5, 0.6, 0.7 s): one call at a time reads the ledger
    // before each dial.
    List<String> leads = List.of("cap-1", "cap-2", "cap-3");
    for (int i = 0; i < leads.size(); i++) {
      steps.importLead(campaign, leads.get(i), "+1212700" + (5 + i) + "081", 1);
    }
    steps.logIn("ag-3", campaign);
    steps.agent("ag-3", r -> new Agent.Pause(Agent.PauseReason.BREAK, r));
    steps.startCampaign(campaign);

    // Nobody takes the first two transfers: two abandons in two live answers put the ledger at
    // the 3 % cap ((2 + 1) / 100), and with no agent ready the third lead is not dialed.
    steps.eventually(
        () -> {
          CampaignDialer.Status status = steps.dialerStatus(campaign);
          assertEquals(2, status.totals().abandons(), status.totals().toString());
          assertEquals(0, status.callsInFlight());
          PacingDecision decision = status.lastDecision();
          assertTrue(
              decision.interlocks().contains(PacingDecision.Interlock.ABANDON_CAP_US_30_DAYS),
              decision.explain());
          assertEquals(0, decision.callsToPlace(), decision.explain());
        });
    List<String> held = leads.stream().filter(id -> steps.lead(id).attempts().isEmpty()).toList();
    assertEquals(1, held.size(), "one lead held back: " + held);
    for (String id : leads) {
      if (!held.contains(id)) {
        Attempt abandoned = steps.lead(id).attempts().get(0);
        assertEquals(Lead.CallOutcome.ABANDONED, abandoned.outcome(), id);
      }
    }

    // An agent ready for its transfer: the held lead is dialed, and its transfer connected.
    steps.agent("ag-3", Agent.Ready::new);
    Attempt call = steps.awaitLead(held.get(0), Lead.Status.WRAP_UP).attempts().get(0);
    assertEquals("ag-3", call.agentId());
    assertNotNull(call.connectedAt());
  }
}
