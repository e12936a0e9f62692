package com.welcomedly.dialer.api.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.welcomedly.dialer.api.ApiClient;
import com.welcomedly.dialer.api.ApiClient.Response;
import com.welcomedly.dialer.api.Main;
import com.welcomedly.dialer.api.TestNodes;
import com.welcomedly.dialer.engine.persistence.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The campaign endpoints over a real socket, on a real node and real PostgreSQL. */
@ExtendWith(LogCapturingExtension.class)
class CampaignRoutesIntegrationTest {

  private static final String ADMIN_PASSWORD = "admin-test-password"; // application-test.conf
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static ActorTestKit testKit;
  private static ApiClient api;
  private static int port;
  private static String admin;
  private static String supervisor;
  private static String agent;

  @BeforeAll
  static void startNode() throws Exception {
    testKit = ActorTestKit.create("dialer", TestDatabase.config(TestDatabase.fresh("campaigns")));
    port =
        Main.init(testKit.system())
            .toCompletableFuture()
            .get(20, TimeUnit.SECONDS)
            .localAddress()
            .getPort();
    api = new ApiClient(port);
    TestNodes.awaitBootstrapAdmin(testKit);
    admin = api.login("admin", ADMIN_PASSWORD);
    createUser("sup1", "supervisor-pass", Map.of("role", "SUPERVISOR"));
    createUser("agt1", "agent-password", Map.of("role", "AGENT", "agentId", "a-1"));
    supervisor = api.login("sup1", "supervisor-pass");
    agent = api.login("agt1", "agent-password");
  }

  @AfterAll
  static void stopNode() {
    testKit.shutdownTestKit();
  }

  @Test
  void aMinimalCreateTakesTheDefaultsAndAnswersWithLocation() {
    Response created = api.post("/api/campaigns", supervisor, minimal("Spring sale"));
    assertEquals(201, created.status(), created.raw().body());
    String id = created.json().get("id").asText();
    assertEquals("/api/campaigns/" + id, created.header("Location").orElseThrow());
    JsonNode config = created.json().get("config");
    assertEquals("DRAFT", created.json().get("status").asText());
    assertEquals("PROGRESSIVE", config.at("/pacing/mode").asText());
    assertEquals(20, config.get("ringTimeoutSeconds").asInt());
    assertEquals(2000, config.get("connectDeadlineMs").asLong());
    assertEquals("08:00", config.at("/callingWindow/MONDAY/start").asText());
    assertEquals(72, config.get("postAbandonLockoutHours").asInt());
    assertEquals(7, config.at("/attemptCaps/0/max").asInt());
    assertEquals(17, config.get("dispositions").size());
    assertTrue(config.get("agentless").isNull(), "no broadcast settings outside AGENTLESS");
    assertEquals("HUNG_UP", config.get("wrapUpTimeoutDisposition").asText());

    Response read = api.get("/api/campaigns/" + id, agent);
    assertEquals(200, read.status());
    assertEquals("Spring sale", read.json().get("name").asText());
    assertEquals(config, read.json().get("config"));
  }

  @Test
  void aFullCreateKeepsEveryGivenFieldAndIdsAreUnique() {
    Map<String, Object> config = new HashMap<>(minimalConfig());
    config.put(
        "pacing", Map.of("mode", "predictive", "targetAbandonPercent", 2.5, "maxLinesPerAgent", 4));
    config.put("ringTimeoutSeconds", 25);
    config.put("callingWindow", Map.of("MONDAY", Map.of("start", "09:00", "end", "17:30")));
    config.put("attemptCaps", List.of(Map.of("max", 3, "windowDays", 1)));
    config.put("amd", Map.of("enabled", true, "machineReaction", "LEAVE_MESSAGE"));
    config.put("assignedAgents", List.of("a-1", "a-2"));
    config.put("numberRotation", "FIRST_VALID");
    Response created =
        api.post("/api/campaigns", admin, Map.of("id", "full-1", "name", "Full", "config", config));
    assertEquals(201, created.status(), created.raw().body());
    JsonNode c = api.get("/api/campaigns/full-1", supervisor).json().get("config");
    assertEquals("PREDICTIVE", c.at("/pacing/mode").asText());
    assertEquals(2.5, c.at("/pacing/targetAbandonPercent").asDouble());
    assertEquals(4, c.at("/pacing/maxLinesPerAgent").asInt());
    assertEquals(25, c.get("ringTimeoutSeconds").asInt());
    assertEquals("17:30", c.at("/callingWindow/MONDAY/end").asText());
    assertTrue(c.at("/callingWindow/TUESDAY").isMissingNode(), "days left out are closed");
    assertEquals(1, c.at("/attemptCaps/0/windowDays").asInt());
    assertEquals("LEAVE_MESSAGE", c.at("/amd/machineReaction").asText());
    assertEquals(2, c.get("assignedAgents").size());
    assertEquals("FIRST_VALID", c.get("numberRotation").asText());

    Response again =
        api.post("/api/campaigns", admin, Map.of("id", "full-1", "name", "Dup", "config", config));
    assertEquals(409, again.status());
    assertTrue(again.json().get("detail").asText().contains("already exists"));
  }

