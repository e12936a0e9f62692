package com.welcomedly.dialer.api.drill;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fast fault drills, run by {@code mvn -B verify} (failsafe, after the node jar is packaged):
 * three node JVMs, the simulator process and a PostgreSQL server, a progressive campaign worked by
 * agents over the API. First the dialer's node is killed with SIGKILL, then PostgreSQL is stopped
 * and started again; after both, nothing may be stuck, lost or dialled twice.
 *
 * <p>Limits: failover within {@code drill.failoverLimit} seconds (the 10 s; CI passes a
 * wider margin for a loaded machine, the measured figure is printed either way), no agent ON_CALL
 * on a call that ended more than 10 s before once the database is back.
 */
class FaultDrillIT {

  @Test
  void killTheDialersNodeThenRestartTheDatabase() throws Exception {
    Duration failoverLimit = DrillCluster.limit("drill.failoverLimit", Duration.ofSeconds(10));
    try (DrillCluster cluster = DrillCluster.start("fast", 3, 800)) {
      DrillReport report = cluster.report;
      Instant firstDial = cluster.firstDialAfter(Instant.EPOCH, Duration.ofSeconds(120));
      cluster.awaitDispositions(4, Duration.ofSeconds(180));
      report.note("warm-up", "first dial", firstDial.toString());

      // ---- kill -9 of the node running the campaign's dialer ----
      NodeProcess victim = cluster.dialerNode();
      Instant killed = victim.kill9();
      report.note("kill-9", "killed node", victim.name());
      // Dials written within a few ms of the kill may still come from the dead node's last writes.
      Instant resumed = cluster.firstDialAfter(killed.plusMillis(500), Duration.ofSeconds(90));
      Instant dialerUp = cluster.dialerStartedAfter(killed, Duration.ofSeconds(90));
      report.duration("kill-9", "dialer started on a survivor", killed, dialerUp, failoverLimit);
      Duration failover =
          report.duration("kill-9", "first dial from a survivor", killed, resumed, failoverLimit);
      cluster.awaitDispositions(3, Duration.ofSeconds(120));

      // ---- PostgreSQL stopped (fast shutdown, connections cut) and started again ----
      Instant down = cluster.postgres.stop();
      // The outage itself: the fault lasts this long whatever the nodes do.
      NodeProcess.pause(Duration.ofSeconds(8));
      Instant back = cluster.postgres.restart();
      report.fault("db-restart", "database outage", down, back);
      Instant dbResumed = cluster.firstDialAfter(back, Duration.ofSeconds(90));
      report.duration(
          "db-restart",
          "first dial after the database is back",
          back,
          dbResumed,
          Duration.ofSeconds(10));
      cluster.awaitDispositions(3, Duration.ofSeconds(120));
      // 10 s after the database came back: no agent may still sit on a call that is over.
      Await.until(
          "10 s after the database is back",
          Duration.ofSeconds(60),
          () -> Instant.now().isAfter(back.plusSeconds(12)));
      List<String> stuckAgents = cluster.checks.agentsOnEndedCalls(10);
      report.count(
          "db-restart", "agents ON_CALL on an ended call (>10 s)", stuckAgents.size(), "must be 0");

      cluster.settleAndCheck("fast", Duration.ofSeconds(120));
      assertTrue(stuckAgents.isEmpty(), "stuck agents after the database restart: " + stuckAgents);
      assertTrue(
          failover.compareTo(failoverLimit) <= 0,
          "dialing resumed " + failover.toMillis() + " ms after kill -9, limit " + failoverLimit);
      assertTrue(
          Duration.between(back, dbResumed).compareTo(failoverLimit) <= 0,
          "dialing resumed "
              + Duration.between(back, dbResumed).toMillis()
              + " ms after the database");
    }
  }
}
