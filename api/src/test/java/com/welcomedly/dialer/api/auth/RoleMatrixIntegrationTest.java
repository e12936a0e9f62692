package com.welcomedly.dialer.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.welcomedly.dialer.api.ApiClient;
import com.welcomedly.dialer.api.ApiClient.Response;
import com.welcomedly.dialer.api.TestNodes;
import com.welcomedly.dialer.engine.persistence.TestDatabase;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Who may call what: every endpoint group (users, campaigns, stats, leads, imports, agents) against
 * every caller (no token, admin, supervisor, the agent the path names, another agent). A row names
 * the rule; "allowed" means neither 401 nor 403 (the answer may still be 400/404/409 for the
 * minimal bodies used here, which keep the matrix free of side effects on other rows) and never a
 * 5xx.
 */
@ExtendWith(LogCapturingExtension.class)
class RoleMatrixIntegrationTest {

  enum Caller {
    NONE,
    ADMIN,
    SUPERVISOR,
    AGENT_SELF,
    AGENT_OTHER
  }

  /** Which callers an endpoint admits; everyone else with a token gets 403, without one 401. */
  enum Rule {
    ADMIN(Caller.ADMIN),
    STAFF(Caller.ADMIN, Caller.SUPERVISOR),
    ANY(Caller.ADMIN, Caller.SUPERVISOR, Caller.AGENT_SELF, Caller.AGENT_OTHER),
    /** Admins and supervisors act for any agent; an agent only for itself. */
    AGENT_SELF(Caller.ADMIN, Caller.SUPERVISOR, Caller.AGENT_SELF),
    /** A user account: its owner or an admin. */
    ACCOUNT_OWNER(Caller.ADMIN, Caller.AGENT_SELF);

    final List<Caller> allowed;

    Rule(Caller... allowed) {
      this.allowed = List.of(allowed);
    }
  }

  record Endpoint(String group, String method, String path, Object body, Rule rule) {
    @Override
    public String toString() {
      return group + " " + method + " " + path;
    }
  }

  private static final String SELF = "ag-self"; // agent id; its user is "agent-self"
  private static final String CAMPAIGN = "c-matrix";

  private static final List<Endpoint> ENDPOINTS =
      List.of(
          new Endpoint("users", "POST", "/api/users", Map.of(), Rule.ADMIN),
          new Endpoint("users", "GET", "/api/users/agent-self", null, Rule.ACCOUNT_OWNER),
          new Endpoint(
              "users", "PUT", "/api/users/agent-self/password", Map.of(), Rule.ACCOUNT_OWNER),
          new Endpoint("users", "PUT", "/api/users/agent-self/role", Map.of(), Rule.ADMIN),
          new Endpoint("users", "POST", "/api/users/ghost-user/disable", null, Rule.ADMIN),
          new Endpoint("users", "GET", "/api/auth/me", null, Rule.ANY),
          new Endpoint("campaigns", "POST", "/api/campaigns", Map.of(), Rule.STAFF),
          new Endpoint("campaigns", "GET", "/api/campaigns", null, Rule.STAFF),
          new Endpoint("campaigns", "GET", "/api/campaigns/" + CAMPAIGN, null, Rule.ANY),
          new Endpoint(
              "campaigns", "PUT", "/api/campaigns/" + CAMPAIGN + "/config", Map.of(), Rule.STAFF),
          new Endpoint(
              "campaigns", "PATCH", "/api/campaigns/" + CAMPAIGN + "/pacing", Map.of(), Rule.STAFF),
          new Endpoint("campaigns", "POST", "/api/campaigns/ghost/start", null, Rule.STAFF),
          new Endpoint("campaigns", "POST", "/api/campaigns/ghost/pause", null, Rule.STAFF),
          new Endpoint("campaigns", "POST", "/api/campaigns/ghost/resume", null, Rule.STAFF),
          new Endpoint("campaigns", "POST", "/api/campaigns/ghost/finish", null, Rule.STAFF),
          new Endpoint(
              "campaigns", "GET", "/api/campaigns/" + CAMPAIGN + "/history", null, Rule.STAFF),
          new Endpoint("stats", "GET", "/api/campaigns/" + CAMPAIGN + "/stats", null, Rule.STAFF),
          new Endpoint(
              "stats", "GET", "/api/campaigns/" + CAMPAIGN + "/stats/hourly", null, Rule.STAFF),
          new Endpoint(
              "stats", "GET", "/api/campaigns/" + CAMPAIGN + "/stats/export.csv", null, Rule.STAFF),
          // Not an upgrade request either: the gate answers first, then the route refuses it.
          new Endpoint("stats", "GET", "/api/campaigns/" + CAMPAIGN + "/stream", null, Rule.STAFF),
          new Endpoint("leads", "GET", "/api/leads/ghost-lead", null, Rule.ANY),
          new Endpoint("leads", "GET", "/api/leads/ghost-lead/dnc", null, Rule.STAFF),
          new Endpoint("leads", "POST", "/api/leads/ghost-lead/dnc", null, Rule.STAFF),
          new Endpoint("imports", "POST", "/api/campaigns/ghost/leads", Map.of(), Rule.STAFF),
          new Endpoint("imports", "GET", "/api/imports/ghost-job", null, Rule.STAFF),
          new Endpoint("agents", "POST", "/api/agents", Map.of(), Rule.ADMIN),
          new Endpoint("agents", "GET", "/api/agents", null, Rule.STAFF),
          new Endpoint("agents", "GET", "/api/agents/" + SELF, null, Rule.AGENT_SELF),
          new Endpoint("agents", "PUT", "/api/agents/" + SELF, Map.of(), Rule.ADMIN),
          new Endpoint("agents", "PATCH", "/api/agents/" + SELF, Map.of(), Rule.ADMIN),
          new Endpoint("agents", "POST", "/api/agents/" + SELF + "/login", null, Rule.AGENT_SELF),
          new Endpoint(
              "agents", "POST", "/api/agents/" + SELF + "/heartbeat", null, Rule.AGENT_SELF),
          new Endpoint(
              "agents",
              "POST",
              "/api/agents/" + SELF + "/pause",
              Map.of("reason", "BREAK"),
              Rule.AGENT_SELF),
          new Endpoint("agents", "POST", "/api/agents/" + SELF + "/ready", null, Rule.AGENT_SELF),
          new Endpoint(
              "agents", "POST", "/api/agents/" + SELF + "/disposition", Map.of(), Rule.AGENT_SELF),
          new Endpoint("agents", "POST", "/api/agents/" + SELF + "/logout", null, Rule.AGENT_SELF),
          new Endpoint(
              "agents",
              "POST",
              "/api/agents/" + SELF + "/preview/dial",
              Map.of("attemptId", "none"),
              Rule.AGENT_SELF),
          new Endpoint(
              "agents",
              "POST",
              "/api/agents/" + SELF + "/preview/skip",
              Map.of("attemptId", "none"),
              Rule.AGENT_SELF),
          // Not an upgrade request: past the gate it is a 400, which is "allowed" here.
          new Endpoint("agents", "GET", "/api/agents/" + SELF + "/ws", null, Rule.AGENT_SELF));

