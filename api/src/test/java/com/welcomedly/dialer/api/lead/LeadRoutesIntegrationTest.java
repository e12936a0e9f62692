package com.welcomedly.dialer.api.lead;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import com.welcomedly.dialer.api.ApiClient;
import com.welcomedly.dialer.api.ApiClient.Response;
import com.welcomedly.dialer.api.Main;
import com.welcomedly.dialer.api.TestNodes;
import com.welcomedly.dialer.engine.campaign.Campaign;
import com.welcomedly.dialer.engine.campaign.CampaignConfig;
import com.welcomedly.dialer.engine.persistence.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Lead import, lookup and DNC through the real HTTP API and real PostgreSQL. */
@ExtendWith(LogCapturingExtension.class)
class LeadRoutesIntegrationTest {

  private static final String ADMIN_PASSWORD = "admin-test-password"; // application-test.conf
  private static final String CAMPAIGN = "leads-campaign";
  private static ActorTestKit testKit;
  private static ApiClient api;
  private static String adminToken;
  private static String agentToken;

  @BeforeAll
  static void startNode() throws Exception {
    // A low inline limit sends a 1,500-row file down the job path without a slow 3,000-row test.
    testKit =
        ActorTestKit.create(
            "dialer",
            ConfigFactory.parseString("dialer.api.import.inline-max-rows = 200")
                .withFallback(TestDatabase.config(TestDatabase.fresh("leads"))));
    int port =
        Main.init(testKit.system())
            .toCompletableFuture()
            .get(20, TimeUnit.SECONDS)
            .localAddress()
            .getPort();
    api = new ApiClient(port);
    TestNodes.awaitBootstrapAdmin(testKit);
    adminToken = api.login("admin", ADMIN_PASSWORD);
    // Campaign REST is written in parallel: create the campaign through its entity.
    ClusterSharding.get(testKit.system())
        .entityRefFor(Campaign.ENTITY_KEY, CAMPAIGN)
        .<Campaign.Summary>askWithStatus(
            r ->
                new Campaign.Create(
                    "Leads test",
                    CampaignConfig.defaults("PJSIP/{number}@carrier", "+12127363100"),
                    "test",
                    r),
            Duration.ofSeconds(15))
        .toCompletableFuture()
        .get(20, TimeUnit.SECONDS);
    Response agent =
        api.post(
            "/api/users",
            adminToken,
            Map.of(
                "username",
                "agent-lee",
                "password",
                "agent-password-1",
                "role",
                "AGENT",
                "agentId",
                "a-lee"));
    assertEquals(201, agent.status(), agent.raw().body());
    agentToken = api.login("agent-lee", "agent-password-1");
  }

  @AfterAll
  static void stopNode() {
    testKit.shutdownTestKit();
  }

  private static Response csv(String campaign, String token, String body) {
    return api.postRaw("/api/campaigns/" + campaign + "/leads", token, "text/csv", body);
  }

  private static List<String> rejections(JsonNode result) {
    List<String> out = new ArrayList<>();
    result
        .get("rejected")
        .forEach(r -> out.add(r.get("line").asInt() + " " + r.get("reason").asText()));
    return out;
  }

