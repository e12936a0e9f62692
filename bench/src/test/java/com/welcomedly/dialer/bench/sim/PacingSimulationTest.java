package com.welcomedly.dialer.bench.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.welcomedly.dialer.engine.pacing.PacingMode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Seeded short runs of the shared pacing model around the real pacer: behavioural bounds, not
 * timings (each run takes about a second).
 */
class PacingSimulationTest {

  private static Scenario scenario(PacingMode mode, double hours) {
    return Scenario.reference(mode).with("agents", 25).with("hours", hours).with("seed", 26);
  }

  @Test
  void predictiveKeepsAbandonsUnderTheCapAndBeatsProgressive() {
    SimulationReport r = new Simulation(scenario(PacingMode.PREDICTIVE, 8)).run("predictive");
    assertTrue(r.abandonWholeRunPct() <= 3.0, Benchmark.row(r));
    assertTrue(r.occupancy() >= 0.87, Benchmark.row(r));
    assertTrue(r.connectsPerAgentHour() >= 18.3, Benchmark.row(r));
  }

  @Test
  void progressiveNeverAbandonsAndMatchesItsClosedForm() {
    SimulationReport r = new Simulation(scenario(PacingMode.PROGRESSIVE, 8)).run("progressive");
    assertEquals(0, r.abandoned());
    // closed form: occupancy 0.698, 15.32 connects per agent hour (seed noise of a short run)
    assertEquals(0.698, r.occupancy(), 0.03, Benchmark.row(r));
    assertEquals(15.32, r.connectsPerAgentHour(), 0.8, Benchmark.row(r));
  }

  @Test
  void predictiveFollowsAHitRateDropAndAComeback() {
    Scenario sc =
        scenario(PacingMode.PREDICTIVE, 8)
            .withChanges(
                List.of(
                    new Scenario.Change(2, "p_live", 0.15), new Scenario.Change(5, "p_live", 0.3)));
    SimulationReport r = new Simulation(sc).run("predictive");
    assertTrue(r.abandonWholeRunPct() <= 3.0, Benchmark.row(r));
    assertTrue(r.worstBlockPct() <= 10.0, Benchmark.row(r));
    assertTrue(r.occupancy() >= 0.8, Benchmark.row(r));
  }

  @Test
  void aTargetCutDuringTheRunTakesEffect() {
    // the supervisor cuts the target from 3 % to 1 % after 2 h of an 8 h run
    Scenario sc =
        scenario(PacingMode.PREDICTIVE, 8)
            .withChanges(List.of(new Scenario.Change(2, "target", 0.01)));
    Simulation sim = new Simulation(sc);
    SimulationReport r = sim.run("predictive");
    assertTrue(r.abandonWholeRunPct() < 2.0, Benchmark.row(r));
    assertTrue(r.occupancy() > 0.75, Benchmark.row(r));
    assertEquals(PacingMode.PREDICTIVE, sim.lastDecision().requestedMode());
    assertTrue(sim.estimator().observedAbandonRate() < 0.02);
  }
}
