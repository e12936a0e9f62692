package com.welcomedly.dialer.api.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.welcomedly.dialer.api.ApiClient;
import com.welcomedly.dialer.api.ApiClient.Response;
import com.welcomedly.dialer.api.TestNodes;
import com.welcomedly.dialer.api.auth.AccessTokens;
import com.welcomedly.dialer.engine.identity.User.Role;
import com.welcomedly.dialer.engine.persistence.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Accounts under attack, through the real HTTP API of one node: tokens die with the account, the
 * password rules, and agent creation that is exactly-once under a 50-way race.
 */
@ExtendWith(LogCapturingExtension.class)
class HostileAccountsIntegrationTest {

  private static final String ADMIN_PASSWORD = "admin-test-password"; // application-test.conf
  private static final String SECRET = "test-secret-not-for-production-0123456789";
  private static ActorTestKit testKit;
  private static ApiClient api;
  private static String admin;

  @BeforeAll
  static void startNode() throws Exception {
    testKit = ActorTestKit.create("dialer", TestDatabase.config(TestDatabase.fresh("accounts")));
    api = new ApiClient(TestNodes.start(testKit));
    admin = api.login("admin", ADMIN_PASSWORD);
    assertEquals(
        201,
        api.post(
                "/api/campaigns",
                admin,
                Map.of(
                    "id",
                    "acc-c",
                    "name",
                    "Accounts",
                    "config",
                    Map.of("dialStringTemplate", "Local/{number}@out", "callerId", "+12125550100")))
            .status());
  }

  @AfterAll
  static void stopNode() {
    testKit.shutdownTestKit();
  }

  private static void createUser(String username, String password, String role) {
    Response r =
        api.post(
            "/api/users", admin, Map.of("username", username, "password", password, "role", role));
    assertEquals(201, r.status(), r.raw().body());
  }

  private static int me(String token) {
    return api.get("/api/auth/me", token).status();
  }

  @Test
  void disablingAnAccountRevokesItsTokensAndEnablingDoesNotRevive() {
    createUser("dora", "dora-password-1", "SUPERVISOR");
    String token = api.login("dora", "dora-password-1");
    assertEquals(200, me(token));
    assertEquals(200, api.post("/api/users/dora/disable", admin, null).status());
    Response revoked = api.get("/api/auth/me", token);
    assertEquals(401, revoked.status());
    assertEquals(
        "this token has been revoked: log in again", revoked.json().get("detail").asText());
    assertEquals(200, api.post("/api/users/dora/enable", admin, null).status());
    assertEquals(401, me(token), "a token from before the disable stays dead");
    assertEquals(200, me(api.login("dora", "dora-password-1")));
  }

  @Test
  void aDemotedSupervisorLosesSupervisorAccessAtOnce() {
    createUser("sven", "sven-password-1", "SUPERVISOR");
    String token = api.login("sven", "sven-password-1");
    assertEquals(200, api.get("/api/campaigns", token).status());
    Response demoted =
        api.put("/api/users/sven/role", admin, Map.of("role", "AGENT", "agentId", "ag-sven"));
    assertEquals(200, demoted.status(), demoted.raw().body());
    assertEquals(401, api.get("/api/campaigns", token).status());
    assertEquals(403, api.get("/api/campaigns", api.login("sven", "sven-password-1")).status());
  }

  @Test
  void changingTheOwnPasswordNeedsTheCurrentOneAndRevokesOldTokens() {
    createUser("pia", "pia-password-1", "SUPERVISOR");
    String token = api.login("pia", "pia-password-1");
    Response missing =
        api.put("/api/users/pia/password", token, Map.of("password", "pia-password-2"));
    assertEquals(400, missing.status());
    assertTrue(missing.raw().body().contains("currentPassword"), missing.raw().body());
    Response wrong =
        api.put(
            "/api/users/pia/password",
            token,
            Map.of("password", "pia-password-2", "currentPassword", "not-her-password"));
    assertEquals(403, wrong.status());
    Response changed =
        api.put(
            "/api/users/pia/password",
            token,
            Map.of("password", "pia-password-2", "currentPassword", "pia-password-1"));
    assertEquals(200, changed.status(), changed.raw().body());
    assertEquals(401, me(token), "the token from before the change is revoked");
    // An admin resets another user's password without knowing it.
    assertEquals(
        200,
        api.put("/api/users/pia/password", admin, Map.of("password", "pia-password-3")).status());
    assertEquals(200, me(api.login("pia", "pia-password-3")));
  }

