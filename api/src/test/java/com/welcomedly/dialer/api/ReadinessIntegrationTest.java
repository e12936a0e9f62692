package com.welcomedly.dialer.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Readiness turns DOWN (503) when the database goes away, while liveness stays UP. */
@ExtendWith(LogCapturingExtension.class)
class ReadinessIntegrationTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void readinessReportsALostDatabase() throws Exception {
    DatabaseSettings database = TestDatabase.fresh("readiness");
    ActorTestKit testKit = ActorTestKit.create("dialer", TestDatabase.config(database));
    try {
      ServerBinding binding =
          Main.init(testKit.system()).toCompletableFuture().get(20, TimeUnit.SECONDS);
      String base = "http://127.0.0.1:" + binding.localAddress().getPort();
      TestProbe<Void> probe = testKit.createTestProbe();
      // Fully started: ready, and the bootstrap admin (written at start) is in the journal.
      TestNodes.awaitBootstrapAdmin(testKit);
      probe.awaitAssert(
          TIMEOUT,
          () -> {
            assertEquals(200, get(base + "/ready").statusCode());
            return null;
          });

      TestDatabase.drop(database);

      probe.awaitAssert(
          TIMEOUT,
          () -> {
            HttpResponse<String> response = get(base + "/ready");
            assertEquals(503, response.statusCode(), response.body());
            JsonNode body = JSON.readTree(response.body());
            assertEquals("DOWN", body.get("status").asText());
            assertFalse(body.at("/checks/database/up").asBoolean());
            assertTrue(body.at("/checks/cluster/up").asBoolean());
            return null;
          });
      assertEquals(200, get(base + "/health").statusCode());
    } finally {
      testKit.shutdownTestKit();
    }
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