  @Test
  void csvImportAcceptsGoodRowsAndReportsEachBadRowWithItsLine() {
    String body =
        "id,phone,phone2,timezone,priority,name,notes\r\n" // 1
            + "c1,+12127363101,+12127363102,America/Chicago,5,\"Doe, Jane\",\"first line\r\n" // 2
            + "second line\"\r\n" // 3
            + "c2,+12127363103,,,1,Bob,\r\n" // 4
            + "c3,12345,,,1,Bad phone,\r\n" // 5
            + "c4,+12127363104,,Mars/Base,1,,\r\n" // 6
            + "c5,+12127363105,,,high,,\r\n" // 7
            + "c1,+12127363106,,,1,,\r\n" // 8
            + "c6,,,,1,No phone,\r\n" // 9
            + "\r\n" // 10: blank, skipped
            + "c7,+12127363107,,,,\"a \"\"quoted\"\" word\",x,too-many\r\n" // 11
            + "c8,+12127363108,,,,\"a \"\"quoted\"\" word\",\r\n"; // 12
    Response response = csv(CAMPAIGN, adminToken, body);
    assertEquals(200, response.status(), response.raw().body());
    JsonNode result = response.json();
    assertEquals("DONE", result.get("state").asText());
    assertEquals(3, result.get("accepted").asInt());
    assertEquals(9, result.get("total").asInt());
    assertEquals(
        List.of(
            "5 not a valid E.164 number: 12***45",
            "6 unknown timezone: Mars/Base",
            "7 priority must be an integer, got 'high'",
            "8 duplicate id c1 (first on line 2)",
            "9 missing phone number",
            "11 too many columns: 8, the header has 7"),
        rejections(result));

    Response lead = api.get("/api/leads/c1", adminToken);
    assertEquals(200, lead.status(), lead.raw().body());
    JsonNode c1 = lead.json();
    assertEquals(CAMPAIGN, c1.get("campaignId").asText());
    assertEquals("+12127363101", c1.get("numbers").get(0).get("number").asText());
    assertEquals("+12127363102", c1.get("numbers").get(1).get("number").asText());
    assertEquals("America/Chicago", c1.get("timezone").asText());
    assertEquals(5, c1.get("priority").asInt());
    assertEquals("Doe, Jane", c1.get("customFields").get("name").asText());
    assertEquals("first line\nsecond line", c1.get("customFields").get("notes").asText());
    assertEquals(0, c1.get("attempts").size());
    assertFalse(c1.get("dnc").get("dnc").asBoolean());
    // Derived from the number when the row names no timezone.
    JsonNode c8 = api.get("/api/leads/c8", adminToken).json();
    // An agent reads only the leads it is working (its call, its callbacks).
    assertEquals(403, api.get("/api/leads/c8", agentToken).status());
    assertEquals("America/New_York", c8.get("timezone").asText());
    assertEquals("a \"quoted\" word", c8.get("customFields").get("name").asText());
  }

  @Test
  void jsonImportValidatesEachLead() {
    Response response =
        api.post(
            "/api/campaigns/" + CAMPAIGN + "/leads",
            adminToken,
            Map.of(
                "leads",
                List.of(
                    Map.of(
                        "id",
                        "j1",
                        "phones",
                        List.of("+12127363111", "+12127363112"),
                        "priority",
                        3,
                        "customFields",
                        Map.of("plan", "gold")),
                    Map.of("id", "j2", "phones", List.of()),
                    Map.of("id", "j3", "phones", List.of("+12127363113"), "priority", "x"),
                    Map.of("id", "j4", "phones", List.of("+12127363114"), "timezone", "Nowhere"))));
    assertEquals(200, response.status(), response.raw().body());
    assertEquals(1, response.json().get("accepted").asInt());
    assertEquals(4, response.json().get("total").asInt());
    assertEquals(
        List.of(
            "2 missing phone number",
            "3 priority must be an integer, got 'x'",
            "4 unknown timezone: Nowhere"),
        rejections(response.json()));
    JsonNode j1 = api.get("/api/leads/j1", adminToken).json();
    assertEquals(3, j1.get("priority").asInt());
    assertEquals("gold", j1.get("customFields").get("plan").asText());
    assertEquals(2, j1.get("numbers").size());
  }

