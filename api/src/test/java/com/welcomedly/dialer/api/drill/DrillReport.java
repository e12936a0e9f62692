package com.welcomedly.dialer.api.drill;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The figures a drill measured, printed as it goes and appended to {@code target/drill-report.txt}
 * (one line per figure: drill, figure, value, limit), so a run leaves its evidence behind.
 */
final class DrillReport {
  private final Path file;
  private final List<String> lines = new ArrayList<>();

  DrillReport(Path file) {
    this.file = file;
  }

  /** A duration between two instants, with the limit it is held to. */
  Duration duration(String drill, String figure, Instant from, Instant to, Duration limit) {
    Duration d = Duration.between(from, to);
    add(
        drill,
        figure,
        String.format("%.1f s", d.toMillis() / 1000.0),
        "limit " + limit.toSeconds() + " s");
    return d;
  }

  /** A duration that is the fault itself (how long something was away): no limit. */
  Duration fault(String drill, String figure, Instant from, Instant to) {
    Duration d = Duration.between(from, to);
    add(drill, figure, String.format("%.1f s", d.toMillis() / 1000.0), "(the fault)");
    return d;
  }

  void count(String drill, String figure, long value, String limit) {
    add(drill, figure, Long.toString(value), limit);
  }

  void note(String drill, String figure, String value) {
    add(drill, figure, value, "");
  }

  private synchronized void add(String drill, String figure, String value, String limit) {
    String line = String.format("%-16s %-52s %10s  %s", drill, figure, value, limit);
    lines.add(line);
    System.out.println("[drill] " + line);
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(
          file,
          line + System.lineSeparator(),
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      System.out.println("[drill] report not written: " + e.getMessage());
    }
  }

  List<String> lines() {
    return List.copyOf(lines);
  }
}
