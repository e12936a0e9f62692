package com.welcomedly.dialer.api.drill;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rest of the fault drills, run by {@code mvn -B verify -Pdrills} (with {@link FaultDrillIT}):
 * the PBX taken away and brought back, a graceful leave (SIGTERM) of the dialer's node, and the
 * first seed killed and restarted while the machine is saturated (last: it asserts one cluster,
 * which the cluster bootstrap and lease provide). Each figure is printed and appended to {@code
 * api/target/drill-report.txt}.
 */
class FullFaultDrillIT {

  @Test
  void pbxOutageGracefulLeaveAndSeedRestartUnderLoad() throws Exception {
    try (DrillCluster cluster = DrillCluster.start("full", 3, 1200)) {
      DrillReport report = cluster.report;
      cluster.firstDialAfter(Instant.EPOCH, Duration.ofSeconds(120));
      cluster.awaitDispositions(4, Duration.ofSeconds(180));
      List<String> failures = new ArrayList<>();

      // ---- AMI outage: the simulator process killed, then started again on the same port ----
      Instant pbxGone = cluster.simulator.kill();
      // The outage itself: the PBX stays away this long whatever the nodes do.
      NodeProcess.pause(Duration.ofSeconds(10));
      Instant pbxBack = cluster.simulator.restart();
      Instant pbxResumed = cluster.firstDialAfter(pbxBack, Duration.ofSeconds(90));
      Duration pbx =
          report.duration(
              "ami-outage",
              "first dial after the PBX is back",
              pbxBack,
              pbxResumed,
              Duration.ofSeconds(5));
      report.fault("ami-outage", "PBX outage", pbxGone, pbxBack);
      if (pbx.compareTo(Duration.ofSeconds(5)) > 0) {
        failures.add(
            "dialing resumed " + pbx.toMillis() + " ms after the PBX came back (limit 5 s)");
      }
      cluster.awaitDispositions(3, Duration.ofSeconds(120));

      // ---- graceful leave: SIGTERM to the dialer's node; answered calls must reach agents ----
      NodeProcess leaving = cluster.dialerNode();
      Instant term = leaving.terminate();
      report.note("sigterm", "terminated node", leaving.name());
      assertTrue(leaving.log().waitFor(Duration.ofSeconds(60)), leaving.name() + " did not exit");
      report.duration(
          "sigterm", "node exited after SIGTERM", term, Instant.now(), Duration.ofSeconds(30));
      Instant resumed = cluster.firstDialAfter(term.plusMillis(500), Duration.ofSeconds(90));
      report.duration(
          "sigterm", "first dial from a staying node", term, resumed, Duration.ofSeconds(10));
      cluster.awaitDispositions(3, Duration.ofSeconds(120));
      List<String> abandoned = cluster.checks.abandonedAnswers(term.minusSeconds(5), Instant.now());
      report.count("sigterm", "answered calls turned into abandons", abandoned.size(), "must be 0");
      if (!abandoned.isEmpty()) {
        failures.add("answered calls abandoned around the SIGTERM: " + abandoned);
      }
      leaving.start();
      leaving.awaitUp(DrillCluster.NODE_START);
      // Checked before the seed drill: until the cluster bootstrap and lease are in, a second
      // cluster formed by the restarted seed writes to the same journal and may leave work stuck.
      cluster.settleAndCheck("full", Duration.ofSeconds(120));

      // ---- the first seed killed and restarted while both cores are saturated ----
      NodeProcess seed = cluster.nodes.get(0);
      seed.kill9();
      List<ProcessLog> stress = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        stress.add(
            ProcessLog.start(
                "cpu-stress-" + i,
                List.of("sh", "-c", "while :; do :; done"),
                java.util.Map.of(),
                cluster.workDir.resolve("logs")));
      }
      try {
        Instant restarted = Instant.now();
        seed.start();
        seed.awaitUp(DrillCluster.NODE_START);
        report.duration(
            "seed-restart",
            "killed seed up again under CPU stress",
            restarted,
            Instant.now(),
            DrillCluster.NODE_START);
        boolean formedItsOwn =
            seed.log().firstLine("JOINING itself", Instant.MIN).isPresent()
                || seed.log().firstLine("forming new cluster", Instant.MIN).isPresent();
        boolean welcomed = seed.log().firstLine("Welcome from", Instant.MIN).isPresent();
        report.note(
            "seed-restart",
            "restarted seed joined the running cluster",
            Boolean.toString(welcomed && !formedItsOwn));
        if (formedItsOwn || !welcomed) {
          failures.add(
              "the restarted seed formed a second cluster (see " + seed.log().name() + ".log)");
        }
      } finally {
        stress.forEach(ProcessLog::kill9);
      }
      for (NodeProcess node : cluster.live()) {
        node.awaitReady(Duration.ofSeconds(60));
      }

      assertTrue(failures.isEmpty(), String.join("; ", failures));
    }
  }
}
