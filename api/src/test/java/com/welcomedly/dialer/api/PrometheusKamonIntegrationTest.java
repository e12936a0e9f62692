package com.welcomedly.dialer.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.welcomedly.dialer.engine.dialing.DialingMetrics;
import com.welcomedly.dialer.engine.lead.Lead;
import com.welcomedly.dialer.engine.persistence.DatabaseSettings;
import com.welcomedly.dialer.engine.persistence.TestDatabase;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import kamon.Kamon;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.Test;

/**
 * Kamon with the Kanela agent (attached by surefire's own execution for *KamonIntegrationTest, in a
 * fresh JVM, because Kamon instruments classes for the life of the JVM): the Prometheus endpoint
 * serves JVM, Pekko and our own metrics.
 */
class PrometheusKamonIntegrationTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Test
  void prometheusEndpointServesJvmPekkoAndDialerMetrics() throws Exception {
    int metricsPort = freePort();
    DatabaseSettings database = TestDatabase.fresh("kamon");
    Config config =
        TestDatabase.config(
            database,
            ConfigFactory.parseMap(
                    Map.of(
                        "dialer.metrics.port",
                        metricsPort,
                        "kamon.metric.tick-interval",
                        "1s",
                        "kamon.prometheus.include-environment-tags",
                        false))
                .withFallback(ConfigFactory.parseResources("metrics.conf")));
    Kamon.init(config);
    ActorTestKit testKit = ActorTestKit.create("dialer", config);
    try {
      Main.init(testKit.system()).toCompletableFuture().get(20, TimeUnit.SECONDS);
      DialingMetrics.dials("demo").increment();
      // One lead event, so the hopper projection stores an offset and its lag is measured.
      TestProbe<StatusReply<Lead.Summary>> imported = testKit.createTestProbe();
      ClusterSharding.get(testKit.system())
          .entityRefFor(Lead.ENTITY_KEY, "kamon-lead")
          .tell(
              new Lead.Import(
                  "demo",
                  List.of("+12127363150"),
                  "America/New_York",
                  1,
                  Map.of(),
                  imported.getRef()));
      assertTrue(imported.receiveMessage(TIMEOUT).isSuccess());

      HttpClient http = HttpClient.newHttpClient();
      TestProbe<Void> probe = testKit.createTestProbe();
      probe.awaitAssert(
          TIMEOUT,
          Duration.ofMillis(500),
          () -> {
            HttpResponse<String> response =
                http.send(
                    HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            String body = response.body();
            assertTrue(body.contains("jvm_memory"), "JVM metrics missing");
            assertTrue(body.contains("pekko_system_"), "Pekko metrics missing:\n" + body);
            assertTrue(
                body.contains("dialer_dials_total{campaign=\"demo\"}"), "dialer metrics missing");
            // Recorded by the node itself (NodeProbe): readiness and the read models' lag.
            assertTrue(body.contains("dialer_node_ready 1.0"), "node readiness missing:\n" + body);
            assertTrue(
                body.contains("dialer_projection_lag_seconds{projection=\"hopper\"}"),
                "projection lag missing");
            return null;
          });
      // A journal write that fails is counted: the journal table is briefly gone.
      try (Connection c =
              DriverManager.getConnection(database.url(), database.user(), database.password());
          Statement sql = c.createStatement()) {
        sql.execute("ALTER TABLE event_journal RENAME TO event_journal_offline");
        try {
          ClusterSharding.get(testKit.system())
              .entityRefFor(Lead.ENTITY_KEY, "kamon-lead")
              .tell(
                  // The lead is already recovered: its next persist is a journal write.
                  new Lead.SetTimezone(
                      "America/Chicago",
                      testKit.<StatusReply<Lead.Summary>>createTestProbe().getRef()));
          probe.awaitAssert(
              TIMEOUT,
              Duration.ofMillis(500),
              () -> {
                String body =
                    http.send(
                            HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                                .build(),
                            HttpResponse.BodyHandlers.ofString())
                        .body();
                assertTrue(
                    body.lines()
                        .anyMatch(
                            l ->
                                l.startsWith("dialer_journal_write_failures_total{")
                                    && l.contains("entity=\"Lead\"")
                                    && l.contains("kind=\"failed\"")),
                    () ->
                        "journal write failure not counted:\n"
                            + String.join(
                                "\n", body.lines().filter(l -> l.startsWith("dialer_")).toList()));
                return null;
              });
        } finally {
          sql.execute("ALTER TABLE event_journal_offline RENAME TO event_journal");
        }
      }
    } finally {
      testKit.shutdownTestKit();
      Kamon.stop();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
