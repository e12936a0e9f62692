package com.welcomedly.dialer.api.auth;

import static com.welcomedly.dialer.api.Busy.assertBusy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import com.welcomedly.dialer.api.ApiClient;
import com.welcomedly.dialer.api.ApiClient.Response;
import com.welcomedly.dialer.api.Busy;
import com.welcomedly.dialer.api.TestNodes;
import com.welcomedly.dialer.engine.persistence.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A shift signing in, through the real HTTP API on a node with a real PostgreSQL: the node checks
 * at most {@code dialer.auth.max-logins-in-flight} logins at once (2 here) and answers the rest 503
 * problem+json with Retry-After without checking them; clients that retry all get their token, and
 * a refused login never counts towards the failed-login lockout.
 */
@ExtendWith(LogCapturingExtension.class)
class SignInStormIntegrationTest {

  private static final int MAX_IN_FLIGHT = 2;
  private static final int USERS = 40;
  private static final String PASSWORD = "shift-starts-now-7";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ActorTestKit testKit;
  private static ApiClient api;
  private static int port;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void startNode() throws Exception {
    testKit =
        ActorTestKit.create(
            "dialer",
            TestDatabase.config(
                TestDatabase.fresh("api_sign_in_storm"),
                ConfigFactory.parseMap(Map.of("dialer.auth.max-logins-in-flight", MAX_IN_FLIGHT))));
    port = TestNodes.start(testKit);
    api = new ApiClient(port);
  }

  @AfterAll
  static void stopNode() {
    testKit.shutdownTestKit();
  }

  @Test
  void everyoneOfAShiftSigningInAtOnceGetsATokenAndTheOverflowIsAnswered503() throws Exception {
    String adminToken = api.login("admin", "admin-test-password");
    List<String> users = IntStream.rangeClosed(1, USERS).mapToObj(i -> "shift" + i).toList();
    for (String user : users) {
      Response created =
          api.post(
              "/api/users",
              adminToken,
              Map.of("username", user, "password", PASSWORD, "role", "SUPERVISOR"));
      assertEquals(201, created.status(), created.raw().body());
    }

    ConcurrentLinkedQueue<HttpResponse<String>> shed = new ConcurrentLinkedQueue<>();
    List<CompletableFuture<HttpResponse<String>>> logins = new ArrayList<>();
    for (String user : users) {
      logins.add(Busy.sendRetrying(http, () -> signIn(user, PASSWORD), shed));
    }
    CompletableFuture.allOf(logins.toArray(CompletableFuture[]::new)).get(3, TimeUnit.MINUTES);

    for (int i = 0; i < USERS; i++) {
      HttpResponse<String> answer = logins.get(i).get();
      assertEquals(200, answer.statusCode(), answer.body());
      JsonNode body = JSON.readTree(answer.body());
      assertEquals(users.get(i), body.get("username").asText());
      assertEquals(200, api.get("/api/auth/me", body.get("token").asText()).status());
    }
    for (HttpResponse<String> busy : shed) {
      assertBusy(busy);
    }
  }

  @Test
  void aLoginRefusedAtTheBoundIsNotCheckedAndDoesNotCountTowardsTheLockout() throws Exception {
    String adminToken = api.login("admin", "admin-test-password");
    Response created =
        api.post(
            "/api/users",
            adminToken,
            Map.of("username", "busyday", "password", PASSWORD, "role", "SUPERVISOR"));
    assertEquals(201, created.status(), created.raw().body());
    LoginCapacity capacity = LoginCapacity.get(testKit.system());
    int held = 0;
    try {
      while (capacity.tryEnter()) {
        held++;
      }
      assertEquals(MAX_IN_FLIGHT, held);
      // More wrong passwords than the lockout allows (5): none is checked, none is a failure.
      for (int i = 0; i < 8; i++) {
        HttpResponse<String> busy =
            http.send(
                signIn("busyday", "wrong-password-" + i), HttpResponse.BodyHandlers.ofString());
        assertBusy(busy);
        assertTrue(
            JSON.readTree(busy.body()).get("detail").asText().contains("logins"), busy.body());
      }
      // Even the right password waits its turn.
      assertBusy(http.send(signIn("busyday", PASSWORD), HttpResponse.BodyHandlers.ofString()));
    } finally {
      for (int i = 0; i < held; i++) {
        capacity.exit();
      }
    }
    HttpResponse<String> retried =
        http.send(signIn("busyday", PASSWORD), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, retried.statusCode(), retried.body());
    assertFalse(JSON.readTree(retried.body()).get("token").asText().isEmpty());
  }

  private static HttpRequest signIn(String username, String password) {
    try {
      return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/auth/login"))
          .timeout(Duration.ofSeconds(30))
          .header("Content-Type", "application/json")
          .POST(
              HttpRequest.BodyPublishers.ofString(
                  JSON.writeValueAsString(Map.of("username", username, "password", password))))
          .build();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
