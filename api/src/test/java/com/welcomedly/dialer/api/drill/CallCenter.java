package com.welcomedly.dialer.api.drill;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The people in the drill, over the public API only: an admin creates a progressive campaign on the
 * simulator's customers, imports leads and creates agents; each agent logs in, goes ready and gives
 * a disposition to every call it wraps up. Every disposition the API acknowledged (2xx) is kept, so
 * the drill can prove none was lost. Agents poll their own state over REST, through whichever node
 * answers.
 */
final class CallCenter implements AutoCloseable {
  static final String CAMPAIGN = "drill";
  static final String DISPOSITION = "NOT_INTERESTED";

  /** A disposition the API acknowledged. */
  record Acknowledged(String agentId, String attemptId, String leadId, Instant at) {}

  /** An agent seen ON_CALL on one attempt since {@code since}. */
  private record OnCall(String attemptId, String leadId, Instant since) {}

  private final Rest rest;
  private final List<String> agents = new ArrayList<>();
  private final Map<String, String> tokens = new ConcurrentHashMap<>();
  private final List<Acknowledged> acknowledged = new CopyOnWriteArrayList<>();
  private final Set<String> disposed = ConcurrentHashMap.newKeySet();
  private final Map<String, OnCall> onCall = new ConcurrentHashMap<>();
  private final ScheduledExecutorService loop = Executors.newScheduledThreadPool(3);
  private String admin;

  CallCenter(Rest rest, int agentCount) {
    this.rest = rest;
    for (int i = 1; i <= agentCount; i++) {
      agents.add(String.format("ag%02d", i));
    }
  }

  Rest rest() {
    return rest;
  }

  String adminToken() {
    return admin;
  }

  List<String> agents() {
    return agents;
  }

  /** Campaign, leads and agents; every agent logged in and READY. */
  void setUp(int leads) {
    admin = rest.login("admin", NodeProcess.ADMIN_PASSWORD);
    create("/api/campaigns", campaign(), "create campaign");
    importLeads(leads);
    for (String agentId : agents) {
      create(
          "/api/agents",
          Map.of(
              "id",
              agentId,
              "displayName",
              "Agent " + agentId,
              "phoneEndpoint",
              "PJSIP/" + agentId,
              "campaigns",
              List.of(CAMPAIGN),
              "username",
              agentId,
              "password",
              agentId + "-password-1"),
          "create agent " + agentId);
      tokens.put(agentId, rest.login(agentId, agentId + "-password-1"));
      expectOk(rest.post("/api/agents/" + agentId + "/login", tokens.get(agentId), ""), "login");
    }
  }

  /**
   * Imports in batches of 100 and sends a batch again when a busy node refused rows (an entity ask
   * that timed out), so the drill always runs on the same leads. Importing a lead again before the
   * campaign starts only stores the same data again.
   */
  private void importLeads(int leads) {
    for (int from = 0; from < leads; from += 100) {
      StringBuilder csv = new StringBuilder("id,phone,timezone,priority\n");
      for (int i = from; i < Math.min(leads, from + 100); i++) {
        csv.append(String.format("d-%04d,+1212710%04d,America/New_York,5%n", i, i));
      }
      for (int round = 0; round < 5; round++) {
        Rest.Reply imported =
            rest.postRaw(
                "/api/campaigns/" + CAMPAIGN + "/leads", admin, "text/csv", csv.toString());
        if (imported.ok() && onlyKnownLeadsRefused(imported.json())) {
          break;
        }
        String body = imported.body();
        System.out.println(
            "[drill] import batch "
                + from
                + " refused rows, again: "
                + body.substring(0, Math.min(300, body.length())));
      }
    }
  }

  /** Every refused row names a lead that exists: stored by an earlier, timed-out attempt. */
  private static boolean onlyKnownLeadsRefused(JsonNode imported) {
    int exists = 0;
    for (JsonNode rejection : imported.path("rejected")) {
      exists += rejection.path("reason").asText().endsWith(" exists") ? 1 : 0;
    }
    return imported.path("rejectedCount").asInt() == exists;
  }

  /** Starts the campaign and the agents' work loops. */
  void start() {
    expectOk(rest.post("/api/campaigns/" + CAMPAIGN + "/start", admin, ""), "start campaign");
    for (String agentId : agents) {
      loop.scheduleWithFixedDelay(() -> work(agentId), 0, 300, TimeUnit.MILLISECONDS);
    }
  }

