package com.welcomedly.dialer.api.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import com.welcomedly.dialer.api.ApiClient;
import com.welcomedly.dialer.api.ApiClient.Response;
import com.welcomedly.dialer.api.TestNodes;
import com.welcomedly.dialer.engine.persistence.TestDatabase;
import com.welcomedly.dialer.sim.AmiSimulator;
import com.welcomedly.dialer.sim.SimulatorSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/**
 * The browser console in headless Chromium against a real node (embedded PostgreSQL, the AMI
 * simulator over TCP, HTTP and WebSockets on real sockets): an agent takes a call with the lead's
 * data and dispositions it with a callback; a supervisor creates a campaign (after a field error),
 * imports a CSV with bad rows, starts it, watches the charts move, changes the pacing and sees the
 * decision change, and pauses it; a PREVIEW campaign dials only after the agent clicks Dial. The
 * test sets the scene over the REST API (agents, logins) and checks the outcome there; everything
 * under test is clicked in the page. Screenshots of each screen go to target/screenshots (and to
 * {@code -Dscreenshots.dir}, see docs/console.md).
 */
@ExtendWith(LogCapturingExtension.class)
class ConsoleBrowserIntegrationTest {

  private static final String ADMIN_PASSWORD = "admin-test-password";
  private static final String PASSWORD = "browser-pass-1";

  private static AmiSimulator simulator;
  private static ActorTestKit testKit;
  private static ApiClient api;
  private static String admin;
  private static Browser browser;