  @Test
  void thePasswordPolicyRefusesCommonAndBlankPasswords() {
    for (String weak :
        List.of("password", "12345678", "        ", "PassWord1", "qwertyuiop", "hugo-user")) {
      Response r =
          api.post(
              "/api/users",
              admin,
              Map.of("username", "hugo-user", "password", weak, "role", "SUPERVISOR"));
      assertEquals(400, r.status(), weak + ": " + r.raw().body());
      assertTrue(r.raw().body().contains("\"password\""), r.raw().body());
    }
  }

  @Test
  void forgedButValidlySignedTokensAreRefused() {
    ObjectMapper mapper =
        new ObjectMapper().registerModule(new Jdk8Module()).registerModule(new JavaTimeModule());
    AccessTokens tokens = new AccessTokens(SECRET, Duration.ofHours(12), Clock.systemUTC(), mapper);
    // A user that does not exist, with a correct signature.
    assertEquals(401, me(tokens.issue("ghost-user", Role.ADMIN, Optional.empty(), 0)));
    // The admin with a role it does not have and with a stale version.
    assertEquals(401, me(tokens.issue("admin", Role.SUPERVISOR, Optional.empty(), 0)));
    assertEquals(401, me(tokens.issue("admin", Role.ADMIN, Optional.empty(), 7)));
    // A token lasting longer than the configured ttl.
    AccessTokens longLived =
        new AccessTokens(SECRET, Duration.ofDays(36500), Clock.systemUTC(), mapper);
    assertEquals(401, me(longLived.issue("admin", Role.ADMIN, Optional.empty(), 0)));
    assertEquals(200, me(tokens.issue("admin", Role.ADMIN, Optional.empty(), 0)));
  }

  @Test
  void aDisabledAccountWithTheRightPasswordGetsTheSameAnswerAsAWrongPassword() {
    createUser("dina", "dina-password-1", "SUPERVISOR");
    assertEquals(200, api.post("/api/users/dina/disable", admin, null).status());
    Response disabled =
        api.post(
            "/api/auth/login", null, Map.of("username", "dina", "password", "dina-password-1"));
    Response wrong =
        api.post("/api/auth/login", null, Map.of("username", "dina", "password", "wrong-password"));
    Response unknown =
        api.post(
            "/api/auth/login", null, Map.of("username", "nobody-here", "password", "x-password"));
    assertEquals(401, disabled.status());
    assertEquals(wrong.json().get("detail"), disabled.json().get("detail"));
    assertEquals(unknown.json().get("detail"), disabled.json().get("detail"));
  }

  @Test
  void fiftyIdenticalAgentCreationsGiveExactlyOne201() throws Exception {
    Map<String, Object> body =
        Map.of(
            "id",
            "race-1",
            "displayName",
            "Racer",
            "phoneEndpoint",
            "PJSIP/race1",
            "campaigns",
            List.of("acc-c"));
    Map<Integer, Integer> statuses = race(i -> body);
    assertEquals(1, statuses.getOrDefault(201, 0), statuses.toString());
    assertEquals(49, statuses.getOrDefault(409, 0), statuses.toString());
  }

  @Test
  void fiftyDifferentCreationsOfOneAgentGiveOne201AndNo5xx() throws Exception {
    Map<Integer, Integer> statuses =
        race(
            i -> {
              Map<String, Object> body = new HashMap<>();
              body.put("id", "race-2");
              body.put("displayName", "Racer " + i);
              body.put("phoneEndpoint", "PJSIP/race" + i);
              body.put("campaigns", List.of("acc-c"));
              if (i % 2 == 0) {
                body.put("username", "racer-" + i);
                body.put("password", "racer-password-" + i);
              }
              return body;
            });
    assertEquals(1, statuses.getOrDefault(201, 0), statuses.toString());
    assertTrue(statuses.keySet().stream().allMatch(s -> s < 500), statuses.toString());
  }

  private interface Bodies {
    Map<String, Object> of(int i);
  }

  private static Map<Integer, Integer> race(Bodies bodies) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(50);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<CompletableFuture<Integer>> results = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        int n = i;
        results.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    start.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  return api.post("/api/agents", admin, bodies.of(n)).status();
                },
                pool));
      }
      start.countDown();
      Map<Integer, Integer> statuses = new HashMap<>();
      for (CompletableFuture<Integer> r : results) {
        statuses.merge(r.get(60, TimeUnit.SECONDS), 1, Integer::sum);
      }
      return statuses;
    } finally {
      pool.shutdownNow();
    }
  }
}
