package com.welcomedly.dialer.api.drill;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Everything a drill runs against, each in its own process: a PostgreSQL server, the AMI simulator
 * and {@code n} dialer nodes that find each other by Cluster Bootstrap, plus the call center
 * driving a campaign through the API. Paths come from the build (failsafe passes them) or default
 * to the module's {@code target/}.
 */
final class DrillCluster implements AutoCloseable {
  static final Duration NODE_START = Duration.ofSeconds(180);

  final Path workDir;
  final PostgresServer postgres;
  final SimulatorProcess simulator;
  final List<NodeProcess> nodes = new ArrayList<>();
  final Journal journal;
  final CallCenter center;
  final DrillChecks checks;
  final DrillReport report;

  private DrillCluster(Path workDir, PostgresServer postgres, SimulatorProcess simulator) {
    this.workDir = workDir;
    this.postgres = postgres;
    this.simulator = simulator;
    this.journal = new Journal(postgres);
    this.center = new CallCenter(new Rest(this::live), Integer.getInteger("drill.agents", 8));
    this.checks = new DrillChecks(center, postgres);
    this.report = new DrillReport(path("drill.report", "target/drill-report.txt"));
  }

  /**
   * Starts the database, the simulator and the nodes (all at once: bootstrap), then the campaign.
   */
  static DrillCluster start(String name, int nodeCount, int leads) throws Exception {
    Path workDir =
        path("drill.workDir", "target/drill").resolve(name + "-" + System.currentTimeMillis());
    Files.createDirectories(workDir);
    PostgresServer postgres = PostgresServer.start(workDir);
    SimulatorProcess simulator =
        SimulatorProcess.start(
            path("drill.simJar", "../sim/target/dialer-sim-0.1.0-SNAPSHOT.jar"),
            NodeProcess.freePort(),
            Double.parseDouble(System.getProperty("drill.timeScale", "30")),
            workDir.resolve("logs"));
    DrillCluster cluster = new DrillCluster(workDir, postgres, simulator);
    List<Integer> managementPorts = new ArrayList<>();
    for (int i = 0; i < nodeCount; i++) {
      managementPorts.add(NodeProcess.freePort());
    }
    NodeProcess.Setup setup =
        new NodeProcess.Setup(
            path("drill.apiJar", "target/dialer-api.jar"),
            path("drill.agentJar", "target/agent/kanela-agent.jar"),
            postgres.jdbcUrl(),
            simulator.port(),
            managementPorts);
    for (int i = 0; i < nodeCount; i++) {
      cluster.nodes.add(
          new NodeProcess(
              "node" + (i + 1),
              setup,
              NodeProcess.freePort(),
              managementPorts.get(i),
              workDir.resolve("logs")));
    }
    try {
      // Cluster Bootstrap: once every contact point answers, the lowest address forms the
      // cluster and the others join it; a node started later (a restart) joins the running one.
      for (NodeProcess node : cluster.nodes) {
        node.start();
      }
      for (NodeProcess node : cluster.nodes) {
        node.awaitUp(NODE_START);
      }
      cluster.center.setUp(leads);
      cluster.center.start();
      return cluster;
    } catch (Exception | AssertionError e) {
      // The caller's try-with-resources never sees the cluster: stop every process here, or
      // they keep running on the shared machine after the drill failed.
      cluster.close();
      throw e;
    }
  }

  List<NodeProcess> live() {
    return nodes.stream().filter(NodeProcess::isAlive).toList();
  }

  /** The live node that started the campaign's dialer last. */
  NodeProcess dialerNode() {
    return Await.value(
        "a node running the dialer",
        Duration.ofSeconds(60),
        () ->
            live().stream()
                .filter(n -> n.lastDialerStart(CallCenter.CAMPAIGN).isAfter(Instant.MIN))
                .max(Comparator.comparing(n -> n.lastDialerStart(CallCenter.CAMPAIGN))));
  }

  /** When a live node logged the dialer's start after {@code after}. */
  Instant dialerStartedAfter(Instant after, Duration timeout) {
    return Await.value(
        "the dialer started again",
        timeout,
        () ->
            live().stream()
                .map(
                    n ->
                        n.log()
                            .firstLine(
                                "Dialer of campaign " + CallCenter.CAMPAIGN + " started", after))
                .flatMap(java.util.Optional::stream)
                .map(ProcessLog.Line::at)
                .min(Comparator.naturalOrder()));
  }

  /** The first dial written to the journal after {@code after}. */
  Instant firstDialAfter(Instant after, Duration timeout) {
    return Await.value(
        "a dial after " + after, timeout, () -> journal.firstAfter(Journal.DIAL_STARTED, after));
  }

  /** Waits until the agents have acknowledged {@code more} further dispositions. */
  void awaitDispositions(int more, Duration timeout) {
    int target = center.acknowledged().size() + more;
    Await.until(
        target + " acknowledged dispositions",
        timeout,
        () -> center.acknowledged().size() >= target);
  }

  /**
   * Pauses the campaign and asserts the aftermath: nothing left in a call, every acknowledged
   * disposition on its lead, no lead dialled twice at once. Returns how long settling took.
   */
  void settleAndCheck(String drill, Duration settleLimit) {
    center.pauseCampaign();
    Instant paused = Instant.now();
    List<String>[] last = new List[] {List.of()};
    try {
      Await.until(
          "nothing in a call",
          settleLimit,
          () -> {
            last[0] = checks.inCall();
            return last[0].isEmpty();
          });
    } catch (AssertionError e) {
      throw new AssertionError("stuck after " + settleLimit + ": " + last[0], e);
    }
    report.duration(
        drill, "settled after pause (no lead/agent in a call)", paused, Instant.now(), settleLimit);
    List<String>[] missing = new List[] {List.of()};
    try {
      Await.until(
          "acknowledged dispositions on their leads",
          Duration.ofSeconds(60),
          () -> {
            missing[0] = checks.missingDispositions();
            return missing[0].isEmpty();
          });
    } catch (AssertionError e) {
      throw new AssertionError("dispositions lost: " + missing[0], e);
    }
    report.count(drill, "acknowledged dispositions", center.acknowledged().size(), "");
    report.count(drill, "acknowledged dispositions lost", missing[0].size(), "must be 0");
    List<String> overlaps = checks.overlappingAttempts();
    report.count(drill, "leads touched", checks.touchedLeads().size(), "");
    report.count(drill, "overlapping attempts", overlaps.size(), "must be 0");
    if (!overlaps.isEmpty()) {
      throw new AssertionError("overlapping attempts: " + overlaps);
    }
  }

  static Duration limit(String property, Duration fallback) {
    String value = System.getProperty(property);
    return value == null || value.isBlank() ? fallback : Duration.ofSeconds(Long.parseLong(value));
  }

  private static Path path(String property, String fallback) {
    String value = System.getProperty(property);
    return Path.of(value == null || value.isBlank() ? fallback : value).toAbsolutePath();
  }

  @Override
  public void close() {
    center.close();
    for (NodeProcess node : nodes) {
      if (node.isAlive()) {
        node.kill9();
      }
    }
    simulator.close();
    try {
      postgres.close();
    } catch (IOException e) {
      System.out.println("[drill] PostgreSQL did not stop cleanly: " + e.getMessage());
    }
  }
}
