package com.welcomedly.dialer.api.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.welcomedly.dialer.api.AgentSocket;
import com.welcomedly.dialer.api.ApiClient;
import com.welcomedly.dialer.api.ApiClient.Response;
import com.welcomedly.dialer.api.TestNodes;
import com.welcomedly.dialer.engine.campaign.Campaign;
import com.welcomedly.dialer.engine.campaign.CampaignConfig;
import com.welcomedly.dialer.engine.compliance.CallingWindow;
import com.welcomedly.dialer.engine.lead.Lead;
import com.welcomedly.dialer.sim.AmiSimulator;
import com.welcomedly.dialer.sim.SimulatorSettings;
import java.time.Duration;
import java.time.LocalTime;
import java.util.HashSet;
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
 * Agents through the real HTTP API: creation with its login, validation and refusals, time
 * accounting, and the WebSocket channel on a real campaign dialing the AMI simulator — the agent
 * logs in over the socket, is offered and connected to a live answer, and its disposition sent over
 * the socket completes the wrap-up.
 */
@ExtendWith(LogCapturingExtension.class)
class AgentRoutesIntegrationTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final String ADMIN_PASSWORD = "admin-test-password";
  private static final String CAMPAIGN = "c-agents";
  private static final String LIVE = "+12127105020"; // the simulator answers after 0.5 s, talks 2 s

  private static AmiSimulator simulator;
  private static ActorTestKit testKit;
  private static ApiClient api;
  private static int port;
  private static String adminToken;

  @BeforeAll
  static void startNode() throws Exception {
    simulator =
        AmiSimulator.start(
            SimulatorSettings.defaults().withPort(0).withScriptPrefix("12127").withSeed(11));
    testKit = TestNodes.withSimulator("api_agents", simulator);
    port = TestNodes.start(testKit);
    api = new ApiClient(port);
    adminToken = api.login("admin", ADMIN_PASSWORD);
    createCampaign(CAMPAIGN, Set.of("ws-1"));
    createCampaign("c-other", Set.of());
  }

  @AfterAll
  static void stopNode() {
    testKit.shutdownTestKit();
    simulator.close();
  }

  @Test
  void anAgentOnTheSocketIsOfferedALiveCallAndDisposesItOverTheSocket() throws Exception {
    Response created =
        api.post(
            "/api/agents",
            adminToken,
            Map.of(
                "id", "ws-1",
                "displayName", "Wanda Socket",
                "phoneEndpoint", "PJSIP/ws-1",
                "campaigns", List.of(CAMPAIGN),
                "username", "wanda",
                "password", "wanda-pass-1"));
    assertEquals(201, created.status(), created.raw().body());
    assertEquals("/api/agents/ws-1", created.header("Location").orElseThrow());
    String token = api.login("wanda", "wanda-pass-1");
    importLead("ws-lead", LIVE, Map.of("name", "Ada Lovelace", "plan", "gold"));

    TestProbe<String> inbox = testKit.createTestProbe();
    try (AgentSocket socket = AgentSocket.open(port, "ws-1", token, inbox)) {
      socket.awaitStatus("LOGGED_OUT", TIMEOUT);
      socket.send(Map.of("type", "login"));
      JsonNode ready = socket.awaitStatus("READY", TIMEOUT);
      assertEquals("ws-1", ready.get("agentId").asText());
      assertTrue(ready.hasNonNull("since"));

      assertEquals(200, api.post("/api/campaigns/" + CAMPAIGN + "/start", adminToken, "").status());

      JsonNode offer = socket.await("offer", TIMEOUT);
      String attemptId = offer.get("attemptId").asText();
      assertEquals(CAMPAIGN, offer.get("campaignId").asText());
      assertEquals("Ada Lovelace", offer.at("/lead/name").asText());
      assertEquals("gold", offer.at("/lead/customFields/plan").asText());
      String phone = offer.at("/lead/phone").asText();
      assertTrue(phone.endsWith("5020") && !phone.contains("212710"), "masked: " + phone);

      JsonNode connected = socket.await("connected", TIMEOUT);
      assertEquals(attemptId, connected.get("attemptId").asText());
      JsonNode ended = socket.await("ended", TIMEOUT);
      assertEquals(attemptId, ended.get("attemptId").asText());
      JsonNode wrapUp = socket.await("wrapup", TIMEOUT);
      assertTrue(wrapUp.hasNonNull("deadline"));
      Set<String> codes = new HashSet<>();
      wrapUp.get("dispositions").forEach(d -> codes.add(d.get("code").asText()));
      assertTrue(codes.contains("SALE"), codes.toString());

      // A code the campaign does not know is refused on the socket with the field named.
      socket.send(Map.of("type", "disposition", "attemptId", attemptId, "disposition", "NOPE"));
      JsonNode error = socket.await("error", TIMEOUT);
      assertEquals(400, error.get("status").asInt());
      assertEquals("disposition", error.at("/errors/0/field").asText());

      socket.send(
          Map.of(
              "type",
              "disposition",
              "attemptId",
              attemptId,
              "disposition",
              "SALE",
              "notes",
              "happy"));
      JsonNode completed = socket.await("wrapupCompleted", TIMEOUT);
      assertEquals("SALE", completed.get("disposition").asText());
      assertFalse(completed.get("byTimeout").asBoolean());
      socket.awaitStatus("READY", TIMEOUT);

      // Time accounting over REST: the session saw ready, talk and wrap-up time.
      JsonNode agent = api.get("/api/agents/ws-1", token).json();
      assertEquals("READY", agent.get("status").asText());
      assertTrue(agent.at("/session/loggedInSeconds").asLong() >= 0);
      assertTrue(agent.at("/session").has("talkSeconds"));

      // Any text counts as a heartbeat; a malformed JSON message is answered with an error.
      socket.send("still here");
      socket.send("{\"type\":\"pause\",\"reason\":\"NAP\"}");
      JsonNode badPause = socket.await("error", TIMEOUT);
      assertEquals("reason", badPause.at("/errors/0/field").asText());
      socket.send(Map.of("type", "pause", "reason", "break"));
      JsonNode paused = socket.awaitStatus("PAUSED", TIMEOUT);
      assertEquals("BREAK", paused.get("pauseReason").asText());

      // A REST command by a supervisor shows on the agent's socket too.
      assertEquals(200, api.post("/api/agents/ws-1/logout", adminToken, "").status());
      socket.awaitStatus("LOGGED_OUT", TIMEOUT);
    }
  }

  @Test
  void theChannelIsRefusedBeforeTheUpgradeToOtherAgentsAndWithoutAToken() throws Exception {
    createAgent("h-1", List.of());
    Response created =
        api.post(
            "/api/agents",
            adminToken,
            Map.of(
                "id",
                "h-2",
                "displayName",
                "H2",
                "phoneEndpoint",
                "PJSIP/h-2",
                "username",
                "harry",
                "password",
                "harry-pass-1"));
    assertEquals(201, created.status(), created.raw().body());
    String harry = api.login("harry", "harry-pass-1");
    TestProbe<String> inbox = testKit.createTestProbe();
    assertEquals(403, handshakeStatus(() -> AgentSocket.open(port, "h-1", harry, inbox)));
    assertEquals(401, handshakeStatus(() -> AgentSocket.open(port, "h-1", "v1.bad.token", inbox)));
    assertEquals(404, handshakeStatus(() -> AgentSocket.open(port, "nobody", adminToken, inbox)));
    // A supervisor or admin may watch any agent's channel.
    try (AgentSocket socket = AgentSocket.open(port, "h-1", adminToken, inbox)) {
      socket.awaitStatus("LOGGED_OUT", TIMEOUT);
    }
  }

  private static int handshakeStatus(java.util.concurrent.Callable<AgentSocket> open) {
    try (AgentSocket unexpected = open.call()) {
      throw new AssertionError("the handshake should have been refused");
    } catch (java.util.concurrent.ExecutionException e) {
      return ((java.net.http.WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void badBodiesAreFieldLevelProblems() {
    Response response =
        api.post(
            "/api/agents",
            adminToken,
            Map.of("id", "bad id", "displayName", " ", "phoneEndpoint", "PJSIP/1&PJSIP/2"));
    assertEquals(400, response.status());
    assertEquals("application/problem+json", response.contentType());
    assertEquals(Set.of("id", "displayName", "phoneEndpoint"), fields(response));

    Response unknownCampaign =
        api.post(
            "/api/agents",
            adminToken,
            Map.of(
                "id",
                "v-1",
                "displayName",
                "V",
                "phoneEndpoint",
                "PJSIP/v-1",
                "campaigns",
                List.of("no-such-campaign")));
    assertEquals(400, unknownCampaign.status());
    assertEquals(Set.of("campaigns"), fields(unknownCampaign));

    Response unknownField =
        api.post("/api/agents", adminToken, Map.of("id", "v-2", "phone", "PJSIP/v-2"));
    assertEquals(400, unknownField.status());
    assertEquals(Set.of("phone"), fields(unknownField));

    Response weakPassword =
        api.post(
            "/api/agents",
            adminToken,
            Map.of(
                "id",
                "v-3",
                "displayName",
                "V",
                "phoneEndpoint",
                "PJSIP/v-3",
                "username",
                "vv",
                "password",
                "x"));
    assertEquals(Set.of("username", "password"), fields(weakPassword));
  }

  @Test
  void refusalsAreConflictsWithTheAgentsReasonAndUnknownAgentsAreNotFound() {
    createAgent("r-1", List.of("c-other"));
    assertEquals(
        409,
        api.post(
                "/api/agents",
                adminToken,
                Map.of("id", "r-1", "displayName", "Again", "phoneEndpoint", "PJSIP/r-1"))
            .status());

    Response notPaused = api.post("/api/agents/r-1/ready", adminToken, "");
    assertEquals(409, notPaused.status());
    assertTrue(notPaused.json().get("detail").asText().contains("LOGGED_OUT"));
    assertEquals(200, api.post("/api/agents/r-1/login", adminToken, "").status());
    Response twice = api.post("/api/agents/r-1/login", adminToken, "");
    assertEquals(409, twice.status());
    assertTrue(twice.json().get("detail").asText().contains("already logged in"));
    assertEquals(
        400,
        api.post("/api/agents/r-1/pause", adminToken, Map.of("reason", "DISCONNECTED")).status());
    Response paused = api.post("/api/agents/r-1/pause", adminToken, Map.of("reason", "LUNCH"));
    assertEquals(200, paused.status());
    assertEquals("LUNCH", paused.json().get("pauseReason").asText());
    assertEquals(200, api.post("/api/agents/r-1/heartbeat", adminToken, "").status());

    Response offset =
        api.post(
            "/api/agents/r-1/disposition",
            adminToken,
            Map.of(
                "attemptId",
                "a-1",
                "disposition",
                "SALE",
                "callbackAt",
                "2030-01-01T10:00:00+01:00"));
    assertEquals(400, offset.status());
    assertEquals(Set.of("callbackAt"), fields(offset));
    Response noCall =
        api.post(
            "/api/agents/r-1/disposition",
            adminToken,
            Map.of("attemptId", "a-1", "disposition", "SALE"));
    assertEquals(409, noCall.status());

    // The listing follows the agent's status and pause reason.
    testKit
        .createTestProbe()
        .awaitAssert(
            TIMEOUT,
            Duration.ofMillis(200),
            () -> {
              JsonNode items =
                  api.get("/api/agents?status=PAUSED&campaign=c-other", adminToken)
                      .json()
                      .get("items");
              assertEquals(1, items.size(), items.toString());
              assertEquals("r-1", items.get(0).get("id").asText());
              assertEquals("LUNCH", items.get(0).get("pauseReason").asText());
              return null;
            });

    for (String path : List.of("/api/agents/nobody", "/api/agents/nobody/login")) {
      Response missing =
          path.endsWith("login") ? api.post(path, adminToken, "") : api.get(path, adminToken);
      assertEquals(404, missing.status(), path);
    }
    // Not an id at all: refused at the edge before any entity.
    assertEquals(400, api.get("/api/agents/no%20such", adminToken).status());
  }

  @Test
  void adminsEditAgentsAndStaffListThem() {
    createAgent("e-1", List.of());
    Response patched =
        api.patch(
            "/api/agents/e-1",
            adminToken,
            Map.of("displayName", "Eve Edited", "campaigns", List.of("c-other")));
    assertEquals(200, patched.status(), patched.raw().body());
    assertEquals("Eve Edited", patched.json().get("displayName").asText());
    assertEquals("PJSIP/e-1", patched.json().get("phoneEndpoint").asText());
    assertEquals("c-other", patched.json().get("campaigns").get(0).asText());

    Response replacedWithoutEndpoint =
        api.put("/api/agents/e-1", adminToken, Map.of("displayName", "Eve"));
    assertEquals(400, replacedWithoutEndpoint.status());
    assertEquals(Set.of("phoneEndpoint"), fields(replacedWithoutEndpoint));
    Response replaced =
        api.put(
            "/api/agents/e-1",
            adminToken,
            Map.of("displayName", "Eve", "phoneEndpoint", "Local/e-1@agents"));
    assertEquals(200, replaced.status(), replaced.raw().body());
    assertEquals(0, replaced.json().get("campaigns").size());
    assertEquals(
        404, api.patch("/api/agents/ghost", adminToken, Map.of("displayName", "G")).status());

    testKit
        .createTestProbe()
        .awaitAssert(
            TIMEOUT,
            Duration.ofMillis(200),
            () -> {
              JsonNode page = api.get("/api/agents?status=LOGGED_OUT&limit=500", adminToken).json();
              Set<String> names = new HashSet<>();
              page.get("items").forEach(i -> names.add(i.get("displayName").asText()));
              assertTrue(names.contains("Eve"), names.toString());
              return null;
            });
    assertEquals(400, api.get("/api/agents?status=SLEEPING", adminToken).status());
  }

  // ---- helpers ----

  private static void createAgent(String id, List<String> campaigns) {
    Response response =
        api.post(
            "/api/agents",
            adminToken,
            Map.of(
                "id",
                id,
                "displayName",
                "Agent " + id,
                "phoneEndpoint",
                "PJSIP/" + id,
                "campaigns",
                campaigns));
    assertEquals(201, response.status(), response.raw().body());
  }

  /** Dials the simulator's customers around the clock; the campaign lists its agents. */
  private static void createCampaign(String id, Set<String> agents) {
    CampaignConfig d = CampaignConfig.defaults("Local/{number}@sim-customer", "+12127363100");
    CampaignConfig config =
        d.toBuilder()
            .callingWindow(CallingWindow.everyDay(LocalTime.MIN, LocalTime.MAX))
            .assignedAgents(agents)
            .build();
    TestProbe<StatusReply<Campaign.Summary>> probe = testKit.createTestProbe();
    ClusterSharding.get(testKit.system())
        .entityRefFor(Campaign.ENTITY_KEY, id)
        .tell(new Campaign.Create(id, config, "admin", probe.getRef()));
    assertTrue(probe.receiveMessage(TIMEOUT).isSuccess());
  }

  private static void importLead(String id, String number, Map<String, String> fields) {
    TestProbe<StatusReply<Lead.Summary>> probe = testKit.createTestProbe();
    ClusterSharding.get(testKit.system())
        .entityRefFor(Lead.ENTITY_KEY, id)
        .tell(
            new Lead.Import(
                CAMPAIGN, List.of(number), "America/New_York", 5, fields, probe.getRef()));
    assertTrue(probe.receiveMessage(TIMEOUT).isSuccess());
  }

  private static Set<String> fields(Response response) {
    Set<String> fields = new HashSet<>();
    response.json().get("errors").forEach(e -> fields.add(e.get("field").asText()));
    return fields;
  }
}
