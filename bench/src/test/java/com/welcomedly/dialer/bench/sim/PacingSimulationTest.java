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

  @Test
  void agentsJoiningAndLeavingChangeTheTeamThePacerSees() {
    SimulationReport steady = new Simulation(scenario(PacingMode.PREDICTIVE, 8)).run("steady");
    Simulation growing =
        new Simulation(
            scenario(PacingMode.PREDICTIVE, 8)
                .withChanges(List.of(new Scenario.Change(2, "agents", 50))));
    SimulationReport grown = growing.run("growing");
    assertEquals(50, growing.agentsLoggedIn());
    // 25 x 1.5 h + 50 x 6 h measured agent hours against 25 x 7.5 h: 1.8 times the answers
    assertTrue(grown.liveAnswers() > 1.5 * steady.liveAnswers(), Benchmark.row(grown));
    assertTrue(grown.abandonWholeRunPct() <= 3.0, Benchmark.row(grown));
    assertTrue(grown.occupancy() >= 0.87, Benchmark.row(grown));

    Simulation shrinking =
        new Simulation(
            scenario(PacingMode.PREDICTIVE, 8)
                .withChanges(List.of(new Scenario.Change(2, "agents", 10))));
    SimulationReport shrunk = shrinking.run("shrinking");
    assertEquals(10, shrinking.agentsLoggedIn());
    assertTrue(shrunk.liveAnswers() < 0.65 * steady.liveAnswers(), Benchmark.row(shrunk));
    assertTrue(shrunk.abandonWholeRunPct() <= 3.0, Benchmark.row(shrunk));
    // connects per logged-in agent hour stay those of a working team
    assertTrue(shrunk.connectsPerAgentHour() >= 16.5, Benchmark.row(shrunk));
  }

  @Test
  void agentsPausingAndReturningStayPacedUnderTheCap() {
    Scenario base = scenario(PacingMode.PREDICTIVE, 8);
    SimulationReport steady = new Simulation(base).run("steady");
    // a 10-minute break (mean) after 3 % of calls, as the demo's bots do
    SimulationReport breaks =
        new Simulation(base.with("break_after_call", 0.03).with("break_mean", 600)).run("breaks");
    assertTrue(breaks.abandonWholeRunPct() <= 3.0, Benchmark.row(breaks));
    assertTrue(breaks.occupancy() >= 0.85, Benchmark.row(breaks));
    // breaks are logged-in time without talk or wrap-up
    assertTrue(
        breaks.utilisation() < steady.utilisation() - 0.04,
        Benchmark.row(steady) + "\n" + Benchmark.row(breaks));
  }
}
