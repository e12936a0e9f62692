package com.welcomedly.dialer.bench.sim;

import com.welcomedly.dialer.engine.pacing.PacingMode;
import com.welcomedly.dialer.engine.pacing.PacingParameters;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A benchmark scenario: the shared pacing model's parameters (see {@code shared/pacing/README.md})
 * as named numbers, the pacing mode, and a schedule of changes during the run. Named numbers keep
 * the command line, the change schedule and the model in one vocabulary.
 *
 * @param values every parameter by name (see {@link #DEFAULTS})
 * @param mode pacing mode driven through the engine's {@code Pacer}
 * @param changes parameter changes applied during the run, in time order
 */
public record Scenario(Map<String, Double> values, PacingMode mode, List<Change> changes) {

  /** A parameter change at {@code atHours} into the run (e.g. the hit rate dropping at hour 2). */
  public record Change(double atHours, String key, double value) {
    public Change {
      if (!DEFAULTS.containsKey(key)) {
        throw new IllegalArgumentException("unknown scenario parameter: " + key);
      }
    }
  }

  /** The reference scenario. */
  public static final Map<String, Double> DEFAULTS;

  static {
    Map<String, Double> d = new LinkedHashMap<>();
    d.put("agents", 25.0);
    d.put("p_live", 0.25); // live answer share ("hit rate")
    d.put("p_machine", 0.10);
    d.put("p_fail", 0.15); // busy / congestion / SIT
    d.put("pdd_min", 1.5); // post-dial delay, uniform (s)
    d.put("pdd_max", 4.0);
    d.put("ring_live_mean", 8.0); // lognormal ring time to a live answer (s)
    d.put("ring_live_sd", 5.0);
    d.put("ring_machine_mean", 15.0);
    d.put("ring_machine_sd", 4.0);
    d.put("ring_timeout", 20.0);
    d.put("amd", 3.0); // answering-machine detection holds the line (s)
    d.put("talk_mean", 150.0);
    d.put("talk_cv", 1.0);
    d.put("wrap_mean", 20.0);
    d.put("wrap_cv", 0.5);
    d.put("bridge", 0.3);
    d.put("grace", 2.0);
    d.put("drop_message", 8.0); // safe-harbour message holds the line (s)
    d.put("target", 0.03);
    d.put("ledger_cap", 0.03); // the abandon ledger's regulatory cap (interlock)
    d.put("ratio", 2.0); // POWER mode's calls per free agent
    d.put("max_lines", 3.0);
    d.put("min_agents", 3.0);
    d.put("cps", 0.0); // trunk calls-per-second cap, 0 = none
    d.put("cps_burst", 0.0);
    // breaks: share of calls after which the agent pauses, exponential break length (s)
    d.put("break_after_call", 0.0);
    d.put("break_mean", 600.0);
    d.put("hours", 4.0);
    d.put("warmup_hours", 0.5);
    d.put("seed", 1.0);
    DEFAULTS = Collections.unmodifiableMap(d);
  }

  public Scenario {
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    List<Change> sorted = new ArrayList<>(changes);
    sorted.sort((a, b) -> Double.compare(a.atHours(), b.atHours()));
    changes = List.copyOf(sorted);
  }

  public static Scenario reference(PacingMode mode) {
    return new Scenario(DEFAULTS, mode, List.of());
  }

  public double get(String key) {
    Double v = values.get(key);
    if (v == null) {
      throw new IllegalArgumentException("unknown scenario parameter: " + key);
    }
    return v;
  }

  public int agents() {
    return (int) get("agents");
  }

  public Scenario with(String key, double value) {
    if (!DEFAULTS.containsKey(key)) {
      throw new IllegalArgumentException("unknown scenario parameter: " + key);
    }
    Map<String, Double> v = new LinkedHashMap<>(values);
    v.put(key, value);
    return new Scenario(v, mode, changes);
  }

  public Scenario withMode(PacingMode m) {
    return new Scenario(values, m, changes);
  }

  public Scenario withChanges(List<Change> c) {
    return new Scenario(values, mode, c);
  }

  /** The campaign's pacing parameters under this scenario. */
  public PacingParameters pacingParameters() {
    return new PacingParameters(
        mode,
        get("target"),
        get("max_lines"),
        get("ratio"),
        (int) get("min_agents"),
        get("cps"),
        get("cps_burst"),
        get("grace"),
        get("bridge"),
        30.0);
  }
}