  @Test
  void anAgentlessCampaignKeepsItsBroadcastSettingsAndEachBadOneIsNamed() {
    Map<String, Object> config = new HashMap<>(minimalConfig());
    config.put("pacing", Map.of("mode", "AGENTLESS"));
    config.put("amd", Map.of("enabled", true, "machineReaction", "LEAVE_MESSAGE"));
    config.put(
        "agentless",
        Map.of("message", "spring-promo", "callsPerSecond", 2.5, "maxConcurrentCalls", 40));
    Response created =
        api.post(
            "/api/campaigns",
            supervisor,
            Map.of("id", "bc-1", "name", "Broadcast", "config", config));
    assertEquals(201, created.status(), created.raw().body());
    JsonNode c = api.get("/api/campaigns/bc-1", supervisor).json().get("config");
    assertEquals("AGENTLESS", c.at("/pacing/mode").asText());
    assertEquals("spring-promo", c.at("/agentless/message").asText());
    assertEquals(2.5, c.at("/agentless/callsPerSecond").asDouble());
    assertEquals(40, c.at("/agentless/maxConcurrentCalls").asInt());
    assertEquals("1", c.at("/agentless/transferKey").asText(), "default transfer key");
    assertEquals("9", c.at("/agentless/optOutKey").asText(), "default opt-out key");

    // AGENTLESS without settings: the defaults.
    Map<String, Object> bare = new HashMap<>(minimalConfig());
    bare.put("pacing", Map.of("mode", "AGENTLESS"));
    Response defaults =
        api.post("/api/campaigns", supervisor, Map.of("name", "Broadcast 2", "config", bare));
    assertEquals(201, defaults.status(), defaults.raw().body());
    assertEquals("agentless-default", defaults.json().at("/config/agentless/message").asText());

    Map<String, Object> bad = new HashMap<>(minimalConfig());
    bad.put("pacing", Map.of("mode", "AGENTLESS"));
    bad.put("amd", Map.of("enabled", true, "machineReaction", "CONNECT_AGENT"));
    bad.put(
        "agentless",
        Map.of(
            "message", "no spaces please",
            "callsPerSecond", 0,
            "maxConcurrentCalls", 0,
            "transferKey", "9",
            "optOutKey", "9"));
    Map<String, String> errors =
        errors(api.post("/api/campaigns", supervisor, Map.of("name", "x", "config", bad)));
    assertEquals(
        Set.of(
            "config.agentless.message",
            "config.agentless.callsPerSecond",
            "config.agentless.maxConcurrentCalls",
            "config.agentless.transferKey",
            "config.amd.machineReaction"),
        errors.keySet());
    assertEquals(
        "agentless transfer and opt-out keys must differ",
        errors.get("config.agentless.transferKey"));
  }

