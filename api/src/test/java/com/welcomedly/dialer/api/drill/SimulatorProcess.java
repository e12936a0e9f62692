package com.welcomedly.dialer.api.drill;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The standalone AMI simulator ({@code sim/target/dialer-sim-*.jar}) as its own process, so a drill
 * can take the PBX away (kill -9) and bring it back on the same port.
 */
final class SimulatorProcess implements AutoCloseable {
  static final String SECRET = "dialer";

  private final Path jar;
  private final int port;
  private final double timeScale;
  private final Path logDir;
  private ProcessLog process;
  private int generation;

  private SimulatorProcess(Path jar, int port, double timeScale, Path logDir) {
    this.jar = jar;
    this.port = port;
    this.timeScale = timeScale;
    this.logDir = logDir;
  }

  static SimulatorProcess start(Path jar, int port, double timeScale, Path logDir)
      throws IOException {
    SimulatorProcess simulator = new SimulatorProcess(jar, port, timeScale, logDir);
    simulator.restart();
    return simulator;
  }

  int port() {
    return port;
  }

  /** Starts the simulator (again); returns when it listens. */
  Instant restart() throws IOException {
    generation++;
    process =
        ProcessLog.start(
            "sim-" + generation,
            List.of(
                ProcessLog.java(),
                "-Xmx256m",
                "-jar",
                jar.toString(),
                "--port",
                Integer.toString(port),
                "--time-scale",
                Double.toString(timeScale),
                "--seed",
                "11",
                "--secret",
                SECRET),
            java.util.Map.of(),
            logDir);
    return process.awaitLine("listening on", Duration.ofSeconds(60));
  }

  /** kill -9: the PBX vanishes without a goodbye, its TCP connections reset. */
  Instant kill() {
    return process.kill9();
  }

  @Override
  public void close() {
    if (process != null) {
      process.kill9();
    }
  }
}
