package com.welcomedly.dialer.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.welcomedly.dialer.engine.persistence.DatabaseSettings;
import com.welcomedly.dialer.engine.persistence.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A whole node booted by {@code Main.init}: real PostgreSQL, real cluster, HTTP over a socket. */
@ExtendWith(LogCapturingExtension.class)
class NodeIntegrationTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  private static DatabaseSettings database;
  private static ActorTestKit testKit;
  private static String baseUrl;

  @BeforeAll
  static void startNode() throws Exception {
    database = TestDatabase.fresh("node");
    testKit = ActorTestKit.create("dialer", TestDatabase.config(database));
    ServerBinding binding =
        Main.init(testKit.system()).toCompletableFuture().get(20, TimeUnit.SECONDS);
    baseUrl = "http://127.0.0.1:" + binding.localAddress().getPort();
  }

  @AfterAll
  static void stopNode() {
    testKit.shutdownTestKit();
  }

  @Test
  void healthAnswersWhileTheProcessIsAlive() throws Exception {
    HttpResponse<String> response = get("/health");
    assertEquals(200, response.statusCode());
    assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow());
    assertEquals("UP", JSON.readTree(response.body()).get("status").asText());
  }

  @Test
  void readyOnceTheNodeIsAnUpMemberAndTheDatabaseAnswers() {
    TestProbe<Void> probe = testKit.createTestProbe();
    probe.awaitAssert(
        TIMEOUT,
        () -> {
          HttpResponse<String> response = get("/ready");
          assertEquals(200, response.statusCode(), response.body());
          JsonNode body = JSON.readTree(response.body());
          assertEquals("UP", body.get("status").asText());
          assertTrue(body.at("/checks/cluster/up").asBoolean());
          assertTrue(body.at("/checks/database/up").asBoolean());
          return null;
        });
  }

  @Test
  void unknownPathsAnswerWithAProblemDocument() throws Exception {
    HttpResponse<String> response = get("/no/such/thing");
    assertEquals(404, response.statusCode());
    assertEquals(
        "application/problem+json", response.headers().firstValue("Content-Type").orElseThrow());
    JsonNode problem = JSON.readTree(response.body());
    assertEquals(404, problem.get("status").asInt());
    assertEquals("Not Found", problem.get("title").asText());
    assertTrue(problem.get("detail").asText().contains("requested resource could not be found"));
  }

  @Test
  void wrongMethodAnswers405WithTheAllowedMethods() throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(baseUrl + "/health"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(405, response.statusCode());
    assertEquals("GET", response.headers().firstValue("Allow").orElseThrow());
    assertEquals(405, JSON.readTree(response.body()).get("status").asInt());
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(TIMEOUT).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
