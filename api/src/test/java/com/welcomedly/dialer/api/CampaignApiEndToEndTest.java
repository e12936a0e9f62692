package com.welcomedly.dialer.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.welcomedly.dialer.api.ApiClient.Response;
import com.welcomedly.dialer.sim.AmiSimulator;
import com.welcomedly.dialer.sim.SimulatorSettings;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.japi.function.Creator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A whole campaign driven through the public API only, over real sockets: a node with real
 * PostgreSQL dials the AMI simulator over TCP, and the test is the admin, the supervisor and two
 * agents. The supervisor creates the campaign and imports a CSV with bad rows; the admin creates
 * the agents with their logins; each agent logs in with its own credentials, connects its WebSocket
 * and goes ready over it; the supervisor watches the campaign's stream, starts the campaign,
 * changes the pacing mid-run, reads the stats, the hourly figures and the CSV export, and finishes
 * the campaign. The agents are offered and connected to the live calls with the lead's data and
 * send their dispositions (a sale, a callback, a DNC request, …) over their sockets.
 *
 * <p>The numbers are the simulator's scripted ones (prefix {@code 12127} + outcome digit + ring
 * tenths + talk seconds), so every call's outcome is known in advance. Nothing is set up or read
 * behind the API's back except starting the node and the simulator and the admin's password, which
 * the test configuration holds.
 */