  @Test
  void invalidInputIsABadRequestNamingEachField() {
    Map<String, Object> config = new HashMap<>();
    config.put("pacing", Map.of("mode", "TURBO", "powerRatio", -1));
    config.put("wrapUpTimeoutSeconds", -5);
    config.put("callingWindow", Map.of("FUNDAY", Map.of("start", "08:00", "end", "09:00")));
    config.put("attemptCaps", List.of(Map.of("max", 0, "windowDays", 7)));
    Response response =
        api.post("/api/campaigns", supervisor, Map.of("id", "bad id!", "config", config));
    assertEquals(400, response.status());
    assertEquals("application/problem+json", response.contentType());
    Map<String, String> errors = errors(response);
    assertEquals(
        Set.of(
            "id",
            "name",
            "config.dialStringTemplate",
            "config.callerId",
            "config.pacing.mode",
            "config.pacing.powerRatio",
            "config.wrapUpTimeoutSeconds",
            "config.callingWindow.FUNDAY",
            "config.attemptCaps[0].max"),
        errors.keySet());
    assertTrue(errors.get("config.pacing.mode").contains("PREDICTIVE"), errors.toString());

    // Domain rules come from CampaignConfig.problems(), mapped to the field they are about.
    Map<String, Object> domain = new HashMap<>(minimalConfig());
    domain.put("ringTimeoutSeconds", 10);
    domain.put("dialStringTemplate", "PJSIP/carrier");
    domain.put("pacing", Map.of("targetAbandonPercent", 5));
    domain.put("callingWindow", Map.of("MONDAY", Map.of("start", "21:00", "end", "08:00")));
    Map<String, String> domainErrors =
        errors(api.post("/api/campaigns", supervisor, Map.of("name", "x", "config", domain)));
    assertEquals(
        Set.of(
            "config.ringTimeoutSeconds",
            "config.dialStringTemplate",
            "config.pacing.targetAbandonPercent",
            "config.callingWindow.MONDAY"),
        domainErrors.keySet());
    assertEquals(
        "ring timeout must be at least 15 s", domainErrors.get("config.ringTimeoutSeconds"));

    Map<String, Object> wrongType = new HashMap<>(minimalConfig());
    wrongType.put("ringTimeoutSeconds", "soon");
    assertEquals(
        Set.of("config.ringTimeoutSeconds"),
        errors(api.post("/api/campaigns", supervisor, Map.of("name", "x", "config", wrongType)))
            .keySet());
    Map<String, Object> typo = new HashMap<>(minimalConfig());
    typo.put("ringTimeout", 30);
    assertEquals(
        Set.of("config.ringTimeout"),
        errors(api.post("/api/campaigns", supervisor, Map.of("name", "x", "config", typo)))
            .keySet());
    Response malformed = api.postRaw("/api/campaigns", supervisor, "application/json", "{nope");
    assertEquals(400, malformed.status());
    assertEquals("application/problem+json", malformed.contentType());
  }

  @Test
  void eachRoleReachesOnlyItsEndpoints() {
    String id = create(supervisor, "Roles");
    String one = "/api/campaigns/" + id;
    Map<String, Object> pacing = Map.of("powerRatio", 2.0);

    // No token: 401 everywhere, the agent's read included.
    assertEquals(401, api.post("/api/campaigns", null, minimal("x")).status());
    assertEquals(401, api.get("/api/campaigns", null).status());
    assertEquals(401, api.get(one, null).status());
    assertEquals(401, api.put(one + "/config", null, minimalConfig()).status());
    assertEquals(401, patch(one + "/pacing", null, pacing).status());
    assertEquals(401, api.post(one + "/start", null, "").status());
    assertEquals(401, api.get(one + "/history", null).status());

    // An agent may read a campaign, nothing else.
    assertEquals(200, api.get(one, agent).status());
    assertEquals(403, api.post("/api/campaigns", agent, minimal("x")).status());
    assertEquals(403, api.get("/api/campaigns", agent).status());
    assertEquals(403, api.put(one + "/config", agent, minimalConfig()).status());
    assertEquals(403, patch(one + "/pacing", agent, pacing).status());
    for (String action : List.of("start", "pause", "resume", "finish")) {
      assertEquals(403, api.post(one + "/" + action, agent, "").status(), action);
    }
    assertEquals(403, api.get(one + "/history", agent).status());

    // Supervisors and admins manage campaigns.
    for (String staff : List.of(supervisor, admin)) {
      assertEquals(200, api.get("/api/campaigns", staff).status());
      assertEquals(200, api.get(one, staff).status());
      assertEquals(200, api.put(one + "/config", staff, minimalConfig()).status());
      assertEquals(200, patch(one + "/pacing", staff, pacing).status());
      assertEquals(200, api.get(one + "/history", staff).status());
    }
    assertEquals(201, api.post("/api/campaigns", admin, minimal("By admin")).status());
    assertEquals(200, api.post(one + "/start", admin, "").status());
    assertEquals(200, api.post(one + "/pause", supervisor, "").status());
  }

