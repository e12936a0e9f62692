package com.welcomedly.dialer.api.compliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.welcomedly.dialer.api.ApiClient;
import com.welcomedly.dialer.api.ApiClient.Response;
import com.welcomedly.dialer.api.TestNodes;
import com.welcomedly.dialer.engine.agent.Agent;
import com.welcomedly.dialer.engine.campaign.Campaign;
import com.welcomedly.dialer.engine.campaign.CampaignConfig;
import com.welcomedly.dialer.engine.compliance.CallingWindow;
import com.welcomedly.dialer.engine.lead.Lead;
import com.welcomedly.dialer.sim.AmiSimulator;
import com.welcomedly.dialer.sim.SimulatorSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The compliance report and the lead audit trail over real HTTP, on a node with real PostgreSQL and
 * the AMI simulator over TCP: a campaign dials one busy number; the report, its CSV and the lead's
 * audit trail show it; roles, bad periods and unknown ids get their problem documents.
 */
@ExtendWith(LogCapturingExtension.class)
class ComplianceRoutesIntegrationTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String ADMIN_PASSWORD = "admin-test-password"; // application-test.conf
  private static final String CAMPAIGN = "c-compliance";
  private static final String BUSY = "+12127300000";

  private static AmiSimulator simulator;
  private static ActorTestKit testKit;
  private static ApiClient api;
  private static String supervisor;
  private static String agentToken;
  private static Instant from;

  @BeforeAll
  static void start() throws Exception {
    simulator =
        AmiSimulator.start(
            SimulatorSettings.defaults().withPort(0).withScriptPrefix("12127").withSeed(7));
    testKit = TestNodes.withSimulator("compliance_api", simulator);
    api = new ApiClient(TestNodes.start(testKit));
    String admin = api.login("admin", ADMIN_PASSWORD);
    createUser(admin, "sup1", "supervisor-pass", Map.of("role", "SUPERVISOR"));
    createUser(admin, "agt1", "agent-password", Map.of("role", "AGENT", "agentId", "a-1"));
    supervisor = api.login("sup1", "supervisor-pass");
    agentToken = api.login("agt1", "agent-password");
    from = Instant.now().minusSeconds(1);

    CampaignConfig config =
        CampaignConfig.defaults("Local/{number}@sim-customer", "+12127363100").toBuilder()
            .callingWindow(CallingWindow.everyDay(LocalTime.MIN, LocalTime.MAX))
            .assignedAgents(Set.of("a-1"))
            .build();
    ComplianceRoutesIntegrationTest.<Campaign.Command, Campaign.Summary>step(
        Campaign.ENTITY_KEY, CAMPAIGN, r -> new Campaign.Create("Compliance", config, "sam", r));
    ComplianceRoutesIntegrationTest.<Lead.Command, Lead.Summary>step(
        Lead.ENTITY_KEY,
        "busy",
        r ->
            new Lead.Import(
                CAMPAIGN, List.of(BUSY), "America/New_York", 1, Map.<String, String>of(), r));
    ComplianceRoutesIntegrationTest.<Agent.Command, Agent.Summary>step(
        Agent.ENTITY_KEY,
        "a-1",
        r -> new Agent.Configure("Ann", "PJSIP/a-1", Set.of(CAMPAIGN), "sam", r));
    ComplianceRoutesIntegrationTest.<Agent.Command, Agent.Summary>step(
        Agent.ENTITY_KEY, "a-1", r -> new Agent.LogIn(Duration.ofHours(1), r));
    ComplianceRoutesIntegrationTest.<Campaign.Command, Campaign.Summary>step(
        Campaign.ENTITY_KEY, CAMPAIGN, r -> new Campaign.Start("sam", r));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
    simulator.close();
  }

  @Test
  void theReportShowsTheDialWithItsWindowRingTimeAndPacingHistory() throws Exception {
    JsonNode report =
        testKit
            .createTestProbe()
            .awaitAssert(
                TIMEOUT,
                Duration.ofMillis(250),
                () -> {
                  Response r = api.get(reportPath(""), supervisor);
                  assertEquals(200, r.status(), r.raw().body());
                  assertTrue(r.json().at("/callingWindow/dials").asInt() >= 1, r.raw().body());
                  return r.json();
                });
    assertEquals(CAMPAIGN, report.get("campaignId").asText());
    assertEquals(0, report.at("/callingWindow/outsideWindow").asInt());
    assertEquals(15, report.at("/ringTime/floorSeconds").asInt());
    assertEquals(20.0, report.at("/ringTime/minRingTimeoutSeconds").asDouble());
    assertEquals(0, report.at("/ringTime/dialsBelowFloor").asInt());
    assertEquals(0, report.get("abandonedCalls").size());
    assertEquals(0, report.at("/us30Days/atEnd/liveAnswers").asInt());
    assertEquals(3.0, report.get("abandonCapPercent").asDouble());
    assertEquals("sam", report.at("/pacingChanges/0/by").asText());
    assertEquals("Created", report.at("/pacingChanges/0/kind").asText());

    Response csv = api.get(reportPath(".csv"), supervisor);
    assertEquals(200, csv.status());
    assertTrue(csv.contentType().startsWith("text/csv"), csv.contentType());
    String body = csv.raw().body();
    assertTrue(body.startsWith("section,at,lead_id,attempt_id,item,value,detail"), body);
    assertTrue(body.contains("calling_window,,,,outside_window,0,"), body);
    assertTrue(body.contains("ring_time,,,,dials_below_floor,0,"), body);
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target", "compliance-report-example.csv"), body);
  }

  @Test
  void theAuditTrailListsEveryEventWithWhoAndTheFullNumber() {
    JsonNode audit =
        testKit
            .createTestProbe()
            .awaitAssert(
                TIMEOUT,
                Duration.ofMillis(250),
                () -> {
                  Response r = api.get("/api/leads/busy/audit", supervisor);
                  assertEquals(200, r.status(), r.raw().body());
                  assertTrue(
                      r.raw().body().contains("\"CallEnded\""), "the busy call ended: " + r.json());
                  return r.json();
                });
    List<String> events = new ArrayList<>();
    audit.get("events").forEach(e -> events.add(e.get("event").asText()));
    assertEquals(List.of("Imported", "Reserved", "DialStarted", "CallEnded"), events.subList(0, 4));
    JsonNode ended = audit.at("/events/3");
    assertEquals("BUSY", ended.get("outcome").asText());
    assertEquals("BUSY", ended.get("disposition").asText());
    assertEquals(BUSY, ended.get("number").asText());
    assertEquals("dialer", ended.get("by").asText());
    assertEquals(audit.at("/events/1/attemptId"), ended.get("attemptId"));

    Response csv = api.get("/api/leads/busy/audit.csv", supervisor);
    assertEquals(200, csv.status());
    assertTrue(
        csv.raw()
            .body()
            .startsWith(
                "sequence_nr,at,event,by,attempt_id,number,outcome,agent_id,disposition,detail"));
    assertTrue(csv.raw().body().contains(",DialStarted,dialer,"), csv.raw().body());
  }

  @Test
  void rolesPeriodsAndUnknownIdsAreAnsweredWithProblems() {
    assertEquals(403, api.get(reportPath(""), agentToken).status());
    assertEquals(403, api.get("/api/leads/busy/audit", agentToken).status());
    assertEquals(401, api.get("/api/leads/busy/audit.csv", null).status());
    Response badFrom =
        api.get("/api/campaigns/" + CAMPAIGN + "/compliance?from=yesterday", supervisor);
    assertEquals(400, badFrom.status());
    assertEquals("application/problem+json", badFrom.contentType());
    assertEquals("from", badFrom.json().at("/errors/0/field").asText());
    Response reversed =
        api.get(
            "/api/campaigns/"
                + CAMPAIGN
                + "/compliance?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z",
            supervisor);
    assertEquals(400, reversed.status());
    assertEquals(404, api.get("/api/campaigns/no-such/compliance", supervisor).status());
    assertEquals(404, api.get("/api/leads/no-such/audit", supervisor).status());
  }

  private static String reportPath(String suffix) {
    return "/api/campaigns/" + CAMPAIGN + "/compliance" + suffix + "?from=" + from;
  }

  private static <C, R> void step(
      EntityTypeKey<C> key, String id, Function<ActorRef<StatusReply<R>>, C> command) {
    TestProbe<StatusReply<R>> probe = testKit.createTestProbe();
    ClusterSharding.get(testKit.system()).entityRefFor(key, id).tell(command.apply(probe.getRef()));
    StatusReply<R> reply = probe.receiveMessage(TIMEOUT);
    assertTrue(reply.isSuccess(), () -> reply.getError().getMessage());
  }

  private static void createUser(
      String admin, String username, String password, Map<String, String> more) {
    Map<String, String> body = new HashMap<>(more);
    body.put("username", username);
    body.put("password", password);
    Response created = api.post("/api/users", admin, body);
    assertEquals(201, created.status(), created.raw().body());
  }
}
