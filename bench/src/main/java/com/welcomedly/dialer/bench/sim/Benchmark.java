package com.welcomedly.dialer.bench.sim;

import com.welcomedly.dialer.engine.pacing.PacingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The pacing benchmark: runs scenarios through {@link Simulation} (one run per team size and mode,
 * in parallel), tunes POWER's ratio when asked, and formats the reference table.
 */
public final class Benchmark {

  private Benchmark() {}

  /** Simulated hours for about {@code connects} measured connects (the reference's rule). */
  public static double hoursFor(int agents, double connects) {
    return Math.max(2.0, Math.min(40.0, connects / (agents * 18.0) + 0.5));
  }

  /** One table row to compute. */
  public record Job(Scenario scenario, boolean tuneRatio) {}

  public static SimulationReport runJob(Job job) {
    Scenario sc = job.scenario();
    String name = sc.mode().name().toLowerCase(Locale.ROOT);
    if (sc.mode() == PacingMode.POWER) {
      // A fixed ratio is compared as the reference's "best fixed ratio": without the ledger
      // interlock, which would otherwise turn an over-tuned ratio into progressive pacing and make
      // the tuning meaningless.
      sc = sc.with("ledger_cap", 0.99);
      if (job.tuneRatio()) {
        sc = sc.with("ratio", tuneRatio(sc));
      }
      name = String.format(Locale.ROOT, "power r=%.2f (no ledger interlock)", sc.get("ratio"));
    }
    return new Simulation(sc).run(name);
  }

  /**
   * Largest ratio whose whole-run abandon rate stays at or under the target, by bisection on the
   * same seed (in-sample, as the reference does: an upper bound for any fixed ratio).
   */
  public static double tuneRatio(Scenario sc) {
    double lo = 1.0;
    double hi = 2.0 / sc.get("p_live") + 1.0;
    double best = lo;
    for (int i = 0; i < 8; i++) {
      double mid = 0.5 * (lo + hi);
      SimulationReport r = new Simulation(sc.with("ratio", mid)).run("tune");
      if (r.abandonWholeRunPct() <= 100.0 * sc.get("target")) {
        best = mid;
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return best;
  }

  /** Runs the jobs on {@code threads} threads; results in job order. */
  public static List<SimulationReport> runAll(List<Job> jobs, int threads) {
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
    try {
      List<Future<SimulationReport>> futures = new ArrayList<>();
      for (Job j : jobs) {
        futures.add(pool.submit(() -> runJob(j)));
      }
      List<SimulationReport> out = new ArrayList<>();
      for (Future<SimulationReport> f : futures) {
        out.add(f.get());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  public static String header() {
    return "| N | controller | abandon % (steady) | abandon % (whole run) | worst 500-answer block %"
        + " | occupancy talk/(talk+idle) | (talk+wrap)/logged | connects/agent-h"
        + " | mean wait (s) | dials/connect | lines/agent | p99 dials in 1 s | threshold"
        + " | ledger interlock % of time | max rolling-24 h abandon % | sim h | cpu s |\n"
        + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|";
  }

  public static String row(SimulationReport r) {
    return String.format(
        Locale.ROOT,
        "| %d | %s | %.2f | %.2f | %.1f | %.3f | %.3f | %.2f | %.1f | %.2f | %.2f | %d | %s | %.1f"
            + " | %.3f | %.1f | %.0f |",
        r.agents(),
        r.controller(),
        r.abandonPct(),
        r.abandonWholeRunPct(),
        r.worstBlockPct(),
        r.occupancy(),
        r.utilisation(),
        r.connectsPerAgentHour(),
        r.meanWaitSeconds(),
        r.dialsPerConnect(),
        r.linesPerAgent(),
        r.cpsP99(),
        Double.isNaN(r.finalThreshold())
            ? ""
            : String.format(Locale.ROOT, "%.3f", r.finalThreshold()),
        r.ledgerInterlockPct(),
        r.maxRolling24hPct(),
        r.measuredHours(),
        r.wallSeconds());
  }
}