  @Test
  void theLifecycleFollowsTheEntityAndRefusesIllegalTransitions() {
    String id = create(supervisor, "Lifecycle");
    String one = "/api/campaigns/" + id;
    assertConflict(api.post(one + "/finish", supervisor, ""), "never started");
    assertEquals("ACTIVE", status(api.post(one + "/start", supervisor, "")));
    assertConflict(api.post(one + "/start", supervisor, ""), "only a DRAFT campaign");
    assertConflict(
        api.post(one + "/resume", supervisor, ""),
        "only a PAUSED campaign can be resumed, this one is ACTIVE");
    assertEquals("PAUSED", status(api.post(one + "/pause", supervisor, Map.of("reason", "lunch"))));
    assertEquals("ACTIVE", status(api.post(one + "/resume", supervisor, "")));
    assertEquals(
        "FINISHED", status(api.post(one + "/finish", admin, Map.of("reason", "target met"))));
    assertConflict(api.post(one + "/pause", supervisor, ""), "FINISHED");
    assertConflict(patch(one + "/pacing", supervisor, Map.of("powerRatio", 2.0)), "FINISHED");

    List<String> history = summaries(api.get(one + "/history", supervisor));
    assertEquals("status: ACTIVE -> PAUSED (lunch)", history.get(2));
    assertEquals("status: ACTIVE -> FINISHED (target met)", history.get(4));
  }

  @Test
  void unknownCampaignsAreNotFound() {
    // A well-formed id that names nothing is a 404; one that cannot be an id is a 400 (InputGuard).
    for (Map.Entry<String, Integer> id :
        Map.of("no-such-campaign", 404, "not%20an%20id", 400).entrySet()) {
      String one = "/api/campaigns/" + id.getKey();
      int status = id.getValue();
      assertEquals(status, api.get(one, supervisor).status());
      assertEquals(status, api.post(one + "/start", supervisor, "").status());
      assertEquals(status, api.post(one + "/pause", supervisor, Map.of("reason", "x")).status());
      assertEquals(status, api.put(one + "/config", supervisor, minimalConfig()).status());
      assertEquals(status, patch(one + "/pacing", supervisor, Map.of("mode", "POWER")).status());
      assertEquals(status, api.get(one + "/history", supervisor).status());
    }
  }

  @Test
  void thePacingPatchMergesTakesEffectAndIsAudited() {
    String id = create(admin, "Pacing");
    String one = "/api/campaigns/" + id;
    Response patched =
        patch(one + "/pacing", supervisor, Map.of("mode", "PREDICTIVE", "targetAbandonPercent", 2));
    assertEquals(200, patched.status(), patched.raw().body());
    JsonNode pacing = api.get(one, agent).json().at("/config/pacing");
    assertEquals("PREDICTIVE", pacing.get("mode").asText());
    assertEquals(2.0, pacing.get("targetAbandonPercent").asDouble());
    assertEquals(3, pacing.get("maxLinesPerAgent").asInt(), "untouched levers keep their value");

    // Validated against the merged pacing: the ratio may not exceed the 3 lines per agent.
    assertEquals(
        Set.of("powerRatio"),
        errors(patch(one + "/pacing", supervisor, Map.of("powerRatio", 5))).keySet());
    assertEquals(
        Set.of("minReadyAgents"),
        errors(patch(one + "/pacing", supervisor, Map.of("minReadyAgents", -1))).keySet());
    Map<String, String> mode = errors(patch(one + "/pacing", supervisor, Map.of("mode", "TURBO")));
    assertTrue(mode.get("mode").contains("PREVIEW"), mode.toString());
    assertEquals(400, patch(one + "/pacing", supervisor, Map.of()).status());

    Response history = api.get(one + "/history", admin);
    assertEquals(200, history.status());
    JsonNode change = history.json().get("changes").get(1);
    assertEquals("PacingChanged", change.get("type").asText());
    assertEquals("sup1", change.get("by").asText());
    assertTrue(
        change.get("summary").asText().contains("mode PROGRESSIVE -> PREDICTIVE"),
        change.toString());
    assertEquals("admin", history.json().get("changes").get(0).get("by").asText());
  }

  @Test
  void theConfigIsReplacedAsAWhole() {
    String id = create(supervisor, "Config");
    Map<String, Object> config = new HashMap<>(minimalConfig());
    config.put("ringTimeoutSeconds", 30);
    config.put("callerId", "+15550009999");
    Response updated = api.put("/api/campaigns/" + id + "/config", supervisor, config);
    assertEquals(200, updated.status(), updated.raw().body());
    assertEquals(30, updated.json().at("/config/ringTimeoutSeconds").asInt());
    assertEquals("+15550009999", updated.json().at("/config/callerId").asText());

    config.put("ringTimeoutSeconds", 5);
    config.put("numberRotation", "SIDEWAYS");
    Map<String, String> errors =
        errors(api.put("/api/campaigns/" + id + "/config", supervisor, config));
    assertEquals(Set.of("numberRotation"), errors.keySet(), "field checks come first");
    config.remove("numberRotation");
    errors = errors(api.put("/api/campaigns/" + id + "/config", supervisor, config));
    assertEquals(Set.of("ringTimeoutSeconds"), errors.keySet());

    List<String> history = summaries(api.get("/api/campaigns/" + id + "/history", admin));
    assertTrue(history.get(1).contains("ringTimeout PT20S -> PT30S"), history.toString());
  }