  @Test
  void aLargeImportRunsAsAJobWhoseProgressCanBeRead() {
    StringBuilder body = new StringBuilder("phone,segment\n");
    for (int i = 0; i < 1500; i++) {
      body.append(String.format("+1212736%04d,bulk-%d%n", 4000 + i, i % 7));
    }
    Response response = csv(CAMPAIGN, adminToken, body.toString());
    assertEquals(202, response.status(), response.raw().body());
    String location = response.header("Location").orElseThrow();
    assertEquals("/api/imports/" + response.json().get("jobId").asText(), location);
    assertEquals("RUNNING", response.json().get("state").asText());

    TestProbe<Void> probe = testKit.createTestProbe();
    JsonNode done =
        probe.awaitAssert(
            Duration.ofSeconds(75),
            Duration.ofMillis(250),
            () -> {
              Response progress = api.get(location, adminToken);
              assertEquals(200, progress.status(), progress.raw().body());
              assertEquals("DONE", progress.json().get("state").asText());
              return progress.json();
            });
    assertEquals(1500, done.get("accepted").asInt());
    assertEquals(1500, done.get("processed").asInt());
    assertEquals(1500, done.get("total").asInt());
    assertEquals(0, done.get("rejectedCount").asInt());
    assertEquals(403, api.get(location, agentToken).status());
    assertEquals(
        404, api.get("/api/imports/00000000-0000-0000-0000-000000000000", adminToken).status());
  }

  @Test
  void dncIsMarkedAndReadPerLead() {
    assertEquals(200, csv(CAMPAIGN, adminToken, "id,phone\nd1,+12127363121\n").status());
    Response before = api.get("/api/leads/d1/dnc", adminToken);
    assertEquals(200, before.status());
    assertFalse(before.json().get("dnc").asBoolean());

    Response marked = api.postRaw("/api/leads/d1/dnc", adminToken, "application/json", "");
    assertEquals(200, marked.status(), marked.raw().body());
    Response after = api.get("/api/leads/d1/dnc", adminToken);
    assertTrue(after.json().get("dnc").asBoolean());
    assertEquals("API", after.json().get("source").asText());
    assertEquals("admin", after.json().get("by").asText());
    assertFalse(after.json().get("at").isNull());
    assertEquals("DNC", api.get("/api/leads/d1", adminToken).json().get("status").asText());

    assertEquals(
        403, api.postRaw("/api/leads/d1/dnc", agentToken, "application/json", "").status());
    assertEquals(
        404, api.postRaw("/api/leads/nobody/dnc", adminToken, "application/json", "").status());
    assertEquals(404, api.get("/api/leads/nobody/dnc", adminToken).status());
  }

  @Test
  void errorsAreProblemsWithTheRightStatus() {
    String ok = "phone\n+12127363131\n";
    assertEquals(401, csv(CAMPAIGN, null, ok).status());
    assertEquals(403, csv(CAMPAIGN, agentToken, ok).status());
    Response unknownCampaign = csv("no-such-campaign", adminToken, ok);
    assertEquals(404, unknownCampaign.status());
    assertEquals("application/problem+json", unknownCampaign.contentType());
    Response wrongType =
        api.postRaw("/api/campaigns/" + CAMPAIGN + "/leads", adminToken, "text/plain", ok);
    assertEquals(415, wrongType.status());
    assertEquals("application/problem+json", wrongType.contentType());
    Response malformed =
        api.postRaw(
            "/api/campaigns/" + CAMPAIGN + "/leads", adminToken, "application/json", "{not json");
    assertEquals(400, malformed.status());
    assertEquals("application/problem+json", malformed.contentType());
    Response noLeads =
        api.post("/api/campaigns/" + CAMPAIGN + "/leads", adminToken, Map.of("leads", List.of()));
    assertEquals(400, noLeads.status());
    assertEquals("leads", noLeads.json().get("errors").get(0).get("field").asText());
    Response noPhoneColumn = csv(CAMPAIGN, adminToken, "name\nx\n");
    assertEquals(400, noPhoneColumn.status());
    assertTrue(noPhoneColumn.json().get("detail").asText().contains("no phone column"));
    Response unknownLead = api.get("/api/leads/nobody", agentToken);
    assertEquals(404, unknownLead.status());
    assertEquals("application/problem+json", unknownLead.contentType());
    assertEquals(401, api.get("/api/leads/nobody", null).status());
  }
}
