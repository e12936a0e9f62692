package com.welcomedly.dialer.api.drill;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A database outage longer than the lease TTL (20 s), run by {@code ./drill} ({@code -Pdrills}):
 * PostgreSQL is stopped for 30 s, so every node loses every shard and coordinator lease (it cannot
 * renew them) and stops its shards. Once the database is back the leases must be taken again and
 * the campaign's dialer must come back by itself: dialing resumes within 10 s, no agent sits on an
 * ended call 10 s after, every node is ready again, and nothing is lost, stuck or dialled twice.
 */
class DatabaseOutageDrillIT {

  static final Duration OUTAGE = Duration.ofSeconds(30);
  static final Duration LIMIT = Duration.ofSeconds(10);

  @Test
  void databaseDownLongerThanTheLeaseTtl() throws Exception {
    try (DrillCluster cluster = DrillCluster.start("db-outage", 3, 800)) {
      DrillReport report = cluster.report;
      cluster.firstDialAfter(Instant.EPOCH, Duration.ofSeconds(120));
      cluster.awaitDispositions(4, Duration.ofSeconds(180));
      List<String> failures = new ArrayList<>();

      Instant down = cluster.postgres.stop();
      // The outage itself: longer than the lease TTL whatever the nodes do.
      NodeProcess.pause(OUTAGE);
      Instant back = cluster.postgres.restart();
      report.fault("db-outage>ttl", "database outage (lease TTL 20 s)", down, back);
      long lost =
          cluster.live().stream()
              .mapToLong(
                  n ->
                      n.log().linesWith("lost: not renewed within").stream()
                          .filter(l -> l.at().isAfter(down))
                          .count())
              .sum();
      report.count("db-outage>ttl", "leases lost during the outage (all nodes)", lost, "");

      Instant resumed = cluster.firstDialAfter(back, Duration.ofSeconds(120));
      Duration resume =
          report.duration(
              "db-outage>ttl", "first dial after the database is back", back, resumed, LIMIT);
      if (resume.compareTo(LIMIT) > 0) {
        failures.add(
            "dialing resumed " + resume.toMillis() + " ms after the database (limit 10 s)");
      }
      cluster.awaitDispositions(3, Duration.ofSeconds(120));
      Await.until(
          "10 s after the database is back",
          Duration.ofSeconds(60),
          () -> Instant.now().isAfter(back.plusSeconds(12)));
      List<String> stuckAgents = cluster.checks.agentsOnEndedCalls(10);
      report.count(
          "db-outage>ttl",
          "agents ON_CALL on an ended call (>10 s)",
          stuckAgents.size(),
          "must be 0");
      if (!stuckAgents.isEmpty()) {
        failures.add("stuck agents after the database outage: " + stuckAgents);
      }
      for (NodeProcess node : cluster.live()) {
        node.awaitReady(Duration.ofSeconds(60));
      }
      report.duration(
          "db-outage>ttl", "every node ready again", back, Instant.now(), Duration.ofSeconds(60));

      cluster.settleAndCheck("db-outage>ttl", Duration.ofSeconds(120));
      assertTrue(failures.isEmpty(), String.join("; ", failures));
    }
  }
}