  private static ActorTestKit testKit;
  private static ApiClient api;
  private static final Map<Caller, String> TOKENS = new EnumMap<>(Caller.class);

  @BeforeAll
  static void startNode() throws Exception {
    testKit = ActorTestKit.create("dialer", TestDatabase.config(TestDatabase.fresh("roles")));
    int port = TestNodes.start(testKit);
    api = new ApiClient(port);
    String admin = api.login("admin", "admin-test-password");
    expectCreated(
        api.post(
            "/api/campaigns",
            admin,
            Map.of(
                "id",
                CAMPAIGN,
                "name",
                "Matrix",
                "config",
                Map.of("dialStringTemplate", "Local/{number}@out", "callerId", "+12125550100"))));
    expectCreated(
        api.post(
            "/api/users",
            admin,
            Map.of("username", "sup", "password", "supervisor-pass", "role", "SUPERVISOR")));
    for (String name : List.of("self", "other")) {
      expectCreated(
          api.post(
              "/api/agents",
              admin,
              Map.of(
                  "id", "ag-" + name,
                  "displayName", name,
                  "phoneEndpoint", "PJSIP/ag-" + name,
                  "username", "agent-" + name,
                  "password", "agent-pass-" + name)));
    }
    TOKENS.put(Caller.ADMIN, admin);
    TOKENS.put(Caller.SUPERVISOR, api.login("sup", "supervisor-pass"));
    TOKENS.put(Caller.AGENT_SELF, api.login("agent-self", "agent-pass-self"));
    TOKENS.put(Caller.AGENT_OTHER, api.login("agent-other", "agent-pass-other"));
  }

  @AfterAll
  static void stopNode() {
    testKit.shutdownTestKit();
  }

  static Stream<Arguments> matrix() {
    List<Arguments> rows = new ArrayList<>();
    for (Endpoint endpoint : ENDPOINTS) {
      for (Caller caller : Caller.values()) {
        rows.add(Arguments.of(endpoint, caller));
      }
    }
    return rows.stream();
  }

  @ParameterizedTest(name = "{0} as {1}")
  @MethodSource("matrix")
  void eachCallerGetsWhatTheRuleSays(Endpoint endpoint, Caller caller) {
    Response response =
        api.request(endpoint.method(), endpoint.path(), TOKENS.get(caller), endpoint.body());
    String what = endpoint + " as " + caller + ": " + response.raw().body();
    assertTrue(response.status() < 500, what);
    if (caller == Caller.NONE) {
      assertEquals(401, response.status(), what);
    } else if (endpoint.rule().allowed.contains(caller)) {
      assertTrue(response.status() != 401 && response.status() != 403, what);
    } else {
      assertEquals(403, response.status(), what);
      assertEquals("application/problem+json", response.contentType(), what);
    }
  }

  private static void expectCreated(Response response) {
    assertEquals(201, response.status(), response.raw().body());
  }
}
