package com.welcomedly.dialer.engine.dialing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import com.welcomedly.dialer.engine.Engine;
import com.welcomedly.dialer.engine.campaign.CampaignConfig;
import com.welcomedly.dialer.engine.evidence.ComplianceQuery;
import com.welcomedly.dialer.engine.evidence.ComplianceReport;
import com.welcomedly.dialer.engine.evidence.LeadAuditTrail;
import com.welcomedly.dialer.engine.pacing.PacingDecision;
import com.welcomedly.dialer.engine.persistence.JdbcPool;
import com.welcomedly.dialer.engine.persistence.TestDatabase;
import com.welcomedly.dialer.engine.projection.HopperQuery;
import com.welcomedly.dialer.sim.AmiSimulator;
import com.welcomedly.dialer.sim.SimulatorSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Admission control and the connect deadline through the real parts (node, journal, AMI simulator
 * over TCP): a burst of ready agents is admitted along the ramp, never all at once, and the dialer
 * reports its latencies; a bridge later than the connect deadline is an abandon, for the dialer and
 * for the read models built from the Lead's events.
 */
@ExtendWith(LogCapturingExtension.class)
class AdmissionControlIntegrationTest {

  // Admission small enough to see: from 2 up to 4 originates per second, one at a time.
  private static final int FLOOR = 2;
  private static final double GROWTH = 2.0;
  private static final int CEILING = 4;
  private static final int MAX_IN_FLIGHT =
      com.typesafe.config.ConfigFactory.load()
          .getInt("dialer.dialing.admission.max-persists-in-flight");
  private static final String BUSY = "+12127300%02d0"; // busy at once (scripted, sim/README.md)

  private static AmiSimulator simulator;
  private static ActorTestKit testKit;
  private static DialingSteps steps;

  @BeforeAll
  static void start() throws Exception {
    simulator =
        AmiSimulator.start(
            SimulatorSettings.defaults().withPort(0).withScriptPrefix("12127").withSeed(18));
    testKit =
        DialingSteps.startNode(
            "admission",
            TestDatabase.fresh("dialer_admission"),
            simulator.port(),
            ConfigFactory.parseMap(
                Map.of(
                    "dialer.dialing.admission.floor-per-second",
                    FLOOR,
                    "dialer.dialing.admission.growth-per-second",
                    GROWTH,
                    "dialer.dialing.admission.ceiling-per-second",
                    CEILING)));
    Cluster cluster = Cluster.get(testKit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    DialingSteps.awaitUp(testKit);
    Engine.init(testKit.system());
    steps = new DialingSteps(testKit);
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
    simulator.close();
  }

  @Test
  void aBurstOfReadyAgentsIsAdmittedWindowByWindowAlongTheRampNotAllAtOnce() {
    String campaign = "c-burst";
    List<String> agents = IntStream.rangeClosed(1, 8).mapToObj(i -> "burst-agent-" + i).toList();
    steps.createCampaign(campaign, "Burst", DialingSteps.config(Set.copyOf(agents), false));
    List<String> leads = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      String id = "burst-" + i;
      steps.importLead(campaign, id, String.format(Locale.ROOT, BUSY, i), 1);
      leads.add(id);
    }
    agents.forEach(a -> steps.logIn(a, campaign));
    // Eight agents ready at once: progressive wants eight calls at the first decision.
    steps.startCampaign(campaign);

    steps.eventually(
        () -> leads.forEach(id -> assertEquals(1, steps.lead(id).attempts().size(), id)));
    CampaignDialer.Status status = steps.dialerStatus(campaign);
    // Counted per admission window on the dialer's own clock, so these hold however fast or slow
    // the machine is: no window admits more than its rate allows, and the rate only climbs by
    // the growth factor over what the previous second admitted.
    List<AdmissionWindow> windows = status.admissionWindows();
    assertEquals(FLOOR, windows.get(0).rate(), "the burst starts at the floor: " + windows);
    assertTrue(windows.get(0).admitted() < agents.size(), "never all at once: " + windows);
    long admitted = 0;
    for (int i = 0; i < windows.size(); i++) {
      AdmissionWindow window = windows.get(i);
      admitted += window.admitted();
      assertTrue(window.rate() >= FLOOR && window.rate() <= CEILING, "rate of " + window);
      // A full bucket (a quarter second's calls, at least one) plus one second's refill.
      int most = (int) Math.floor(Math.max(1, window.rate() / 4) + window.rate());
      assertTrue(window.admitted() <= most, window + " admitted more than " + most);
      if (i > 0) {
        AdmissionWindow previous = windows.get(i - 1);
        boolean next = previous.start().plusSeconds(1).equals(window.start());
        // After a second with nothing asked the ramp starts again from the floor (or keeps its
        // rate when the dialer still wanted calls: a slow decision); a second held back by the
        // persists-in-flight bound keeps its rate.
        double allowed =
            next ? Math.max(FLOOR, GROWTH * previous.admitted()) : Math.max(FLOOR, previous.rate());
        if (next && previous.inFlightPeak() >= MAX_IN_FLIGHT) {
          allowed = Math.max(allowed, previous.rate());
        }
        assertTrue(window.rate() <= allowed, window + " after " + previous);
      }
    }
    assertTrue(
        admitted >= status.totals().dials(),
        "every dial was admitted: " + admitted + " for " + status.totals().dials() + " dials");
    assertTrue(status.admissionRate() <= CEILING, "rate " + status.admissionRate());
    assertNotNull(status.latency().get("reserve_lead"), "lead reservations measured");
    assertNotNull(status.latency().get("decision"), "decisions measured");
  }

