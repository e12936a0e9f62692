package com.welcomedly.dialer.api.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import com.welcomedly.dialer.api.ApiClient;
import com.welcomedly.dialer.api.ApiClient.Response;
import com.welcomedly.dialer.engine.persistence.DatabaseSettings;
import com.welcomedly.dialer.engine.persistence.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The issue's proof, on separate JVMs: node A forms a cluster (Cluster Bootstrap) on a database and
 * runs a campaign's dialer; node B, started with its own contact point on the SAME database,
 * bootstraps a second cluster — the split brain of the original report. B can write no entity that
 * A holds and cannot run the campaign's dialer: its shard coordinators and shards never get their
 * leases, it holds no lease at all, says so in its log (FENCED) and answers 503 on /ready, while A
 * goes on unaffected.
 */
class ClusterFencingIntegrationTest {

  // A JVM start with the Kanela agent takes ~15 s on a quiet 2-core machine, 80 s on a crushed one.
  private static final Duration START = Duration.ofSeconds(180);
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String CAMPAIGN = "fenced";
  private static final String ADMIN_PASSWORD = "fencing-admin-password";
  // Only for awaitAssert: a local system (the nodes under test are the two child JVMs).
  private static final ActorTestKit testKit =
      ActorTestKit.create(
          "fencing-test", ConfigFactory.parseString("pekko.actor.provider = local"));

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void aSecondClusterOnTheSameDatabaseCanNeitherWriteNorDial() throws Exception {
    DatabaseSettings database = TestDatabase.fresh("fencing");
    Map<String, String> env =
        Map.of(
            "DIALER_DB_URL",
            database.url(),
            "DIALER_DB_USER",
            database.user(),
            "DIALER_DB_PASSWORD",
            database.password(),
            "DIALER_AUTH_TOKEN_SECRET",
            "fencing-test-secret-0123456789abcdef",
            "DIALER_ADMIN_PASSWORD",
            ADMIN_PASSWORD,
            "DIALER_AUTH_BCRYPT_COST",
            "4",
            // No PBX: the dialer runs (and is fenced) without placing calls.
            "DIALER_AMI_PORT",
            "1");
    Path logs = Path.of("target", "fencing-nodes");
    TestProbe<Void> probe = testKit.createTestProbe();

    try (NodeProcess a = NodeProcess.start("node-a", env, logs)) {
      ApiClient apiA = new ApiClient(a.httpPort);
      probe.awaitAssert(
          START,
          Duration.ofMillis(500),
          () -> {
            assertTrue(a.isAlive(), "node A exited, see " + a.log);
            assertEquals(200, apiA.get("/ready", null).status());
            return null;
          });
      // A holds the lease of every shard coordinator (one per shard region it started).
      probe.awaitAssert(
          TIMEOUT,
          Duration.ofMillis(500),
          () -> {
            long regions =
                a.logText().lines().filter(l -> l.contains("Starting Shard Region [")).count();
            List<String> coordinators = owners(database, "dialer-singleton-%Coordinator");
            assertTrue(regions > 0);
            assertEquals(
                regions,
                coordinators.stream().filter(o -> o.startsWith(a.hostPort() + "#")).count(),
                coordinators.toString());
            return null;
          });
      // B starts now, while A sets the campaign up (the two JVM starts are most of the runtime);
      // A already holds every shard coordinator's lease.
      try (NodeProcess b = NodeProcess.start("node-b", env, logs)) {
        String admin = awaitLogin(probe, apiA);
        assertEquals(
            201,
            apiA.post(
                    "/api/users",
                    admin,
                    Map.of(
                        "username", "sue", "password", "supervisor-pass-1", "role", "SUPERVISOR"))
                .status());
        String supervisor = apiA.login("sue", "supervisor-pass-1");
        Response created = apiA.post("/api/campaigns", supervisor, campaignBody());
        assertEquals(201, created.status(), created.raw().body());
        assertEquals(
            200, apiA.post("/api/campaigns/" + CAMPAIGN + "/start", supervisor, "").status());
        // A runs the campaign's dialer: the lease of its shard is A's.
        probe.awaitAssert(
            TIMEOUT,
            Duration.ofMillis(500),
            () -> {
              List<String> dialerOwners = owners(database, "dialer-shard-CampaignDialer-%");
              assertFalse(dialerOwners.isEmpty(), "no dialer shard lease yet");
              assertTrue(
                  dialerOwners.stream().allMatch(o -> o.startsWith(a.hostPort() + "#")),
                  dialerOwners.toString());
              return null;
            });
        long campaignEvents = events(database, "Campaign|" + CAMPAIGN);

        ApiClient apiB = new ApiClient(b.httpPort);
        // B bootstraps its own cluster (one contact point: itself) and is loudly not ready.
        probe.awaitAssert(
            START,
            Duration.ofMillis(500),
            () -> {
              assertTrue(b.isAlive(), "node B exited, see " + b.log);
              Response ready = apiB.get("/ready", null);
              assertEquals(503, ready.status(), ready.raw().body());
              JsonNode checks = ready.json().get("checks");
              assertTrue(checks.at("/cluster/up").asBoolean(), "B formed a cluster: " + checks);
              assertFalse(checks.at("/lease/up").asBoolean());
              assertTrue(
                  checks.at("/lease/detail").asText().startsWith("FENCED"), checks.toString());
              assertTrue(b.logText().contains("FENCED: lease"), "B's log says why");
              return null;
            });

        // A write through B to the campaign A holds never lands (B cannot start the shard)...
        Response pausedOnB = apiB.post("/api/campaigns/" + CAMPAIGN + "/pause", supervisor, "");
        assertTrue(pausedOnB.status() >= 500, "B refused: " + pausedOnB.status());
        assertEquals(campaignEvents, events(database, "Campaign|" + CAMPAIGN));
        // ...and B holds no lease at all: no shard, no dialer, no coordinator of its own.
        assertEquals(
            List.of(),
            owners(database, "%").stream().filter(o -> o.startsWith(b.hostPort() + "#")).toList());
        assertTrue(
            owners(database, "dialer-shard-CampaignDialer-%").stream()
                .allMatch(o -> o.startsWith(a.hostPort() + "#")));

        // A is unaffected: it still writes the campaign and stays ready.
        Response pausedOnA = apiA.post("/api/campaigns/" + CAMPAIGN + "/pause", supervisor, "");
        assertEquals(200, pausedOnA.status(), pausedOnA.raw().body());
        assertEquals(campaignEvents + 1, events(database, "Campaign|" + CAMPAIGN));
        assertEquals(200, apiA.get("/ready", null).status());
      }
    }
  }

  private static String awaitLogin(TestProbe<Void> probe, ApiClient api) {
    String[] token = new String[1];
    probe.awaitAssert(
        TIMEOUT,
        Duration.ofMillis(500),
        () -> {
          token[0] = api.login("admin", ADMIN_PASSWORD);
          return null;
        });
    return token[0];
  }

  private static List<String> owners(DatabaseSettings db, String namePattern) throws SQLException {
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        PreparedStatement st =
            c.prepareStatement("SELECT owner FROM cluster_lease WHERE name LIKE ?")) {
      st.setString(1, namePattern);
      List<String> owners = new java.util.ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          owners.add(rs.getString(1));
        }
      }
      return owners;
    }
  }

  private static long events(DatabaseSettings db, String persistenceId) throws SQLException {
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        PreparedStatement st =
            c.prepareStatement("SELECT count(*) FROM event_journal WHERE persistence_id = ?")) {
      st.setString(1, persistenceId);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

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
        "Fenced",
        "config",
        Map.of(
            "dialStringTemplate",
            "Local/{number}@sim-customer",
            "callerId",
            "+12127363100",
            "pacing",
            Map.of("mode", "PROGRESSIVE"),
            "callingWindow",
            window));
  }
}
