package com.welcomedly.dialer.api.drill;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM whose output is kept line by line with the instant each line arrived (also written to
 * {@code <logDir>/<name>.log}), so drills can wait for a line and time what the process did.
 */
final class ProcessLog {
  /** One output line and when the drill read it. */
  record Line(Instant at, String text) {}

  private final String name;
  private final Process process;
  private final List<Line> lines = new ArrayList<>();

  private ProcessLog(String name, Process process) {
    this.name = name;
    this.process = process;
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static ProcessLog start(String name, List<String> command, Map<String, String> env, Path logDir)
      throws IOException {
    Files.createDirectories(logDir);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    ProcessLog log = new ProcessLog(name, builder.start());
    PrintWriter file =
        new PrintWriter(
            Files.newBufferedWriter(logDir.resolve(name + ".log"), StandardCharsets.UTF_8), true);
    Thread pump =
        new Thread(
            () -> {
              try (BufferedReader reader =
                  new BufferedReader(
                      new InputStreamReader(
                          log.process.getInputStream(), StandardCharsets.UTF_8))) {
                String text;
                while ((text = reader.readLine()) != null) {
                  file.println(text);
                  synchronized (log.lines) {
                    log.lines.add(new Line(Instant.now(), text));
                    log.lines.notifyAll();
                  }
                }
              } catch (IOException e) {
                // The process died: its output ends here.
              } finally {
                file.close();
              }
            },
            "output-" + name);
    pump.setDaemon(true);
    pump.start();
    return log;
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Waits for a line containing {@code text}; the instant it arrived. */
  Instant awaitLine(String text, Duration timeout) {
    return awaitLine(text, Instant.MIN, timeout);
  }

  /** Waits for a line containing {@code text} that arrived after {@code after}. */
  Instant awaitLine(String text, Instant after, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    synchronized (lines) {
      while (true) {
        Optional<Line> found = firstLine(text, after);
        if (found.isPresent()) {
          return found.get().at();
        }
        long left = Duration.between(Instant.now(), deadline).toMillis();
        if (left <= 0) {
          throw new AssertionError(name + ": no line containing '" + text + "' within " + timeout);
        }
        try {
          lines.wait(Math.min(left, 500));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted", e);
        }
      }
    }
  }

  /** The first line containing {@code text} that arrived after {@code after}. */
  Optional<Line> firstLine(String text, Instant after) {
    synchronized (lines) {
      return lines.stream()
          .filter(l -> l.at().isAfter(after) && l.text().contains(text))
          .findFirst();
    }
  }

  /** Every line containing {@code text}. */
  List<Line> linesWith(String text) {
    synchronized (lines) {
      return lines.stream().filter(l -> l.text().contains(text)).toList();
    }
  }

  /** SIGKILL; returns once the process is gone. */
  Instant kill9() {
    process.destroyForcibly();
    waitFor(Duration.ofSeconds(30));
    return Instant.now();
  }

  /** SIGTERM (the JVM runs its coordinated shutdown); the instant it was sent. */
  Instant terminate() {
    Instant at = Instant.now();
    process.destroy();
    return at;
  }

  boolean waitFor(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
