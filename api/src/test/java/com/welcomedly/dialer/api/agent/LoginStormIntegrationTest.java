package com.welcomedly.dialer.api.agent;

import static com.welcomedly.dialer.api.Busy.assertBusy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import com.welcomedly.dialer.api.ApiClient;
import com.welcomedly.dialer.api.ApiClient.Response;
import com.welcomedly.dialer.api.Busy;
import com.welcomedly.dialer.api.LoadShedding;
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
 * A shift starting, through the real HTTP API on a node with a real PostgreSQL: every agent logs in
 * at the same moment. The node takes at most {@code dialer.api.max-changes-in-flight} changes at
 * once (4 here, so the storm is far beyond it) and answers the rest 503 problem+json with
 * Retry-After; clients that retry after it all end READY, none lost.
 */
@ExtendWith(LogCapturingExtension.class)
class LoginStormIntegrationTest {

  private static final int MAX_IN_FLIGHT = 4;
  private static final int AGENTS = 120;
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ActorTestKit testKit;
  private static ApiClient api;
  private static int port;
  private static String adminToken;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void startNode() throws Exception {
    testKit =
        ActorTestKit.create(
            "dialer",
            TestDatabase.config(
                TestDatabase.fresh("api_login_storm"),
                ConfigFactory.parseMap(Map.of("dialer.api.max-changes-in-flight", MAX_IN_FLIGHT))));
    port = TestNodes.start(testKit);
    api = new ApiClient(port);
    adminToken = api.login("admin", "admin-test-password");
  }

  @AfterAll
  static void stopNode() {
    testKit.shutdownTestKit();
  }

  @Test
  void everyAgentOfAShiftLoggingInAtOnceEndsReadyAndTheOverflowIsAnswered503WithRetryAfter()
      throws Exception {
    List<String> ids = IntStream.rangeClosed(1, AGENTS).mapToObj(i -> "storm-" + i).toList();
    for (String id : ids) {
      createAgent(id);
    }

    ConcurrentLinkedQueue<HttpResponse<String>> shed = new ConcurrentLinkedQueue<>();
    List<CompletableFuture<HttpResponse<String>>> logins = new ArrayList<>();
    for (String id : ids) {
      logins.add(Busy.sendRetrying(http, () -> login(id), shed));
    }
    CompletableFuture.allOf(logins.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);

    for (CompletableFuture<HttpResponse<String>> login : logins) {
      // 409 "already logged in": a 503 from an ask that timed out after all went through.
      HttpResponse<String> answer = login.get();
      assertTrue(answer.statusCode() == 200 || answer.statusCode() == 409, answer.body());
    }
    for (HttpResponse<String> busy : shed) {
      assertBusy(busy);
    }
    // None lost: every agent is READY as its entity knows it.
    for (String id : ids) {
      Response agent = api.get("/api/agents/" + id, adminToken);
      assertEquals(200, agent.status(), agent.raw().body());
      assertEquals("READY", agent.json().get("status").asText(), id);
    }
  }

  @Test
  void aNodeAtItsBoundAnswers503WithRetryAfterWithoutSendingTheChange() throws Exception {
    createAgent("bound-1");
    LoadShedding shedding = LoadShedding.get(testKit.system());
    int held = 0;
    try {
      while (shedding.tryEnter()) {
        held++;
      }
      assertEquals(MAX_IN_FLIGHT, held);
      HttpResponse<String> busy = http.send(login("bound-1"), HttpResponse.BodyHandlers.ofString());
      assertBusy(busy);
      JsonNode problem = JSON.readTree(busy.body());
      assertTrue(problem.get("detail").asText().contains("busy"), problem.toString());
      // Nothing was sent: the agent is still logged out.
      assertEquals(
          "LOGGED_OUT", api.get("/api/agents/bound-1", adminToken).json().get("status").asText());
    } finally {
      for (int i = 0; i < held; i++) {
        shedding.exit();
      }
    }
    HttpResponse<String> retried =
        http.send(login("bound-1"), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, retried.statusCode(), retried.body());
    assertEquals("READY", JSON.readTree(retried.body()).get("status").asText());
  }

  private static void createAgent(String id) {
    Response created =
        api.post(
            "/api/agents",
            adminToken,
            Map.of("id", id, "displayName", "Agent " + id, "phoneEndpoint", "PJSIP/" + id));
    assertEquals(201, created.status(), created.raw().body());
  }

  private static HttpRequest login(String id) {
    return HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/api/agents/" + id + "/login"))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + adminToken)
        .POST(HttpRequest.BodyPublishers.noBody())
        .build();
  }
}
