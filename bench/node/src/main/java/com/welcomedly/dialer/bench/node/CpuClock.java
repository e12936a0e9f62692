package com.welcomedly.dialer.bench.node;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.stream.Stream;

/**
 * CPU seconds spent by the node's JVM and by the embedded PostgreSQL (every server process, plus
 * the ones already exited, from the postmaster's children's times in {@code /proc}). CPU time per
 * row is far less sensitive to the machine's load than leads per second, so it compares runs made
 * on a busy machine with runs made on a quiet one. Linux only; elsewhere the PostgreSQL side reads
 * as 0.
 */
final class CpuClock {

  /** CPU seconds so far: this JVM and the PostgreSQL server. */
  record Reading(double jvm, double postgres) {
    Reading minus(Reading earlier) {
      return new Reading(jvm - earlier.jvm, postgres - earlier.postgres);
    }
  }

  private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

  private final long postmaster;

  private CpuClock(long postmaster) {
    this.postmaster = postmaster;
  }

  /** Finds the postmaster: the parent of this connection's backend. */
  static CpuClock of(String url, String user, String password) throws Exception {
    try (Connection c = DriverManager.getConnection(url, user, password);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      long backend = rs.getLong(1);
      long[] stat = stat(backend);
      return new CpuClock(stat == null ? -1 : stat[0]);
    }
  }

  Reading now() {
    double jvm =
        ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime()
            / 1e9;
    return new Reading(jvm, postgresTicks() / TICKS_PER_SECOND);
  }

  private long postgresTicks() {
    if (postmaster < 0) {
      return 0;
    }
    long ticks = 0;
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : (Iterable<Path>) procs::iterator) {
        String name = p.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        long pid = Long.parseLong(name);
        long[] stat = stat(pid);
        if (stat == null) {
          continue;
        }
        if (pid == postmaster) {
          ticks += stat[1] + stat[2]; // its own time and its exited children's
        } else if (stat[0] == postmaster) {
          ticks += stat[1]; // a live backend or helper
        }
      }
    } catch (IOException e) {
      return 0;
    }
    return ticks;
  }

  /** {ppid, utime+stime, cutime+cstime} of a process, or null when it is gone. */
  private static long[] stat(long pid) {
    try {
      String text = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // The command name (field 2) may hold spaces: the fields after it follow the last ')'.
      String[] f = text.substring(text.lastIndexOf(')') + 2).split(" ");
      // f[0] = state (field 3), so field k is f[k - 3].
      long ppid = Long.parseLong(f[1]);
      long own = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      long children = Long.parseLong(f[13]) + Long.parseLong(f[14]);
      return new long[] {ppid, own, children};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