@ExtendWith(LogCapturingExtension.class)
class CampaignApiEndToEndTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final String CAMPAIGN = "e2e";
  private static final List<String> AGENTS = List.of("e2e-ann", "e2e-bob");

  /** The leads a person answers (after 0.5 s, hanging up 4 s later), and what the agent says. */
  private static final Map<String, String> LIVE_DISPOSITIONS =
      new TreeMap<>(
          Map.of(
              "e2e-sale", "SALE",
              "e2e-not", "NOT_INTERESTED",
              "e2e-callback", "CALLBACK",
              "e2e-dnc", "DNC_REQUEST",
              "e2e-customer", "ALREADY_CUSTOMER"));

  /** Where each good lead ends: final, a scheduled callback, or a retry far in the future. */
  private static final Map<String, String> SETTLED =
      Map.of(
          "e2e-sale", "DONE",
          "e2e-not", "DONE",
          "e2e-customer", "DONE",
          "e2e-callback", "CALLBACK",
          "e2e-dnc", "DNC",
          "e2e-busy", "QUEUED", // BUSY: retried in 15 minutes
          "e2e-invalid", "EXHAUSTED"); // its only number does not exist

  // Header = line 1. Live leads go first (priority 9), the busy and invalid numbers last.
  private static final String LEADS_CSV =
      String.join(
          "\n",
          "id,phone,timezone,priority,name,plan",
          "e2e-sale,+12127105040,America/New_York,9,Sally Sale,gold",
          "e2e-not,+12127105041,America/New_York,9,Nick Not,silver",
          "no-phone,,America/New_York,5,No Phone,x", // 4
          "e2e-callback,+12127105042,America/Chicago,9,Cal Back,gold",
          "e2e-dnc,+12127105043,America/New_York,9,Dana Nocall,bronze",
          "bad-number,12345,America/New_York,5,Bad Number,x", // 7
          "e2e-customer,+12127105044,America/New_York,9,\"Carter, Already\",gold",
          "bad-zone,+12127105015,Mars/Base,5,Bad Zone,x", // 9
          "bad-priority,+12127105016,America/New_York,high,Bad Priority,x", // 10
          "e2e-busy,+12127300000,America/New_York,1,Bea Busy,x",
          "e2e-invalid,+12127600000,America/New_York,1,Ivan Invalid,x",
          "");

  private static AmiSimulator simulator;
  private static ActorTestKit testKit;
  private static ApiClient api;
  private static int port;

  @BeforeAll
  static void startNode() throws Exception {
    simulator =
        AmiSimulator.start(
            SimulatorSettings.defaults().withPort(0).withScriptPrefix("12127").withSeed(3));
    testKit = TestNodes.withSimulator("api_e2e", simulator);
    port = TestNodes.start(testKit);
    api = new ApiClient(port);
  }

  @AfterAll
  static void stopNode() {
    testKit.shutdownTestKit();
    simulator.close();
  }

  /** One message from one agent's channel: the agents' sockets share one inbox. */
  record Inbound(String agentId, JsonNode message) implements NoSerializationVerificationNeeded {
    String type() {
      return message.path("type").asText();
    }
  }

  @Test
  void aCampaignRunsFromCreationToFinishThroughThePublicApi() throws Exception {
    // ---- the admin creates a supervisor; the supervisor creates the campaign ----
    String admin =
        api.login(
            "admin",
            testKit.system().settings().config().getString("dialer.auth.bootstrap-admin.password"));
    expect(
        201,
        api.post(
            "/api/users",
            admin,
            Map.of("username", "sue", "password", "supervisor-pass-1", "role", "SUPERVISOR")));
    String supervisor = api.login("sue", "supervisor-pass-1");

    Response created = api.post("/api/campaigns", supervisor, campaignBody());
    expect(201, created);
    assertEquals("/api/campaigns/" + CAMPAIGN, created.header("Location").orElseThrow());
    assertEquals("DRAFT", created.json().get("status").asText());
    assertEquals("PROGRESSIVE", created.json().at("/config/pacing/mode").asText());

    // ---- leads as CSV: the good rows import, each bad row is named with its line ----
    Response imported =
        api.postRaw("/api/campaigns/" + CAMPAIGN + "/leads", supervisor, "text/csv", LEADS_CSV);
    expect(200, imported);
    assertEquals("DONE", imported.json().get("state").asText());
    assertEquals(SETTLED.size(), imported.json().get("accepted").asInt());
    assertEquals(4, imported.json().get("rejectedCount").asInt());
    assertEquals(
        List.of(
            "4 missing phone number",
            "7 not a valid E.164 number: 12***45",
            "9 unknown timezone: Mars/Base",
            "10 priority must be an integer, got 'high'"),
        rejections(imported.json()));
    JsonNode lead = expect(200, api.get("/api/leads/e2e-customer", supervisor)).json();
    assertEquals("Carter, Already", lead.at("/customFields/name").asText());
    assertEquals("QUEUED", lead.get("status").asText());
    expect(404, api.get("/api/leads/bad-zone", supervisor));

    // ---- the admin creates the agents, each with its own login ----
    Map<String, String> tokens = new HashMap<>();
    for (String agentId : AGENTS) {
      String username = agentId.substring("e2e-".length());
      Response agent =
          api.post(
              "/api/agents",
              admin,
              Map.of(
                  "id",
                  agentId,
                  "displayName",
                  "Agent " + username,
                  "phoneEndpoint",
                  "PJSIP/" + agentId,
                  "campaigns",
                  List.of(CAMPAIGN),
                  "username",
                  username,
                  "password",
                  username + "-password-1"));
      expect(201, agent);
      tokens.put(agentId, api.login(username, username + "-password-1"));
    }
    expect(403, api.post("/api/agents", supervisor, Map.of("id", "e2e-eve")));

    // ---- each agent connects its channel, logs in and goes ready over it ----
    TestProbe<Inbound> inbox = testKit.createTestProbe();
    Map<String, AgentSocket> sockets = new LinkedHashMap<>();
    SupervisorSocket stream = null;
    try {
      for (String agentId : AGENTS) {
        AgentSocket socket =
            AgentSocket.open(
                port,
                agentId,
                tokens.get(agentId),
                text -> inbox.getRef().tell(new Inbound(agentId, AgentSocket.parse(text))));
        sockets.put(agentId, socket);
        awaitState(inbox, agentId, "LOGGED_OUT");
        socket.send(Map.of("type", "login"));
        awaitState(inbox, agentId, "READY");
        socket.send(Map.of("type", "pause", "reason", "BREAK"));
        awaitState(inbox, agentId, "PAUSED");
        socket.send(Map.of("type", "ready"));
        awaitState(inbox, agentId, "READY");
      }

      // ---- the supervisor watches from before the start, then starts the campaign ----
      stream = SupervisorSocket.open(port, CAMPAIGN, "?access_token=" + supervisor);
      Response started = api.post("/api/campaigns/" + CAMPAIGN + "/start", supervisor, "");
      assertEquals("ACTIVE", expect(200, started).json().get("status").asText());

      // ---- the agents take the calls; the supervisor changes the pacing after the first ----
      Map<String, String> handledBy =
          workTheCalls(inbox, sockets, stream, supervisor, LIVE_DISPOSITIONS.size());
      assertEquals(LIVE_DISPOSITIONS.keySet(), handledBy.keySet());
      assertTrue(handledBy.values().containsAll(AGENTS), "both agents took calls: " + handledBy);

      // ---- every lead settles where its outcome sends it ----
      awaitLeadsSettled(supervisor);
      JsonNode callback = api.get("/api/leads/e2e-callback", supervisor).json();
      assertEquals("10:30", callback.at("/callback/localTime").asText().substring(11, 16));
      assertEquals("America/Chicago", callback.at("/callback/timezone").asText());
      JsonNode busy = api.get("/api/leads/e2e-busy", supervisor).json();
      assertEquals("BUSY", busy.at("/attempts/0/outcome").asText());
      assertTrue(Instant.parse(busy.get("nextAttemptAt").asText()).isAfter(Instant.now()));
      assertTrue(
          api.get("/api/leads/e2e-dnc/dnc", supervisor).json().get("dnc").asBoolean(),
          "the DNC request put the lead on the do-not-call list");

      // ---- the supervisor's stream showed stats, pacing, the agent board and every call ----
      assertStreamShowedTheRun(stream);

      // ---- statistics: live, hourly and the CSV export agree with what happened ----
      JsonNode stats = awaitStats(supervisor);
      assertStatsConsistent(stats);
      assertHourlyAndExport(supervisor, stats.at("/totals/dials").asInt());

      // ---- the agents log out over their sockets; the supervisor finishes the campaign ----
      for (Map.Entry<String, AgentSocket> socket : sockets.entrySet()) {
        socket.getValue().send(Map.of("type", "logout"));
        awaitState(inbox, socket.getKey(), "LOGGED_OUT");
      }
      Response finished =
          api.post(
              "/api/campaigns/" + CAMPAIGN + "/finish", supervisor, Map.of("reason", "list done"));
      assertEquals("FINISHED", expect(200, finished).json().get("status").asText());
      assertEquals(
          "FINISHED",
          api.get("/api/campaigns/" + CAMPAIGN, supervisor).json().get("status").asText());
      Response again = api.post("/api/campaigns/" + CAMPAIGN + "/resume", supervisor, "");
      assertEquals(409, again.status(), again.raw().body());
      assertEquals("application/problem+json", again.contentType());
      eventually(
          () -> {
            JsonNode page =
                api.get("/api/campaigns?status=FINISHED", supervisor).json().get("items");
            assertEquals(1, page.size(), page.toString());
            assertEquals(CAMPAIGN, page.get(0).get("id").asText());
            return null;
          });
    } finally {
      sockets.values().forEach(AgentSocket::close);
      if (stream != null) {
        stream.close();
      }
    }
  }

  // ---- the campaign ----

  /** Progressive, open around the clock, dialing the simulator's customers; both agents. */
  private static Map<String, Object> campaignBody() {
    Map<String, Object> allDay = Map.of("start", "00:00", "end", LocalTime.MAX.toString());
    Map<String, Object> window = new LinkedHashMap<>();
    for (DayOfWeek day : DayOfWeek.values()) {
      window.put(day.name(), allDay);
    }
    return Map.of(
        "id",
        CAMPAIGN,
        "name",
        "End to end",
        "config",
        Map.of(
            "dialStringTemplate",
            "Local/{number}@sim-customer",
            "callerId",
            "+12127363100",
            "pacing",
            Map.of("mode", "PROGRESSIVE"),
            // Room for a loaded machine: a slow bridge must not turn a live answer into an
            // abandon, and the customer (4 s of talk) must not hang up before the agent is on.
            "connectDeadlineMs",
            3500,
            "callingWindow",
            window,
            "assignedAgents",
            AGENTS));
  }

  // ---- the agents at work ----

  /**
   * Handles the agents' messages in arrival order until {@code calls} wrap-ups are completed:
   * checks each offer and connect carries the lead's data, answers each wrap-up with the lead's
   * planned disposition, and changes the pacing after the first completed call. Returns who took
   * each lead.
   */
  private static Map<String, String> workTheCalls(
      TestProbe<Inbound> inbox,
      Map<String, AgentSocket> sockets,
      SupervisorSocket stream,
      String supervisor,
      int calls)
      throws Exception {
    Map<String, String> leadOfAttempt = new HashMap<>();
    Map<String, String> handledBy = new TreeMap<>();
    int completed = 0;
    while (completed < calls) {
      Inbound in = inbox.receiveMessage(TIMEOUT);
      JsonNode m = in.message();
      switch (in.type()) {
        case "offer", "connected" -> {
          String leadId = m.at("/lead/leadId").asText();
          assertTrue(LIVE_DISPOSITIONS.containsKey(leadId), "only live calls reach agents: " + m);
          assertEquals(CAMPAIGN, m.get("campaignId").asText());
          assertFalse(m.at("/lead/name").asText().isEmpty(), "the lead's name: " + m);
          assertFalse(m.at("/lead/customFields/plan").asText().isEmpty(), "custom fields: " + m);
          String phone = m.at("/lead/phone").asText();
          // Masked to the last four digits; the live numbers end in 504x.
          assertTrue(phone.matches("\\+\\*+504\\d"), "masked: " + phone);
          leadOfAttempt.put(m.get("attemptId").asText(), leadId);
        }
        case "wrapup" -> {
          String attemptId = m.get("attemptId").asText();
          String leadId = leadOfAttempt.get(attemptId);
          assertNotNull(leadId, "wrap-up of an offered call: " + m);
          sockets.get(in.agentId()).send(disposition(attemptId, leadId));
        }
        case "wrapupCompleted" -> {
          String leadId = leadOfAttempt.get(m.get("attemptId").asText());
          assertEquals(LIVE_DISPOSITIONS.get(leadId), m.get("disposition").asText());
          assertFalse(m.get("byTimeout").asBoolean());
          handledBy.put(leadId, in.agentId());
          if (++completed == 1) {
            changePacingMidRun(stream, supervisor);
          }
        }
        case "error" -> throw new AssertionError("refused on " + in.agentId() + ": " + m);
        default -> {} // state, ended: nothing to answer
      }
    }
    return handledBy;
  }

  private static Map<String, Object> disposition(String attemptId, String leadId) {
    Map<String, Object> message = new HashMap<>();
    message.put("type", "disposition");
    message.put("attemptId", attemptId);
    message.put("disposition", LIVE_DISPOSITIONS.get(leadId));
    message.put("notes", "e2e " + leadId);
    if (leadId.equals("e2e-callback")) {
      // The customer's wall clock, tomorrow morning.
      LocalDate tomorrow = LocalDate.now(ZoneId.of("America/Chicago")).plusDays(1);
      message.put("callbackAt", tomorrow + "T10:30");
    }
    return message;
  }

  /**
   * The supervisor's lever: POWER pacing with two lines per agent. The change shows in the campaign
   * and in the dialer's next decisions; with two agents (fewer than the default minimum of three)
   * the TOO_FEW_AGENTS interlock keeps the dialer progressive, so the outcomes stay deterministic.
   */
  private static void changePacingMidRun(SupervisorSocket stream, String supervisor) {
    int mark = stream.mark();
    Response patched =
        api.patch(
            "/api/campaigns/" + CAMPAIGN + "/pacing",
            supervisor,
            Map.of("mode", "POWER", "powerRatio", 2.0, "maxLinesPerAgent", 2));
    JsonNode pacing = expect(200, patched).json().at("/config/pacing");
    assertEquals("POWER", pacing.get("mode").asText());
    assertEquals(2, pacing.get("maxLinesPerAgent").asInt());
    assertEquals(2.0, pacing.get("powerRatio").asDouble());
    assertEquals(
        "POWER",
        api.get("/api/campaigns/" + CAMPAIGN, supervisor)
            .json()
            .at("/config/pacing/mode")
            .asText());

    JsonNode decision =
        eventually(
            () -> {
              JsonNode first =
                  stream.ofTypeSince("pacing", mark).stream()
                      .filter(p -> p.get("requestedMode").asText().equals("POWER"))
                      .findFirst()
                      .orElseThrow(() -> new AssertionError("no POWER decision yet"));
              return first;
            });
    assertEquals("PROGRESSIVE", decision.get("mode").asText());
    assertTrue(
        decision.get("explain").asText().startsWith("PROGRESSIVE (requested POWER)"),
        decision.toString());
    List<String> interlocks = new ArrayList<>();
    decision.at("/decision/interlocks").forEach(i -> interlocks.add(i.asText()));
    assertTrue(interlocks.contains("TOO_FEW_AGENTS"), interlocks.toString());
  }

  /** Skips this agent's messages (and anything else in the inbox) until its status is reached. */
  private static void awaitState(TestProbe<Inbound> inbox, String agentId, String status) {
    inbox.fishForMessage(
        TIMEOUT,
        in ->
            in.agentId().equals(agentId)
                    && in.type().equals("state")
                    && in.message().get("status").asText().equals(status)
                ? FishingOutcomes.complete()
                : FishingOutcomes.continueAndIgnore());
  }

  // ---- what the supervisor sees ----

  private static void awaitLeadsSettled(String supervisor) {
    eventually(
        () -> {
          Map<String, String> statuses = new TreeMap<>();
          for (String leadId : SETTLED.keySet()) {
            statuses.put(
                leadId, api.get("/api/leads/" + leadId, supervisor).json().get("status").asText());
          }
          assertEquals(new TreeMap<>(SETTLED), statuses);
          return null;
        });
  }

  private static void assertStreamShowedTheRun(SupervisorSocket stream) {
    eventually(
        () -> {
          for (String leadId : LIVE_DISPOSITIONS.keySet()) {
            assertEquals(
                List.of("dialed", "answered", "connected", "ended", "dispositioned"),
                callSteps(stream, leadId),
                leadId);
          }
          assertTrue(callSteps(stream, "e2e-busy").contains("ended"));
          assertTrue(callSteps(stream, "e2e-invalid").contains("ended"));
          return null;
        });
    assertTrue(stream.ofType("stats").size() >= 2, "stats every second");
    assertFalse(stream.ofType("pacing").isEmpty());
    assertTrue(
        stream.ofType("agents").stream()
            .flatMap(a -> toList(a.get("agents")).stream())
            .anyMatch(a -> a.hasNonNull("call") && !a.get("state").asText().equals("READY")),
        "the board showed an agent with a call"); // ticks are 1 s apart, a call lasts about 2 s
    for (JsonNode call : stream.ofType("call")) {
      if (call.get("event").asText().equals("dispositioned")) {
        String leadId = call.get("leadId").asText();
        assertEquals(LIVE_DISPOSITIONS.get(leadId), call.get("disposition").asText());
        assertTrue(AGENTS.contains(call.get("agentId").asText()), call.toString());
      }
    }
  }

  private static List<String> callSteps(SupervisorSocket stream, String leadId) {
    return stream.ofType("call").stream()
        .filter(c -> c.get("leadId").asText().equals(leadId))
        .map(c -> c.get("event").asText())
        .toList();
  }

  /** The read model catches up with the journal a moment later. */
  private static JsonNode awaitStats(String supervisor) {
    return eventually(
        () -> {
          JsonNode stats =
              expect(200, api.get("/api/campaigns/" + CAMPAIGN + "/stats", supervisor)).json();
          assertEquals(LIVE_DISPOSITIONS.size(), stats.at("/totals/connects").asInt());
          assertEquals(
              Map.of("SUCCESS", 2, "FOLLOW_UP", 1, "UNSUCCESSFUL", 3, "NO_CONTACT", 1),
              counts(stats.get("dispositionsByCategory")));
          assertEquals(
              LIVE_DISPOSITIONS.size(),
              toList(stats.get("agents")).stream()
                  .mapToInt(a -> a.at("/time/callsHandled").asInt())
                  .sum());
          return stats;
        });
  }

  private static void assertStatsConsistent(JsonNode stats) {
    int dials = stats.at("/totals/dials").asInt();
    int connects = stats.at("/totals/connects").asInt();
    assertTrue(dials >= connects, "dials " + dials + " >= connects " + connects);
    assertEquals(SETTLED.size(), dials, "each lead dialed once");
    assertTrue(stats.at("/totals/liveAnswers").asInt() >= connects);
    assertEquals(0, stats.at("/totals/abandons").asInt());
    assertEquals(
        Map.of("COMPLETED", 5, "BUSY", 1, "INVALID_NUMBER", 1), counts(stats.get("outcomes")));
    assertEquals(1, stats.at("/dispositionsByCode/SALE").asInt());
    assertEquals(1, stats.at("/dispositionsByCode/CALLBACK").asInt());
    assertEquals("ACTIVE", stats.get("status").asText());
    assertEquals("POWER", stats.at("/dialer/pacing/requestedMode").asText());
    assertEquals("PROGRESSIVE", stats.at("/dialer/pacing/effectiveMode").asText());
    assertEquals(2, stats.at("/agentsByState/READY").asInt());
    assertTrue(stats.get("averageTalkSeconds").asDouble() > 0, "talk time accounted");
  }

  private static void assertHourlyAndExport(String supervisor, int dials) {
    String base = "/api/campaigns/" + CAMPAIGN + "/stats";
    JsonNode hours = expect(200, api.get(base + "/hourly", supervisor)).json().get("hours");
    assertEquals(dials, toList(hours).stream().mapToInt(h -> h.at("/funnel/dials").asInt()).sum());

    Response campaignCsv = expect(200, api.get(base + "/export.csv?by=campaign", supervisor));
    assertTrue(campaignCsv.contentType().startsWith("text/csv"), campaignCsv.contentType());
    List<String> rows = campaignCsv.raw().body().lines().toList();
    assertTrue(rows.get(0).startsWith("campaign_id,hour,dials,"), rows.get(0));
    assertTrue(rows.size() >= 2 && rows.get(1).startsWith(CAMPAIGN + ","), rows.toString());

    eventually(
        () -> {
          List<String> agentRows =
              expect(200, api.get(base + "/export.csv?by=agent", supervisor))
                  .raw()
                  .body()
                  .lines()
                  .toList();
          for (String agentId : AGENTS) {
            assertTrue(
                agentRows.stream().anyMatch(r -> r.startsWith(agentId + "," + CAMPAIGN + ",")),
                agentId + " in " + agentRows);
          }
          return null;
        });
  }

  // ---- small helpers ----

  /** Retries {@code check} until it passes: the read side follows the journal a moment later. */
  private static <T> T eventually(Creator<T> check) {
    return testKit.<T>createTestProbe().awaitAssert(TIMEOUT, Duration.ofMillis(200), check);
  }

  private static Response expect(int status, Response response) {
    assertEquals(status, response.status(), response.raw().body());
    return response;
  }

  private static List<String> rejections(JsonNode result) {
    return toList(result.get("rejected")).stream()
        .map(r -> r.get("line").asInt() + " " + r.get("reason").asText())
        .toList();
  }

  /** The non-zero counts of a JSON object of numbers. */
  private static Map<String, Integer> counts(JsonNode object) {
    Map<String, Integer> counts = new TreeMap<>();
    object
        .fields()
        .forEachRemaining(
            e -> {
              if (e.getValue().asInt() != 0) {
                counts.put(e.getKey(), e.getValue().asInt());
              }
            });
    return counts;
  }

  private static List<JsonNode> toList(JsonNode array) {
    List<JsonNode> list = new ArrayList<>();
    array.forEach(list::add);
    return list;
  }
}
