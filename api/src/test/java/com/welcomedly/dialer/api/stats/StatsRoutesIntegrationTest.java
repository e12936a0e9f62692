package com.welcomedly.dialer.api.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.welcomedly.dialer.api.ApiClient;
import com.welcomedly.dialer.api.ApiClient.Response;
import com.welcomedly.dialer.api.SupervisorSocket;
import com.welcomedly.dialer.api.TestNodes;
import com.welcomedly.dialer.engine.agent.Agent;
import com.welcomedly.dialer.engine.campaign.Campaign;
import com.welcomedly.dialer.engine.campaign.CampaignConfig;
import com.welcomedly.dialer.engine.compliance.CallingWindow;
import com.welcomedly.dialer.engine.lead.Lead;
import com.welcomedly.dialer.sim.AmiSimulator;
import com.welcomedly.dialer.sim.SimulatorSettings;
import java.time.Duration;
import java.time.LocalTime;
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
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The statistics endpoints and the supervisor's WebSocket over real sockets, on a node with real
 * PostgreSQL and the AMI simulator over TCP: a progressive campaign with one agent dials a live
 * number (connected, dispositioned) and a busy one, and the stream and the read model show it.
 */
@ExtendWith(LogCapturingExtension.class)
class StatsRoutesIntegrationTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String ADMIN_PASSWORD = "admin-test-password"; // application-test.conf
  private static final String CAMPAIGN = "c-stats";
  private static final String LIVE = "+12127105020"; // answers after 0.5 s, talks 2 s
  private static final String BUSY = "+12127300000";

  private static AmiSimulator simulator;
  private static ActorTestKit testKit;
  private static ApiClient api;
  private static int port;
  private static String supervisor;
  private static String agentToken;
  private static SupervisorSocket stream;

  @BeforeAll
  static void start() throws Exception {
    simulator =
        AmiSimulator.start(
            SimulatorSettings.defaults().withPort(0).withScriptPrefix("12127").withSeed(7));
    testKit = TestNodes.withSimulator("stats_api", simulator);
    port = TestNodes.start(testKit);
    api = new ApiClient(port);
    String admin = api.login("admin", ADMIN_PASSWORD);
    createUser(admin, "sup1", "supervisor-pass", Map.of("role", "SUPERVISOR"));
    createUser(admin, "agt1", "agent-password", Map.of("role", "AGENT", "agentId", "a-1"));
    supervisor = api.login("sup1", "supervisor-pass");
    agentToken = api.login("agt1", "agent-password");

    campaign(r -> new Campaign.Create("Stats", config(Set.of("a-1")), "sam", r));
    importLead("live", LIVE, 5);
    importLead("busy", BUSY, 1);
    agent(r -> new Agent.Configure("Ann", "PJSIP/a-1", Set.of(CAMPAIGN), "sam", r));
    agent(r -> new Agent.LogIn(Duration.ofHours(1), r));
    // The supervisor watches from before the start: every call step must reach the socket.
    stream = SupervisorSocket.open(port, CAMPAIGN, "?access_token=" + supervisor);
    campaign(r -> new Campaign.Start("sam", r));

    // The live call reaches the agent; the agent's disposition goes to the lead.
    Lead.Summary live = awaitLead("live", Lead.Status.WRAP_UP);
    String attemptId = live.attempts().get(0).attemptId();
    agent(r -> new Agent.SubmitDisposition(attemptId, "SALE", "ok", null, false, r));
    awaitLead("live", Lead.Status.DONE);
  }

  @AfterAll
  static void stop() {
    if (stream != null) {
      stream.close();
    }
    testKit.shutdownTestKit();
    simulator.close();
  }

  @Test
  void theSupervisorStreamPushesStatsPacingAgentsAndCalls() {
    TestProbe<Void> probe = testKit.createTestProbe();
    probe.awaitAssert(
        TIMEOUT,
        Duration.ofMillis(200),
        () -> {
          assertTrue(stream.ofType("stats").size() >= 2, "stats every second");
          assertFalse(stream.ofType("pacing").isEmpty(), "pacing");
          assertFalse(stream.ofType("agents").isEmpty(), "agents");
          List<String> steps =
              stream.ofType("call").stream()
                  .filter(m -> m.path("leadId").asText().equals("live"))
                  .map(m -> m.get("event").asText())
                  .toList();
          assertTrue(
              steps.containsAll(
                  List.of("dialed", "answered", "connected", "ended", "dispositioned")),
              "call steps " + steps);
          List<String> busy =
              stream.ofType("call").stream()
                  .filter(m -> m.path("leadId").asText().equals("busy"))
                  .map(m -> m.get("event").asText() + ":" + m.path("outcome").asText())
                  .toList();
          assertTrue(busy.contains("ended:BUSY"), "busy call " + busy);
          return null;
        });
    JsonNode dialed =
        stream.ofType("call").stream()
            .filter(m -> m.get("event").asText().equals("dialed"))
            .filter(m -> m.get("leadId").asText().equals("live"))
            .findFirst()
            .orElseThrow();
    String number = dialed.get("number").asText();
    assertFalse(number.contains("7105020"), "masked: " + number);
    assertTrue(number.endsWith("5020"), "last digits kept: " + number);
    JsonNode dispositioned =
        stream.ofType("call").stream()
            .filter(m -> m.get("event").asText().equals("dispositioned"))
            .findFirst()
            .orElseThrow();
    assertEquals("SALE", dispositioned.get("disposition").asText());
    assertEquals("SUCCESS", dispositioned.get("category").asText());
    assertEquals("a-1", dispositioned.get("agentId").asText());

    JsonNode pacing = stream.ofType("pacing").get(0);
    assertEquals("PROGRESSIVE", pacing.get("mode").asText());
    assertTrue(pacing.get("explain").asText().startsWith("PROGRESSIVE"));
    JsonNode board = stream.ofType("agents").get(0).get("agents").get(0);
    assertEquals("a-1", board.get("id").asText());
    assertEquals("Ann", board.get("name").asText());
    assertNotNull(board.get("since"));
    JsonNode stats = stream.ofType("stats").get(0).get("stats");
    assertEquals(CAMPAIGN, stats.get("campaignId").asText());
    assertTrue(stats.has("abandonRate"));
  }

  @Test
  void statsShowTheDialerTheAgentsAndTheReadModel() {
    TestProbe<Void> probe = testKit.createTestProbe();
    JsonNode stats =
        probe.awaitAssert(
            TIMEOUT,
            Duration.ofMillis(300),
            () -> {
              Response response = api.get("/api/campaigns/" + CAMPAIGN + "/stats", supervisor);
              assertEquals(200, response.status(), response.raw().body());
              JsonNode json = response.json();
              assertEquals(2, json.at("/totals/dials").asInt());
              assertEquals(1, json.at("/totals/connects").asInt());
              assertEquals(1, json.at("/dispositionsByCategory/SUCCESS").asInt());
              assertEquals(1, json.at("/outcomes/BUSY").asInt());
              assertEquals(1, json.at("/agents/0/time/callsHandled").asInt());
              return json;
            });
    assertEquals("ACTIVE", stats.get("status").asText());
    assertTrue(stats.at("/dialer/pbxUp").asBoolean());
    assertEquals("PROGRESSIVE", stats.at("/dialer/pacing/effectiveMode").asText());
    assertTrue(stats.at("/dialer/totals/dials").asInt() >= 2);
    // The dialer's latency windows (docs/throughput.md): the connected call was measured.
    assertTrue(stats.at("/dialer/latency/answer_to_bridge/samples").asInt() >= 1, "latency");
    assertTrue(stats.at("/dialer/latency/reserve_lead/p99Ms").asDouble() > 0, "latency");
    assertTrue(stats.at("/dialer/admissionRate").asDouble() > 0, "admission rate");
    assertEquals(6, stats.get("agentsByState").size(), "every state listed");
    assertEquals(1, stats.at("/abandonRate/uk24Hours/liveAnswers").asInt());
    assertEquals(0.0, stats.at("/abandonRate/us30Days/abandonPercent").asDouble());
    assertEquals(24, stats.at("/abandonRate/uk24Hours/windowHours").asInt());
    assertTrue(stats.get("averageTalkSeconds").asDouble() > 0, "talk time accounted");
  }

  @Test
  void hourlyAndCsvExportHoldTheHoursFigures() {
    TestProbe<Void> probe = testKit.createTestProbe();
    probe.awaitAssert(
        TIMEOUT,
        Duration.ofMillis(300),
        () -> {
          Response hourly = api.get("/api/campaigns/" + CAMPAIGN + "/stats/hourly", supervisor);
          assertEquals(200, hourly.status(), hourly.raw().body());
          JsonNode hours = hourly.json().get("hours");
          assertEquals(2, sum(hours, "/funnel/dials"));
          assertEquals(1, sum(hours, "/dispositionsByCategory/SUCCESS"));
          return null;
        });

    Response campaignCsv =
        api.get("/api/campaigns/" + CAMPAIGN + "/stats/export.csv?by=campaign", supervisor);
    assertEquals(200, campaignCsv.status());
    assertTrue(campaignCsv.contentType().startsWith("text/csv"), campaignCsv.contentType());
    List<String> lines = campaignCsv.raw().body().lines().toList();
    assertEquals(String.join(",", StatsCsv.CAMPAIGN_HEADER), lines.get(0));
    assertTrue(lines.size() >= 2, "one row per active hour");
    assertTrue(lines.get(1).startsWith(CAMPAIGN + ","), lines.get(1));

    probe.awaitAssert(
        TIMEOUT,
        Duration.ofMillis(300),
        () -> {
          Response agentCsv =
              api.get("/api/campaigns/" + CAMPAIGN + "/stats/export.csv?by=agent", supervisor);
          assertEquals(200, agentCsv.status());
          List<String> rows = agentCsv.raw().body().lines().toList();
          assertEquals(String.join(",", StatsCsv.AGENT_HEADER), rows.get(0));
          assertTrue(rows.stream().skip(1).anyMatch(r -> r.startsWith("a-1," + CAMPAIGN + ",")));
          return null;
        });
  }

  @Test
  void authRolesUnknownCampaignsAndBadQueries() throws Exception {
    String base = "/api/campaigns/" + CAMPAIGN + "/stats";
    assertEquals(401, api.get(base, null).status());
    assertEquals(403, api.get(base, agentToken).status());
    assertEquals(403, api.get(base + "/export.csv", agentToken).status());
    Response unknown = api.get("/api/campaigns/nope/stats", supervisor);
    assertEquals(404, unknown.status());
    assertEquals("application/problem+json", unknown.contentType());
    assertEquals(404, api.get("/api/campaigns/nope/stats/hourly", supervisor).status());

    Response badBy = api.get(base + "/export.csv?by=team", supervisor);
    assertEquals(400, badBy.status());
    assertEquals("by", badBy.json().at("/errors/0/field").asText());
    Response badFrom = api.get(base + "/hourly?from=yesterday", supervisor);
    assertEquals(400, badFrom.status());
    assertEquals("from", badFrom.json().at("/errors/0/field").asText());
    Response reversed =
        api.get(base + "/hourly?from=2026-11-22T10:00:00Z&to=2026-11-22T09:00:00Z", supervisor);
    assertEquals(400, reversed.status());
    Response tooLong =
        api.get(base + "/hourly?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", supervisor);
    assertEquals(400, tooLong.status());

    assertEquals(401, SupervisorSocket.refusal(port, CAMPAIGN, ""));
    assertEquals(401, SupervisorSocket.refusal(port, CAMPAIGN, "?access_token=forged"));
    assertEquals(403, SupervisorSocket.refusal(port, CAMPAIGN, "?access_token=" + agentToken));
    assertEquals(404, SupervisorSocket.refusal(port, "nope", "?access_token=" + supervisor));
  }

  // ---- set-up through the entities ----

  private static CampaignConfig config(Set<String> agents) {
    CampaignConfig d = CampaignConfig.defaults("Local/{number}@sim-customer", "+12127363100");
    return d.toBuilder()
        .callingWindow(CallingWindow.everyDay(LocalTime.MIN, LocalTime.MAX))
        .amd(new CampaignConfig.Amd(false, CampaignConfig.MachineReaction.HANG_UP))
        .assignedAgents(agents)
        .build();
  }

  @Test
  void theLeaderboardScoresTheSaleAndTheLeadShowsTheCallSummary() {
    String base = "/api/campaigns/" + CAMPAIGN + "/leaderboard";
    TestProbe<Void> probe = testKit.createTestProbe();
    JsonNode board =
        probe.awaitAssert(
            TIMEOUT,
            Duration.ofMillis(200),
            () -> {
              Response response = api.get(base + "?period=campaign", supervisor);
              assertEquals(200, response.status(), response.raw().body());
              assertEquals(1, response.json().get("standings").size(), response.raw().body());
              return response.json();
            });
    JsonNode first = board.get("standings").get(0);
    assertEquals("a-1", first.get("agentId").asText());
    assertEquals(1, first.get("rank").asInt());
    // SALE: contact 1 + success 5 + on-time wrap-up 1; the 2 s call earns no talk minute.
    assertEquals(7, first.get("points").asLong());
    assertEquals("FIRST_SALE", first.get("badges").get(0).asText());
    assertEquals("campaign", board.get("period").asText());
    assertEquals(200, api.get(base, supervisor).status());
    assertEquals(200, api.get(base + "?period=week", supervisor).status());
    assertEquals(403, api.get(base, agentToken).status());
    assertEquals(401, api.get(base, null).status());
    assertEquals(400, api.get(base + "?period=month", supervisor).status());
    assertEquals(404, api.get("/api/campaigns/nope/leaderboard", supervisor).status());
    // The supervisor stream pushes today's standings once they include the sale.
    probe.awaitAssert(
        TIMEOUT,
        Duration.ofMillis(200),
        () -> {
          List<JsonNode> boards = stream.ofType("leaderboard");
          assertFalse(boards.isEmpty(), "leaderboard messages");
          JsonNode latest = boards.get(boards.size() - 1);
          assertEquals("today", latest.get("period").asText());
          assertEquals("a-1", latest.get("standings").get(0).get("agentId").asText());
          assertEquals(7, latest.get("standings").get(0).get("points").asLong());
          return null;
        });

    JsonNode attempt =
        probe.awaitAssert(
            TIMEOUT,
            Duration.ofMillis(200),
            () -> {
              Response lead = api.get("/api/leads/live", supervisor);
              assertEquals(200, lead.status(), lead.raw().body());
              JsonNode a = lead.json().get("attempts").get(0);
              assertFalse(a.get("summary").isNull(), lead.raw().body());
              return a;
            });
    assertEquals("built-in", attempt.get("summarizer").asText());
    assertTrue(
        attempt.get("summary").asText().startsWith("SALE (success) after "),
        attempt.get("summary").asText());
  }

  private static void campaign(
      Function<ActorRef<StatusReply<Campaign.Summary>>, Campaign.Command> command) {
    TestProbe<StatusReply<Campaign.Summary>> probe = testKit.createTestProbe();
    ClusterSharding.get(testKit.system())
        .entityRefFor(Campaign.ENTITY_KEY, CAMPAIGN)
        .tell(command.apply(probe.getRef()));
    StatusReply<Campaign.Summary> reply = probe.receiveMessage(TIMEOUT);
    assertTrue(reply.isSuccess(), () -> reply.getError().getMessage());
  }

  private static void agent(Function<ActorRef<StatusReply<Agent.Summary>>, Agent.Command> command) {
    TestProbe<StatusReply<Agent.Summary>> probe = testKit.createTestProbe();
    ClusterSharding.get(testKit.system())
        .entityRefFor(Agent.ENTITY_KEY, "a-1")
        .tell(command.apply(probe.getRef()));
    StatusReply<Agent.Summary> reply = probe.receiveMessage(TIMEOUT);
    assertTrue(reply.isSuccess(), () -> reply.getError().getMessage());
  }

  private static void importLead(String leadId, String number, int priority) {
    TestProbe<StatusReply<Lead.Summary>> probe = testKit.createTestProbe();
    ClusterSharding.get(testKit.system())
        .entityRefFor(Lead.ENTITY_KEY, leadId)
        .tell(
            new Lead.Import(
                CAMPAIGN, List.of(number), "America/New_York", priority, Map.of(), probe.getRef()));
    assertTrue(probe.receiveMessage(TIMEOUT).isSuccess());
  }

  private static Lead.Summary awaitLead(String leadId, Lead.Status status) {
    TestProbe<Lead.Summary> probe = testKit.createTestProbe();
    return probe.awaitAssert(
        TIMEOUT,
        Duration.ofMillis(200),
        () -> {
          ClusterSharding.get(testKit.system())
              .entityRefFor(Lead.ENTITY_KEY, leadId)
              .tell(new Lead.GetSummary(probe.getRef()));
          Lead.Summary summary = probe.receiveMessage(TIMEOUT);
          assertEquals(status, summary.status(), leadId);
          return summary;
        });
  }

  private static void createUser(
      String admin, String username, String password, Map<String, String> more) {
    Map<String, String> body = new HashMap<>(more);
    body.put("username", username);
    body.put("password", password);
    Response created = api.post("/api/users", admin, body);
    assertEquals(201, created.status(), created.raw().body());
  }

  private static int sum(JsonNode hours, String pointer) {
    int total = 0;
    for (JsonNode hour : hours) {
      total += hour.at(pointer).asInt();
    }
    return total;
  }
}
