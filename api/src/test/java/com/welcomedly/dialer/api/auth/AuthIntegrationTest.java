package com.welcomedly.dialer.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.welcomedly.dialer.api.ApiClient;
import com.welcomedly.dialer.api.ApiClient.Response;
import com.welcomedly.dialer.api.Main;
import com.welcomedly.dialer.api.TestNodes;
import com.welcomedly.dialer.engine.persistence.TestDatabase;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Login, tokens, roles and user administration through the real HTTP API and real PostgreSQL. */
@ExtendWith(LogCapturingExtension.class)
class AuthIntegrationTest {

  private static final String ADMIN_PASSWORD = "admin-test-password"; // application-test.conf
  private static ActorTestKit testKit;
  private static ApiClient api;
  private static String adminToken;

  @BeforeAll
  static void startNode() throws Exception {
    testKit = ActorTestKit.create("dialer", TestDatabase.config(TestDatabase.fresh("auth")));
    int port =
        Main.init(testKit.system())
            .toCompletableFuture()
            .get(20, TimeUnit.SECONDS)
            .localAddress()
            .getPort();
    api = new ApiClient(port);
    TestNodes.awaitBootstrapAdmin(testKit);
    adminToken = api.login("admin", ADMIN_PASSWORD);
  }

  @AfterAll
  static void stopNode() {
    testKit.shutdownTestKit();
  }

  @Test
  void theTokenSaysWhoTheCallerIs() {
    Response me = api.get("/api/auth/me", adminToken);
    assertEquals(200, me.status());
    assertEquals("admin", me.json().get("username").asText());
    assertEquals("ADMIN", me.json().get("role").asText());
  }

  @Test
  void wrongPasswordAndUnknownUserGetTheSameAnswer() {
    Response wrong =
        api.post("/api/auth/login", null, Map.of("username", "admin", "password", "nope-nope"));
    Response unknown =
        api.post("/api/auth/login", null, Map.of("username", "nobody", "password", "nope-nope"));
    for (Response response : new Response[] {wrong, unknown}) {
      assertEquals(401, response.status());
      assertEquals("application/problem+json", response.contentType());
      assertEquals("invalid username or password", response.json().get("detail").asText());
    }
  }

  @Test
  void aLoginWithoutFieldsIsABadRequestWithFieldErrors() {
    Response response = api.post("/api/auth/login", null, Map.of());
    assertEquals(400, response.status());
    assertEquals(Set.of("username", "password"), fields(response));
  }

  @Test
  void malformedJsonIsABadRequestProblem() {
    Response response = api.postRaw("/api/auth/login", null, "application/json", "{not json");
    assertEquals(400, response.status());
    assertEquals("application/problem+json", response.contentType());
  }

  @Test
  void protectedEndpointsNeedAValidToken() {
    Response missing = api.get("/api/auth/me", null);
    assertEquals(401, missing.status());
    assertEquals("Bearer realm=\"dialer\"", missing.header("WWW-Authenticate").orElseThrow());
    assertEquals(401, api.get("/api/auth/me", "v1.garbage.token").status());
    String tampered = adminToken.substring(0, adminToken.length() - 2) + "xx";
    assertEquals(401, api.get("/api/auth/me", tampered).status());
  }

