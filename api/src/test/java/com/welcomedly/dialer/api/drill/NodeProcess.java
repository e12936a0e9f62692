package com.welcomedly.dialer.api.drill;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One dialer node as an operator runs it: {@code java -jar api/target/dialer-api.jar --no-demo}
 * with the Kamon agent, configured through the environment (database, ports, token secret, AMI) and
 * Cluster Bootstrap's contact points (every node's management port). Restartable on the same ports.
 */
final class NodeProcess {
  static final String ADMIN_PASSWORD = "drill-admin-pass-1";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** Where the node's jar, agent and collaborators are. */
  record Setup(
      Path apiJar, Path agentJar, String dbUrl, int amiPort, List<Integer> managementPorts) {}

  private final String name;
  private final Setup setup;
  private final Path logDir;
  private final int httpPort;
  private final int clusterPort;
  private final int metricsPort;
  private final int managementPort;
  private ProcessLog process;
  private int generation;

  NodeProcess(String name, Setup setup, int clusterPort, int managementPort, Path logDir)
      throws IOException {
    this.name = name;
    this.setup = setup;
    this.logDir = logDir;
    this.clusterPort = clusterPort;
    this.managementPort = managementPort;
    this.httpPort = freePort();
    this.metricsPort = freePort();
  }

  String name() {
    return name;
  }

  int httpPort() {
    return httpPort;
  }

  int clusterPort() {
    return clusterPort;
  }

  String address() {
    return "pekko://dialer@127.0.0.1:" + clusterPort;
  }

  ProcessLog log() {
    return process;
  }

  boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** Starts the JVM (again, on the same ports); does not wait. */
  void start() throws IOException {
    generation++;
    List<String> command = new ArrayList<>();
    command.add(ProcessLog.java());
    command.add("-Xmx400m");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-javaagent:" + setup.agentJar());
    command.add("-jar");
    command.add(setup.apiJar().toString());
    command.add("--no-demo");
    Map<String, String> env = new HashMap<>();
    env.put("DIALER_DEMO", "off");
    env.put("DIALER_DB_URL", setup.dbUrl());
    env.put("DIALER_DB_USER", "postgres");
    env.put("DIALER_DB_PASSWORD", "postgres");
    env.put("DIALER_HTTP_PORT", Integer.toString(httpPort));
    env.put("DIALER_METRICS_PORT", Integer.toString(metricsPort));
    env.put("DIALER_CLUSTER_PORT", Integer.toString(clusterPort));
    env.put("DIALER_MANAGEMENT_PORT", Integer.toString(managementPort));
    env.put(
        "DIALER_CONTACT_POINTS",
        String.join(
            ",", setup.managementPorts().stream().map(port -> "127.0.0.1:" + port).toList()));
    env.put("DIALER_AUTH_TOKEN_SECRET", "drill-token-secret-0123456789abcdef0123456789");
    env.put("DIALER_ADMIN_PASSWORD", ADMIN_PASSWORD);
    env.put("DIALER_AUTH_BCRYPT_COST", "4");
    env.put("DIALER_AMI_PORT", Integer.toString(setup.amiPort()));
    env.put("DIALER_AMI_SECRET", SimulatorProcess.SECRET);
    // The drill's agents poll over REST and send no heartbeats.
    env.put("DIALER_AGENT_HEARTBEAT_TIMEOUT", "30m");
    process = ProcessLog.start(name + "-" + generation, command, env, logDir);
  }

  /** Waits for the node's "up" line and its /ready. */
  Instant awaitUp(Duration timeout) {
    Instant up = process.awaitLine("Welcomedly Dialer node up", timeout);
    awaitReady(timeout);
    return up;
  }

  void awaitReady(Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (get("/ready") == 200) {
        return;
      }
      pause(Duration.ofMillis(250));
    }
    throw new AssertionError(name + " not ready within " + timeout);
  }

  /** HTTP status of GET path, or -1 when the node does not answer. */
  int get(String path) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                  .timeout(Duration.ofSeconds(3))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** Whether this node currently runs the campaign's dialer (its last start line is the newest). */
  Instant lastDialerStart(String campaignId) {
    List<ProcessLog.Line> started =
        process.linesWith("Dialer of campaign " + campaignId + " started");
    return started.isEmpty() ? Instant.MIN : started.get(started.size() - 1).at();
  }

  Instant kill9() {
    return process.kill9();
  }

  Instant terminate() {
    return process.terminate();
  }

  /** Pacing helper for polling loops (never used to synchronise with the nodes' actors). */
  static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