  @BeforeAll
  static void start() throws Exception {
    simulator =
        AmiSimulator.start(
            SimulatorSettings.defaults().withPort(0).withScriptPrefix("12127").withSeed(5));
    testKit =
        ActorTestKit.create(
            "dialer",
            TestDatabase.config(
                TestDatabase.fresh("console_browser"),
                ConfigFactory.parseMap(
                    Map.of(
                        "dialer.telephony.ami.port", simulator.port(),
                        "dialer.telephony.ami.username", "dialer",
                        "dialer.telephony.ami.secret", "dialer",
                        // The bots of the supervisor's campaign are logged in over REST and send
                        // no heartbeats; the browsers send theirs.
                        "dialer.api.agents.heartbeat-timeout", "10m"))));
    int port = TestNodes.start(testKit);
    api = new ApiClient(port);
    // On a loaded machine the first request may meet a node still warming up: retried.
    admin =
        testKit
            .createTestProbe()
            .awaitAssert(
                java.time.Duration.ofSeconds(60),
                java.time.Duration.ofSeconds(1),
                () -> api.login("admin", ADMIN_PASSWORD));
    browser = new Browser("http://127.0.0.1:" + port);
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.close();
    }
    testKit.shutdownTestKit();
    simulator.close();
  }

  @AfterEach
  void signOut() {
    browser.open("#/login"); // the login route ends the session
  }

  @Test
  void anAgentTakesACallWithTheLeadsDataAndDispositionsItWithACallback() throws Exception {
    campaign("br-agent", "Agent demo", "PROGRESSIVE", List.of("br-ann"));
    agentWithLogin("br-ann", "br-agent");
    importJson(
        "br-agent",
        lead(
            "br-sally",
            "+12127105050",
            "America/Chicago",
            5,
            Map.of("name", "Sally Sale", "plan", "gold")));
    ok(api.post("/api/campaigns/br-agent/start", admin, null));

    browser.signIn("br-ann", PASSWORD);
    browser.textMatching(By.id("agent-state"), t -> t.startsWith("LOGGED OUT"), "LOGGED OUT");
    browser.click(By.id("btn-login"));
    browser.textMatching(By.id("agent-state"), t -> t.startsWith("READY"), "READY");

    // The screen pop: the lead's data, custom fields and history while talking.
    browser.textMatching(By.id("call-title"), t -> t.equals("Connected call"), "connected call");
    assertEquals("Sally Sale", browser.visible(By.cssSelector("#call-panel .lead-name")).getText());
    assertTrue(browser.visible(By.id("call-panel")).getText().contains("gold"));
    assertTrue(
        browser.visible(By.cssSelector("#call-panel .lead-phone")).getText().endsWith("5050"));
    assertFalse(browser.visible(By.id("call-panel")).getText().contains("12127105050"), "masked");

    // The customer hangs up: wrap-up with the campaign's dispositions and a callback picker.
    browser.visible(By.id("wrapup-panel"));
    new Select(browser.enabled(By.id("disposition"))).selectByValue("CALLBACK");
    browser.visible(By.id("callback-fields"));
    assertTrue(browser.visible(By.id("callback-fields")).getText().contains("America/Chicago"));
    browser.click(By.id("callback-me"));
    browser.type(By.id("notes"), "call back about the gold plan");
    browser.screenshot("agent", 1500);
    assertEquals(0, browser.overflowAt(820), "workstation wider than a tablet in portrait");
    browser.click(By.id("btn-dispose"));
    browser.visible(By.id("idle-panel"));
    browser.textMatching(By.id("agent-state"), t -> t.startsWith("READY"), "READY again");

    // The agent's disposition reaches the lead through the relay: a moment later.
    JsonNode lead =
        browser.waitFor(
            d -> {
              JsonNode l = api.get("/api/leads/br-sally", admin).json();
              return l.get("status").asText().equals("CALLBACK") ? l : null;
            });
    assertEquals("br-ann", lead.path("callback").path("agentId").asText());
    assertEquals(
        "call back about the gold plan", lead.get("attempts").get(0).get("notes").asText());
  }

  @Test
  void aSupervisorCreatesImportsStartsWatchesSteersAndPausesACampaign() throws Exception {
    List<String> bots = List.of("br-bot-1", "br-bot-2");
    bots.forEach(bot -> agentWithLogin(bot, null));
    ok(
        api.post(
            "/api/users",
            admin,
            Map.of("username", "br-sup", "password", PASSWORD, "role", "SUPERVISOR")));
    browser.signIn("br-sup", PASSWORD);

    // Create, first with a power ratio above the lines per agent: the field shows the error.
    browser.click(By.id("new-campaign"));
    browser.type(By.id("cfg-id"), "br-live");
    browser.type(By.id("cfg-name"), "Live demo");
    browser.type(By.id("cfg-dialStringTemplate"), "Local/{number}@sim-customer");
    browser.type(By.id("cfg-callerId"), "+12127363100");
    browser.type(By.id("cfg-assignedAgents"), "br-bot-1, br-bot-2");
    browser.type(By.id("cfg-pacing-maxLinesPerAgent"), "2");
    browser.type(By.id("cfg-pacing-powerRatio"), "5");
    browser.type(By.id("cfg-wrapUpTimeoutSeconds"), "1");
    browser.setValue(By.id("cfg-window-start"), "00:00");
    browser.setValue(By.id("cfg-window-end"), "23:59");
    browser.click(By.id("campaign-save"));
    browser.textMatching(
        By.id("cfg-pacing-powerRatio-error"), t -> t.contains("power ratio"), "power ratio error");
    assertEquals(
        "true", browser.visible(By.id("cfg-pacing-powerRatio")).getAttribute("aria-invalid"));
    browser.type(By.id("cfg-pacing-powerRatio"), "1.5");
    browser.click(By.id("campaign-save"));
    browser.textMatching(By.id("campaign-status"), t -> t.equals("DRAFT"), "DRAFT");
    for (String bot : bots) { // the campaign's agents, driven over REST
      ok(api.patch("/api/agents/" + bot, admin, Map.of("campaigns", List.of("br-live"))));
      ok(api.post("/api/agents/" + bot + "/login", admin, null));
    }

    // Import a CSV with bad rows: progress, and the rejected rows with their line numbers.
    Path csv = Files.createTempFile("leads-", ".csv");
    Files.writeString(csv, leadsCsv());
    browser.driver.findElement(By.id("import-file")).sendKeys(csv.toString());
    browser.click(By.id("import-submit"));
    browser.textMatching(By.id("import-summary"), t -> t.startsWith("DONE"), "import done");
    assertTrue(
        browser.visible(By.id("import-summary")).getText().contains("20 accepted, 2 rejected"));
    String rejected = browser.visible(By.id("import-rejected-rows")).getText();
    assertTrue(rejected.contains("3"), rejected);
    assertTrue(rejected.contains("6"), rejected);
    assertEquals(
        browser.visible(By.id("import-progress")).getAttribute("max"),
        browser.visible(By.id("import-progress")).getAttribute("value"));
    Files.delete(csv);

    // Start: the stream's figures and charts move, the pacing decision is explained.
    browser.click(By.id("btn-start"));
    browser.textMatching(By.id("campaign-status"), t -> t.equals("ACTIVE"), "ACTIVE");
    browser.textMatching(
        By.id("chart-rates-latest"), t -> t.matches(".*Dials: [1-9].*"), "dials per minute > 0");
    browser.textMatching(
        By.id("chart-rates-latest"), t -> t.matches(".*Connects: [1-9].*"), "connects > 0");
    int points =
        Integer.parseInt(browser.visible(By.id("chart-rates")).getAttribute("data-points"));
    browser.waitFor(
        d ->
            Integer.parseInt(d.findElement(By.id("chart-rates")).getAttribute("data-points"))
                > points + 2);
    browser.textMatching(By.id("pacing-explain"), t -> t.startsWith("PROGRESSIVE"), "progressive");
    browser.textMatching(By.id("agent-board"), t -> t.contains("br-bot-1"), "agent board");

    // Pull the lever: POWER at ratio 2 with one ready agent enough; the decision follows (as
    // POWER, or as PROGRESSIVE "requested POWER" while an interlock such as the abandon cap holds).
    new Select(browser.enabled(By.id("lever-mode"))).selectByValue("POWER");
    browser.type(By.id("lever-ratio"), "2");
    browser.type(By.id("lever-min-ready"), "1");
    browser.click(By.id("lever-apply"));
    browser.textMatching(
        By.id("pacing-explain"),
        t -> t.startsWith("POWER") || t.contains("(requested POWER)"),
        "POWER decision");
    browser.textMatching(By.id("history"), t -> t.contains("br-sup"), "audit history");
    browser.screenshot("supervisor", 2000);
    // Readable on a tablet: one column, nothing wider than the screen (tables scroll inside).
    assertEquals(0, browser.overflowAt(820), "page wider than a tablet in portrait");
    browser.screenshot("supervisor-tablet", 820, 1800);

    browser.click(By.id("btn-pause"));
    browser.textMatching(By.id("campaign-status"), t -> t.equals("PAUSED"), "PAUSED");
    assertEquals("PAUSED", api.get("/api/campaigns/br-live", admin).json().get("status").asText());
  }

  @Test
  void aPreviewCampaignDialsOnlyAfterTheAgentClicksDial() throws Exception {
    campaign("br-preview", "Preview demo", "PREVIEW", List.of("br-pv"));
    agentWithLogin("br-pv", "br-preview");
    importJson(
        "br-preview",
        lead("br-pv-first", "+12127105061", "America/Chicago", 9, Map.of("name", "Sam Skip")));
    importJson(
        "br-preview",
        lead(
            "br-pv-lead",
            "+12127105060",
            "America/New_York",
            5,
            Map.of("name", "Pete Preview", "plan", "silver")));
    ok(api.post("/api/campaigns/br-preview/start", admin, null));

    browser.signIn("br-pv", PASSWORD);
    browser.click(By.id("btn-login"));
    browser.textMatching(
        By.cssSelector("#preview-panel .lead-name"), t -> t.equals("Sam Skip"), "first preview");
    String first =
        api.get("/api/agents/br-pv", admin).json().path("call").path("attemptId").asText();

    // Skip over REST (a supervisor may answer for the agent): refused for another attempt, and
    // the page moves on to the next lead; the skipped one is back in the queue, never dialed.
    Response wrong = api.post("/api/agents/br-pv/preview/skip", admin, Map.of("attemptId", "nope"));
    assertEquals(409, wrong.status(), wrong.raw().body());
    assertTrue(wrong.json().get("detail").asText().contains("no preview offer nope"));
    assertEquals(400, api.post("/api/agents/br-pv/preview/dial", admin, Map.of()).status());
    ok(api.post("/api/agents/br-pv/preview/skip", admin, Map.of("attemptId", first)));
    browser.textMatching(
        By.cssSelector("#preview-panel .lead-name"), t -> t.equals("Pete Preview"), "next preview");
    JsonNode skipped = api.get("/api/leads/br-pv-first", admin).json();
    assertEquals("QUEUED", skipped.get("status").asText());
    assertEquals(
        "skipped by the agent", skipped.get("attempts").get(0).get("releasedReason").asText());
    assertTrue(skipped.get("attempts").get(0).get("dialedAt").isNull());

    // The offered lead waits, undialed, until the agent clicks Dial.
    browser.textMatching(By.id("preview-countdown"), t -> t.matches("\\d\\d:\\d\\d"), "countdown");
    JsonNode offered = api.get("/api/leads/br-pv-lead", admin).json();
    assertEquals("RESERVED", offered.get("status").asText());
    assertTrue(offered.get("attempts").get(0).get("dialedAt").isNull(), "not dialed before Dial");
    browser.screenshot("preview", 1000);

    browser.click(By.id("btn-dial"));
    browser.textMatching(By.id("call-title"), t -> t.equals("Connected call"), "connected");
    JsonNode dialed = api.get("/api/leads/br-pv-lead", admin).json().get("attempts").get(0);
    assertFalse(dialed.get("dialedAt").isNull());
    assertEquals("br-pv", dialed.get("agentId").asText());
  }

  @Test
  void theConsoleIsServedWithItsContentTypesAndCacheHeaders() {
    Response page = api.get("/", null);
    assertEquals(200, page.status());
    assertEquals("text/html; charset=UTF-8", page.contentType());
    assertEquals("no-cache", page.header("Cache-Control").orElse(""));
    assertEquals("nosniff", page.header("X-Content-Type-Options").orElse(""));
    assertTrue(page.header("Content-Security-Policy").orElse("").contains("default-src 'self'"));
    Response module = api.get("/app/main.js", null);
    assertEquals(200, module.status());
    assertTrue(module.contentType().startsWith("application/javascript"), module.contentType());
    assertEquals("no-cache", module.header("Cache-Control").orElse(""));
    Response css = api.get("/app/app.css", null);
    assertTrue(css.contentType().startsWith("text/css"), css.contentType());
    Response chart = api.get("/vendor/uplot/uPlot.esm.js", null);
    assertEquals(200, chart.status());
    assertTrue(chart.contentType().startsWith("application/javascript"), chart.contentType());
    assertTrue(chart.header("Cache-Control").orElse("").contains("max-age=31536000"));
    assertEquals(404, api.get("/app/nope.js", null).status());
    Response escape = api.get("/app/%2e%2e/web/index.html", null);
    assertTrue(
        escape.status() >= 400 && !escape.raw().body().contains("<html"), escape.raw().body());
  }

  // ---- scene setting over REST ----

  private static void agentWithLogin(String id, String campaignId) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", id);
    body.put("displayName", id);
    body.put("phoneEndpoint", "PJSIP/" + id);
    body.put("campaigns", campaignId == null ? List.of() : List.of(campaignId));
    body.put("username", id);
    body.put("password", PASSWORD);
    ok(api.post("/api/agents", admin, body));
  }

  private static void campaign(String id, String name, String mode, List<String> agents) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("dialStringTemplate", "Local/{number}@sim-customer");
    config.put("callerId", "+12127363100");
    config.put("pacing", Map.of("mode", mode));
    config.put("assignedAgents", agents);
    Map<String, Object> window = new LinkedHashMap<>();
    for (String day :
        List.of("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")) {
      window.put(day, Map.of("start", "00:00", "end", "23:59"));
    }
    config.put("callingWindow", window);
    ok(api.post("/api/campaigns", admin, Map.of("id", id, "name", name, "config", config)));
  }

  private static Map<String, Object> lead(
      String id, String phone, String timezone, int priority, Map<String, String> fields) {
    return Map.of(
        "id",
        id,
        "phones",
        List.of(phone),
        "timezone",
        timezone,
        "priority",
        priority,
        "customFields",
        fields);
  }

  private static void importJson(String campaignId, Map<String, Object> lead) {
    Response r =
        ok(
            api.post(
                "/api/campaigns/" + campaignId + "/leads", admin, Map.of("leads", List.of(lead))));
    assertEquals(1, r.json().get("accepted").asInt(), r.raw().body());
  }

  /** 20 people who answer and talk 2-3 s; line 3 has no phone, line 6 a bad time zone. */
  private static String leadsCsv() {
    List<String> lines = new ArrayList<>();
    lines.add("id,phone,timezone,priority,name");
    for (int i = 0; i < 20; i++) {
      String phone = "+1212710502" + i % 10;
      if (i >= 10) {
        phone = "+1212710503" + i % 10;
      }
      lines.add("br-live-" + i + "," + phone + ",America/New_York,5,Customer " + i);
      if (i == 0) {
        lines.add("no-phone,,America/New_York,5,Nobody"); // line 3
      }
      if (i == 2) {
        lines.add("bad-zone,+12127105029,Mars/Base,5,Martian"); // line 6
      }
    }
    return String.join("\n", lines) + "\n";
  }

  private static Response ok(Response response) {
    assertTrue(
        response.status() / 100 == 2,
        response.status() + " " + response.raw().request().uri() + ": " + response.raw().body());
    return response;
  }
}