  @Test
  void adminsCreateUsersAndEachRoleSeesOnlyWhatItMay() {
    Response created =
        api.post(
            "/api/users",
            adminToken,
            Map.of("username", "sam", "password", "supervisor-pass", "role", "SUPERVISOR"));
    assertEquals(201, created.status(), created.raw().body());
    assertEquals("SUPERVISOR", created.json().get("role").asText());
    assertEquals("admin", created.json().get("createdBy").asText());
    assertTrue(created.json().path("passwordHash").isMissingNode());

    Response agent =
        api.post(
            "/api/users",
            adminToken,
            Map.of(
                "username",
                "ann",
                "password",
                "agent-pass-1",
                "role",
                "agent",
                "agentId",
                "a-101"));
    assertEquals(201, agent.status(), agent.raw().body());

    assertEquals(
        409,
        api.post(
                "/api/users",
                adminToken,
                Map.of("username", "sam", "password", "another-pass", "role", "ADMIN"))
            .status());

    String supervisorToken = api.login("sam", "supervisor-pass");
    String agentToken = api.login("ann", "agent-pass-1");
    Response agentMe = api.get("/api/auth/me", agentToken);
    assertEquals("a-101", agentMe.json().get("agentId").asText());

    // Only admins create users.
    Map<String, String> newUser =
        Map.of("username", "zed", "password", "zed-password", "role", "ADMIN");
    Response bySupervisor = api.post("/api/users", supervisorToken, newUser);
    assertEquals(403, bySupervisor.status());
    assertTrue(bySupervisor.json().get("detail").asText().contains("SUPERVISOR"));
    assertEquals(403, api.post("/api/users", agentToken, newUser).status());

    // Everyone reads their own account; only admins read others'.
    assertEquals(200, api.get("/api/users/ann", agentToken).status());
    assertEquals(403, api.get("/api/users/sam", agentToken).status());
    assertEquals(200, api.get("/api/users/ann", adminToken).status());
    assertEquals(404, api.get("/api/users/nobody", adminToken).status());
  }

  @Test
  void invalidUsersAreRejectedFieldByField() {
    Response response =
        api.post(
            "/api/users",
            adminToken,
            Map.of("username", "Bad Name", "password", "short", "role", "KING"));
    assertEquals(400, response.status());
    assertEquals(Set.of("username", "password", "role"), fields(response));

    Response agentWithoutId =
        api.post(
            "/api/users",
            adminToken,
            Map.of("username", "lone", "password", "long-enough", "role", "AGENT"));
    assertEquals(Set.of("agentId"), fields(agentWithoutId));
  }

  @Test
  void usersChangeTheirOwnPasswordAndAdminsDisableAccounts() {
    api.post(
        "/api/users",
        adminToken,
        Map.of("username", "pat", "password", "first-password", "role", "SUPERVISOR"));
    String patToken = api.login("pat", "first-password");
    assertEquals(
        200,
        api.put(
                "/api/users/pat/password",
                patToken,
                Map.of("password", "second-password", "currentPassword", "first-password"))
            .status());
    assertEquals(
        401,
        api.post("/api/auth/login", null, Map.of("username", "pat", "password", "first-password"))
            .status());
    api.login("pat", "second-password");

    assertEquals(200, api.post("/api/users/pat/disable", adminToken, Map.of()).status());
    Response disabled =
        api.post("/api/auth/login", null, Map.of("username", "pat", "password", "second-password"));
    assertEquals(401, disabled.status());
    // The same answer as a wrong password: a login does not reveal that the account is disabled.
    assertEquals("invalid username or password", disabled.json().get("detail").asText());
    assertEquals(409, api.post("/api/users/pat/disable", adminToken, Map.of()).status());
    assertEquals(200, api.post("/api/users/pat/enable", adminToken, Map.of()).status());
    api.login("pat", "second-password");
  }

  @Test
  void repeatedFailuresThrottleLoginsForThatUser() {
    api.post(
        "/api/users",
        adminToken,
        Map.of("username", "tess", "password", "right-password", "role", "SUPERVISOR"));
    for (int i = 0; i < 5; i++) {
      assertEquals(
          401,
          api.post("/api/auth/login", null, Map.of("username", "tess", "password", "wrong-" + i))
              .status());
    }
    Response throttled =
        api.post("/api/auth/login", null, Map.of("username", "tess", "password", "right-password"));
    assertEquals(429, throttled.status());
    assertTrue(Integer.parseInt(throttled.header("Retry-After").orElseThrow()) > 0);
    // Another user is not affected.
    api.login("admin", ADMIN_PASSWORD);
  }

  private static Set<String> fields(Response problem) {
    Set<String> fields = new HashSet<>();
    problem.json().get("errors").forEach(e -> fields.add(e.get("field").asText()));
    return fields;
  }
}