  void pauseCampaign() {
    Await.until(
        "campaign paused",
        Duration.ofSeconds(30),
        () -> rest.post("/api/campaigns/" + CAMPAIGN + "/pause", admin, Map.of()).ok());
  }

  List<Acknowledged> acknowledged() {
    return List.copyOf(acknowledged);
  }

  /** Agents ON_CALL for longer than {@code longerThan} right now, with their attempt and lead. */
  Map<String, String> longOnCall(Duration longerThan) {
    Map<String, String> found = new LinkedHashMap<>();
    Instant limit = Instant.now().minus(longerThan);
    onCall.forEach(
        (agentId, call) -> {
          if (call.since().isBefore(limit)) {
            found.put(agentId, call.attemptId() + "@" + call.leadId());
          }
        });
    return found;
  }

  /** One poll of one agent: go ready when paused or logged out, dispose of every wrap-up. */
  private void work(String agentId) {
    try {
      String token = tokens.get(agentId);
      Rest.Reply me = rest.get("/api/agents/" + agentId, token);
      if (!me.ok() || me.json() == null) {
        return;
      }
      String status = me.json().path("status").asText();
      JsonNode call = me.json().path("call");
      if ("ON_CALL".equals(status)) {
        String attemptId = call.path("attemptId").asText();
        OnCall seen = onCall.get(agentId);
        if (seen == null || !seen.attemptId().equals(attemptId)) {
          onCall.put(agentId, new OnCall(attemptId, call.path("leadId").asText(), Instant.now()));
        }
        return;
      }
      onCall.remove(agentId);
      switch (status) {
        case "LOGGED_OUT" -> rest.post("/api/agents/" + agentId + "/login", token, "");
        case "PAUSED" -> rest.post("/api/agents/" + agentId + "/ready", token, "");
        case "WRAP_UP" -> dispose(agentId, token, call);
        default -> {}
      }
    } catch (RuntimeException e) {
      // A node died under the request: the next poll goes to another one.
    }
  }

  private void dispose(String agentId, String token, JsonNode call) {
    String attemptId = call.path("attemptId").asText();
    if (disposed.contains(attemptId)) {
      return;
    }
    Rest.Reply reply =
        rest.post(
            "/api/agents/" + agentId + "/disposition",
            token,
            Map.of("attemptId", attemptId, "disposition", DISPOSITION, "notes", "drill"));
    if (reply.ok()) {
      disposed.add(attemptId);
      acknowledged.add(
          new Acknowledged(agentId, attemptId, call.path("leadId").asText(), Instant.now()));
    }
  }

  /** Progressive (never abandons by design), open around the clock, on the simulator. */
  private Map<String, Object> campaign() {
    Map<String, Object> allDay = Map.of("start", "00:00", "end", LocalTime.MAX.toString());
    Map<String, Object> window = new LinkedHashMap<>();
    for (DayOfWeek day : DayOfWeek.values()) {
      window.put(day.name(), allDay);
    }
    return Map.of(
        "id",
        CAMPAIGN,
        "name",
        "Fault drill",
        "config",
        Map.of(
            "dialStringTemplate",
            "Local/{number}@sim-customer",
            "callerId",
            "+12127363100",
            "pacing",
            Map.of("mode", "PROGRESSIVE"),
            "connectDeadlineMs",
            3500,
            "wrapUpTimeoutSeconds",
            300,
            "callingWindow",
            window,
            "assignedAgents",
            agents));
  }

  /**
   * Creates as an operator's script would on a node that is still settling: a 503 ("retry later")
   * is sent again, and a 409 after such a retry means the first attempt landed.
   */
  private void create(String path, Object body, String what) {
    Rest.Reply[] last = new Rest.Reply[1];
    int[] attempts = new int[1];
    Await.until(
        what,
        Duration.ofSeconds(90),
        () -> {
          attempts[0]++;
          last[0] = rest.post(path, admin, body);
          return last[0].status() != 503;
        });
    if (!(last[0].status() == 409 && attempts[0] > 1)) {
      expectOk(last[0], what);
    }
  }

  private static void expectOk(Rest.Reply reply, String what) {
    if (!reply.ok()) {
      throw new AssertionError(what + " failed: " + reply.status() + " " + reply.body());
    }
  }

  @Override
  public void close() {
    loop.shutdownNow();
  }
}
