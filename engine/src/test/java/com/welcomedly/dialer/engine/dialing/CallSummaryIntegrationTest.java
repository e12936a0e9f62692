package com.welcomedly.dialer.engine.dialing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import com.welcomedly.dialer.engine.Engine;
import com.welcomedly.dialer.engine.agent.Agent;
import com.welcomedly.dialer.engine.lead.Attempt;
import com.welcomedly.dialer.engine.lead.Lead;
import com.welcomedly.dialer.engine.persistence.TestDatabase;
import com.welcomedly.dialer.engine.summary.SummaryStub;
import com.welcomedly.dialer.sim.AmiSimulator;
import com.welcomedly.dialer.sim.SimulatorSettings;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Connected calls over the AMI simulator end with a summary on their attempt: the HTTP summarizer
 * (a stub service on a real socket) writes it; when that service answers 500 the built-in summary
 * is stored instead, and the disposition reached the lead regardless.
 */
@ExtendWith(LogCapturingExtension.class)
class CallSummaryIntegrationTest {

  private static final String CAMPAIGN = "c-summary";
  private static final String LIVE_1 = "+12127105020"; // answers after 0.5 s, talks 2 s
  private static final String LIVE_2 = "+12127105021";

  private static SummaryStub stub;
  private static AmiSimulator simulator;
  private static ActorTestKit testKit;
  private static DialingSteps steps;

  @BeforeAll
  static void start() throws Exception {
    stub = new SummaryStub();
    simulator =
        AmiSimulator.start(
            SimulatorSettings.defaults().withPort(0).withScriptPrefix("12127").withSeed(16));
    testKit =
        DialingSteps.startNode(
            "summary",
            TestDatabase.fresh("dialer_summary"),
            simulator.port(),
            ConfigFactory.parseMap(
                Map.of(
                    "dialer.summary.summarizer", "http",
                    "dialer.summary.http.url", stub.uri("/ok").toString(),
                    "dialer.summary.http.api-key", "sk-integration",
                    "dialer.summary.recordings-dir", "/var/spool/asterisk/monitor/dialer")));
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
    stub.close();
  }

  @Test
  void connectedCallsEndWithASummaryFromTheServiceOrTheBuiltInFallback() {
    steps.createCampaign(CAMPAIGN, "Summaries", DialingSteps.config(Set.of("a-1", "a-2"), false));
    steps.importLead(CAMPAIGN, "sum-1", LIVE_1, 5);
    steps.importLead(CAMPAIGN, "sum-2", LIVE_2, 5);
    steps.logIn("a-1", CAMPAIGN);
    steps.logIn("a-2", CAMPAIGN);
    steps.startCampaign(CAMPAIGN);

    dispose("sum-1", "gold plan, signed");
    dispose("sum-2", "fail-500 for the stub");

    Attempt fromService = summarized("sum-1");
    assertEquals("Stub summary of SALE", fromService.summary());
    assertEquals("http", fromService.summarizer());

    Attempt fallback = summarized("sum-2");
    assertEquals("built-in", fallback.summarizer());
    assertTrue(fallback.summary().startsWith("SALE (success) after "), fallback.summary());
    assertTrue(fallback.summary().endsWith("Notes: fail-500 for the stub"), fallback.summary());
    assertEquals(Lead.Status.DONE, steps.lead("sum-2").status());

    // The service got the recording path and the key; it never got a phone number.
    assertTrue(
        stub.received.stream()
            .allMatch(
                r ->
                    "Bearer sk-integration".equals(r.authorization())
                        && r.body().contains("/var/spool/asterisk/monitor/dialer/")
                        && !r.body().contains("2127105")));
  }

  private static void dispose(String leadId, String notes) {
    Attempt attempt = steps.awaitLead(leadId, Lead.Status.WRAP_UP).attempts().get(0);
    assertNotNull(attempt.connectedAt(), "connected to an agent");
    steps.agent(
        attempt.agentId(),
        r -> new Agent.SubmitDisposition(attempt.attemptId(), "SALE", notes, null, false, r));
  }

  private static Attempt summarized(String leadId) {
    return testKit
        .createTestProbe()
        .awaitAssert(
            DialingSteps.TIMEOUT,
            java.time.Duration.ofMillis(200),
            () -> {
              Attempt attempt = steps.lead(leadId).attempts().get(0);
              assertEquals("SALE", attempt.dispositionCode());
              assertNotNull(attempt.summary(), leadId + " not summarized yet");
              return attempt;
            });
  }
}
