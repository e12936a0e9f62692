package com.welcomedly.dialer.bench;

import com.welcomedly.dialer.bench.sim.Benchmark;
import com.welcomedly.dialer.bench.sim.Scenario;
import com.welcomedly.dialer.bench.sim.SimulationReport;
import com.welcomedly.dialer.engine.pacing.PacingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Command line of the pacing benchmark ({@code ./bench-pacing}): parses a scenario, runs it for
 * each team size and mode through the engine's real pacer, prints the table.
 */
public final class PacingBenchmark {

  private PacingBenchmark() {}

  private static final String USAGE =
      """
      usage: ./bench-pacing [options]
        --agents 10,25,50,100        team sizes (one row per size and mode)
        --modes progressive,power,predictive
        --ratio R                    POWER ratio (default: tuned per N, largest with abandon <= target)
        --connects C                 size each run for ~C measured connects (default 10000)
        --hours H                    fixed simulated hours per run instead (warm-up 0.5 h included)
        --seed S                     base seed; run N uses S + N (default 1)
        --threads T                  parallel runs (default 2)
        --change H:key=value         change a parameter H hours into the run (repeatable),
                                     e.g. --change 2:p_live=0.15; --change 3:agents=40
                                     logs agents in or out (idle first, busy ones after
                                     their wrap-up)
        --break-after-call P         share of calls after which an agent takes a break
        --break-mean S               mean break length (s, exponential; default 600)
        --<key> value                any scenario parameter, dashes or underscores:
      """;

  public static void main(String[] args) {
    Scenario base = Scenario.reference(PacingMode.PREDICTIVE);
    List<Integer> agents = List.of(10, 25, 50, 100);
    List<PacingMode> modes =
        List.of(PacingMode.PROGRESSIVE, PacingMode.POWER, PacingMode.PREDICTIVE);
    Double ratio = null;
    double connects = 10_000;
    Double hours = null;
    long seed = 1;
    int threads = 2;
    List<Scenario.Change> changes = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("-h") || a.equals("--help")) {
        System.out.println(USAGE + "  " + String.join(", ", Scenario.DEFAULTS.keySet()));
        return;
      }
      if (!a.startsWith("--") || i + 1 >= args.length) {
        fail("expected --option value at: " + a);
      }
      String key = a.substring(2).replace('-', '_');
      String v = args[++i];
      switch (key) {
        case "agents" -> agents = parseInts(v);
        case "modes" -> modes = parseModes(v);
        case "ratio" -> ratio = Double.parseDouble(v);
        case "connects" -> connects = Double.parseDouble(v);
        case "hours" -> hours = Double.parseDouble(v);
        case "seed" -> seed = Long.parseLong(v);
        case "threads" -> threads = Integer.parseInt(v);
        case "change" -> changes.add(parseChange(v));
        default -> {
          if (!Scenario.DEFAULTS.containsKey(key)) {
            fail("unknown option --" + a.substring(2));
          }
          base = base.with(key, Double.parseDouble(v));
        }
      }
    }
    base = base.withChanges(changes);
    List<Benchmark.Job> jobs = new ArrayList<>();
    for (int n : agents) {
      double h = hours != null ? hours : Benchmark.hoursFor(n, connects);
      for (PacingMode m : modes) {
        Scenario sc = base.withMode(m).with("agents", n).with("hours", h).with("seed", seed + n);
        if (ratio != null) {
          sc = sc.with("ratio", ratio);
        }
        jobs.add(new Benchmark.Job(sc, m == PacingMode.POWER && ratio == null));
      }
    }
    long t0 = System.nanoTime();
    System.out.println(describe(base));
    List<SimulationReport> reports = Benchmark.runAll(jobs, threads);
    System.out.println(Benchmark.header());
    for (SimulationReport r : reports) {
      System.out.println(Benchmark.row(r));
    }
    System.out.printf(Locale.ROOT, "%nwall time %.0f s%n", (System.nanoTime() - t0) / 1e9);
  }

  private static String describe(Scenario sc) {
    StringBuilder b = new StringBuilder("scenario:");
    sc.values()
        .forEach(
            (k, v) -> {
              if (!v.equals(Scenario.DEFAULTS.get(k))) {
                b.append(' ').append(k).append('=').append(v);
              }
            });
    if (b.length() == "scenario:".length()) {
      b.append(" reference");
    }
    for (Scenario.Change c : sc.changes()) {
      b.append(String.format(Locale.ROOT, "; at %.2f h %s=%s", c.atHours(), c.key(), c.value()));
    }
    return b.toString();
  }

  private static List<Integer> parseInts(String v) {
    List<Integer> out = new ArrayList<>();
    for (String s : v.split(",")) {
      out.add(Integer.parseInt(s.trim()));
    }
    return out;
  }

  private static List<PacingMode> parseModes(String v) {
    List<PacingMode> out = new ArrayList<>();
    for (String s : v.split(",")) {
      out.add(PacingMode.valueOf(s.trim().toUpperCase(Locale.ROOT)));
    }
    return out;
  }

  private static Scenario.Change parseChange(String v) {
    int colon = v.indexOf(':');
    int eq = v.indexOf('=');
    if (colon < 0 || eq < colon) {
      fail("--change wants H:key=value, got " + v);
    }
    return new Scenario.Change(
        Double.parseDouble(v.substring(0, colon)),
        v.substring(colon + 1, eq).replace('-', '_'),
        Double.parseDouble(v.substring(eq + 1)));
  }

  private static void fail(String msg) {
    System.err.println(msg);
    System.err.println(USAGE);
    System.exit(2);
  }
}