  @Test
  void theListComesFromTheReadModelFilteredAndPaged() {
    String active = create(supervisor, "List active");
    String draft = create(supervisor, "List draft");
    api.post("/api/campaigns/" + active + "/start", supervisor, "");

    TestProbe<Void> probe = testKit.createTestProbe();
    probe.awaitAssert(
        Duration.ofSeconds(15),
        () -> {
          Set<String> activeIds = ids(api.get("/api/campaigns?status=ACTIVE", supervisor));
          assertTrue(activeIds.contains(active));
          assertFalse(activeIds.contains(draft));
          assertTrue(ids(api.get("/api/campaigns?status=draft", supervisor)).contains(draft));
          return null;
        });

    JsonNode first = api.get("/api/campaigns?limit=2", admin).json();
    long total = first.get("total").asLong();
    assertTrue(total >= 2);
    assertEquals(2, first.get("items").size());
    Set<String> paged = new HashSet<>();
    for (int offset = 0; offset < total; offset += 2) {
      Response page = api.get("/api/campaigns?limit=2&offset=" + offset, admin);
      assertEquals(offset, page.json().get("offset").asInt());
      paged.addAll(ids(page));
    }
    assertEquals(total, paged.size(), "pages neither overlap nor skip");
    assertTrue(paged.containsAll(Set.of(active, draft)));
    Response past = api.get("/api/campaigns?offset=" + total, admin);
    assertEquals(0, past.json().get("items").size());
    assertEquals(total, past.json().get("total").asLong());

    Response bad = api.get("/api/campaigns?status=RUNNING&limit=0&offset=-1", admin);
    assertEquals(400, bad.status());
    assertEquals(Set.of("status", "limit", "offset"), errors(bad).keySet());
    assertEquals(Set.of("limit"), errors(api.get("/api/campaigns?limit=abc", admin)).keySet());
  }

  // ---- helpers ----

  private static Map<String, Object> minimalConfig() {
    return Map.of("dialStringTemplate", "PJSIP/{number}@carrier", "callerId", "+15550001111");
  }

  private static Map<String, Object> minimal(String name) {
    return Map.of("name", name, "config", minimalConfig());
  }

  private static String create(String token, String name) {
    Response created = api.post("/api/campaigns", token, minimal(name));
    assertEquals(201, created.status(), created.raw().body());
    return created.json().get("id").asText();
  }

  private static void createUser(String username, String password, Map<String, String> more) {
    Map<String, String> body = new HashMap<>(more);
    body.put("username", username);
    body.put("password", password);
    Response created = api.post("/api/users", admin, body);
    assertEquals(201, created.status(), created.raw().body());
  }

  private static String status(Response response) {
    assertEquals(200, response.status(), response.raw().body());
    return response.json().get("status").asText();
  }

  private static void assertConflict(Response response, String reasonPart) {
    assertEquals(409, response.status(), response.raw().body());
    assertTrue(response.json().get("detail").asText().contains(reasonPart), response.raw().body());
  }

  private static Map<String, String> errors(Response problem) {
    assertEquals(400, problem.status(), problem.raw().body());
    Map<String, String> errors = new HashMap<>();
    problem
        .json()
        .get("errors")
        .forEach(e -> errors.put(e.get("field").asText(), e.get("message").asText()));
    return errors;
  }

  private static Set<String> ids(Response page) {
    assertEquals(200, page.status(), page.raw().body());
    Set<String> ids = new HashSet<>();
    page.json().get("items").forEach(item -> ids.add(item.get("id").asText()));
    return ids;
  }

  private static List<String> summaries(Response history) {
    assertEquals(200, history.status(), history.raw().body());
    List<String> summaries = new java.util.ArrayList<>();
    history.json().get("changes").forEach(c -> summaries.add(c.get("summary").asText()));
    return summaries;
  }

  /** ApiClient has no PATCH; the pacing lever is the only PATCH endpoint. */
  private static Response patch(String path, String token, Object body) {
    try {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
              .timeout(Duration.ofSeconds(20))
              .header("Content-Type", "application/json")
              .method("PATCH", HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
      if (token != null) {
        request.header("Authorization", "Bearer " + token);
      }
      HttpResponse<String> raw = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json = raw.body().startsWith("{") ? JSON.readTree(raw.body()) : null;
      return new Response(raw.statusCode(), raw, json);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