  @Test
  void aBridgeLaterThanTheConnectDeadlineIsCountedAsAnAbandonNotAConnect() {
    String campaign = "c-late-bridge";
    Set<String> agents = Set.of("late-agent-1", "late-agent-2");
    CampaignConfig config =
        DialingSteps.config(agents, false).toBuilder()
            .pacing(
                new CampaignConfig.Pacing(
                    CampaignConfig.DialMode.POWER,
                    3.0,
                    CampaignConfig.AbandonWindow.US_30_DAY,
                    3,
                    1.5,
                    1))
            .build();
    steps.createCampaign(campaign, "Late bridge", config);
    // Live people who answer after 0.5 s and stay on the line for 30 s.
    steps.importLead(campaign, "late-1", "+12127105301", 1);
    steps.importLead(campaign, "late-2", "+12127105302", 1);
    agents.forEach(a -> steps.logIn(a, campaign));
    // The PBX enters each bridge 3 s after the Bridge action: always past the 2-second connect
    // deadline, however fast the node is. The agent reserved for the call is not taken back (the
    // deadline timer leaves a call being bridged alone), so the caller does reach an agent.
    simulator.setBridgeDelaySeconds(3.0);
    try {
      steps.startCampaign(campaign);
      steps.eventually(
          () -> {
            CampaignDialer.Status status = steps.dialerStatus(campaign);
            assertEquals(2, status.totals().liveAnswers(), status.totals().toString());
            assertEquals(2, status.totals().abandons(), "late bridges are abandons");
            assertEquals(0, status.totals().connects(), "not connects");
            // The ledger saw both: two abandons in two live answers trip the abandon-cap
            // interlock of the next decision (3 % charged against 100 answers: (2 + 1) / 100).
            PacingDecision decision = status.lastDecision();
            assertNotNull(decision);
            assertTrue(
                decision.interlocks().contains(PacingDecision.Interlock.ABANDON_CAP_UK_24_HOURS),
                decision.explain());
            for (String id : List.of("late-1", "late-2")) {
              assertNotNull(steps.lead(id).attempts().get(0).connectedAt(), id + " bridged");
            }
          });
    } finally {
      simulator.setBridgeDelaySeconds(0);
    }
    // The read models agree with the dialer: the Lead's connect event says it was late.
    lateConnectsAreAbandonsInTheReadModels(campaign, List.of("late-1", "late-2"));
  }

  private static void lateConnectsAreAbandonsInTheReadModels(String campaign, List<String> leads) {
    Instant from = Instant.now().minus(Duration.ofHours(1));
    Instant to = Instant.now().plus(Duration.ofHours(1));
    LeadAuditTrail trail = new LeadAuditTrail(testKit.system());
    HopperQuery hopper = new HopperQuery(JdbcPool.get(testKit.system()));
    ComplianceQuery compliance = new ComplianceQuery(JdbcPool.get(testKit.system()));
    steps.eventually(
        () -> {
          // (1) The audit trail shows the late connect.
          for (String id : leads) {
            List<LeadAuditTrail.Entry> connects =
                trail.of(id).toCompletableFuture().join().stream()
                    .filter(e -> e.event().equals("AgentConnected"))
                    .toList();
            assertEquals(1, connects.size(), id);
            assertEquals(LeadAuditTrail.LATE_CONNECT, connects.get(0).detail(), id);
          }
          // (2) The live answers a moved or restarted dialer seeds its ledger from are abandons.
          List<HopperQuery.LiveAnswer> answers =
              hopper.liveAnswers(campaign, from, to).toCompletableFuture().join();
          assertEquals(2, answers.size(), answers.toString());
          assertTrue(
              answers.stream().allMatch(HopperQuery.LiveAnswer::abandoned), answers::toString);
          // (3) The compliance report counts them as abandons, listed as late connects.
          ComplianceReport report =
              compliance.report(campaign, from, to).toCompletableFuture().join();
          assertEquals(2, report.uk24Hours().atEnd().liveAnswers(), report.uk24Hours().toString());
          assertEquals(2, report.uk24Hours().atEnd().abandons(), report.uk24Hours().toString());
          assertEquals(2, report.us30Days().atEnd().abandons(), report.us30Days().toString());
          assertEquals(
              List.of(
                  ComplianceReport.AbandonedCall.LATE_CONNECT,
                  ComplianceReport.AbandonedCall.LATE_CONNECT),
              report.abandonedCalls().stream()
                  .map(ComplianceReport.AbandonedCall::safeHarbor)
                  .toList());
          assertTrue(report.lockouts().isEmpty(), "a late connect is no lockout");
        });
  }
}
