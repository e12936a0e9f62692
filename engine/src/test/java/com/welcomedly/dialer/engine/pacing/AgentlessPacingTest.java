package com.welcomedly.dialer.engine.pacing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.welcomedly.dialer.engine.compliance.AbandonLedger;
import com.welcomedly.dialer.engine.pacing.PacingDecision.Interlock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AgentlessPacingTest {

  private static final AbandonLedger.Status LEDGER = new AbandonLedger().status(Instant.EPOCH);

  private static PacingSnapshot at(double now) {
    return new PacingSnapshot(
        now,
        List.of(),
        List.of(),
        PacingParameters.defaults().withMode(PacingMode.AGENTLESS),
        LEDGER);
  }

  @Test
  void dialsWithoutAnyAgentUpToTheTrunksBurst() {
    TokenBucket trunk = new TokenBucket();
    PacingDecision d = AgentlessPacing.decide(at(0), 0, 0, 2.0, 10, trunk);
    assertEquals(PacingMode.AGENTLESS, d.requestedMode());
    assertEquals(PacingMode.AGENTLESS, d.effectiveMode());
    assertEquals(0, d.agentsActive());
    assertEquals(2, d.callsToPlace(), "one second of calls at once, not the whole cap");
    assertEquals(10, d.wanted());
    assertEquals(Set.of(Interlock.TRUNK_CPS), d.interlocks());
  }

  @Test
  void placesCallsAtTheConfiguredRateOverTime() {
    TokenBucket trunk = new TokenBucket();
    int placed = 0;
    // A 500 ms loop for 10 s with room for every call: 2 calls per second, plus the first burst.
    for (int tick = 0; tick <= 20; tick++) {
      placed += AgentlessPacing.decide(at(tick * 0.5), 0, 0, 2.0, 1000, trunk).callsToPlace();
    }
    assertEquals(2 + 2 * 10, placed);
  }

  @Test
  void aFractionalRateCarriesOverBetweenDecisions() {
    TokenBucket trunk = new TokenBucket();
    int placed = 0;
    for (int tick = 0; tick <= 40; tick++) {
      placed += AgentlessPacing.decide(at(tick * 0.5), 0, 0, 0.5, 1000, trunk).callsToPlace();
    }
    // 20 s at 0.5 call/s = 10, plus the first token.
    assertEquals(11, placed);
  }

  @Test
  void theConcurrentCapHoldsEveryCallBackAndSavesTheTokens() {
    TokenBucket trunk = new TokenBucket();
    PacingDecision full = AgentlessPacing.decide(at(0), 5, 0, 10.0, 5, trunk);
    assertEquals(0, full.callsToPlace());
    assertEquals(Set.of(Interlock.CONCURRENT_CAP), full.interlocks());
    // Room for 3: the bucket (still full, 10 deep) gives them all at once.
    PacingDecision room = AgentlessPacing.decide(at(0.1), 2, 0, 10.0, 5, trunk);
    assertEquals(3, room.callsToPlace());
    assertTrue(room.interlocks().isEmpty(), room.interlocks().toString());
  }

  /** Two transfers no agent took, in two live answers: (2 + 1) / 100 is the 3 % cap. */
  private static AbandonLedger.Status atTheCap() {
    AbandonLedger ledger = new AbandonLedger();
    Instant t = Instant.EPOCH.plusSeconds(3600);
    for (int i = 0; i < 2; i++) {
      ledger.recordLiveAnswer(t);
      ledger.recordAbandon(t);
    }
    return ledger.status(t);
  }

  private static PacingSnapshot withReadyAgents(int ready, AbandonLedger.Status ledger) {
    List<PacingSnapshot.Agent> agents = new java.util.ArrayList<>();
    for (int i = 0; i < ready; i++) {
      agents.add(new PacingSnapshot.Agent("a" + i, PacingSnapshot.AgentPhase.READY, 0));
    }
    return new PacingSnapshot(
        3600,
        agents,
        List.of(),
        PacingParameters.defaults().withMode(PacingMode.AGENTLESS),
        ledger);
  }

  @Test
  void atTheAbandonCapNoCallGoesOutWithoutAReadyAgentForItsTransfer() {
    PacingDecision d =
        AgentlessPacing.decide(withReadyAgents(0, atTheCap()), 0, 0, 5.0, 10, new TokenBucket());
    assertEquals(0, d.callsToPlace());
    assertEquals(10, d.wanted());
    assertEquals(
        Set.of(Interlock.ABANDON_CAP_US_30_DAYS, Interlock.ABANDON_CAP_UK_24_HOURS),
        d.interlocks());
  }

  @Test
  void atTheAbandonCapEachReadyAgentCoversOneCallThatMayStillAskForOne() {
    // Three agents ready, one call still in its message: two more calls, one per free agent.
    PacingDecision d =
        AgentlessPacing.decide(withReadyAgents(3, atTheCap()), 1, 1, 5.0, 10, new TokenBucket());
    assertEquals(2, d.callsToPlace());
    assertTrue(d.interlocks().contains(Interlock.ABANDON_CAP_UK_24_HOURS), d.explain());
  }

  @Test
  void underTheCapReadyAgentsDoNotLimitTheBroadcast() {
    AbandonLedger ledger = new AbandonLedger();
    Instant t = Instant.EPOCH.plusSeconds(3600);
    ledger.recordLiveAnswer(t);
    ledger.recordAbandon(t); // one abandon: (1 + 1) / 100 is under the 3 % cap
    PacingDecision d =
        AgentlessPacing.decide(
            withReadyAgents(0, ledger.status(t)), 0, 0, 5.0, 10, new TokenBucket());
    assertEquals(5, d.callsToPlace(), "one second of calls, no agent needed");
    assertEquals(Set.of(Interlock.TRUNK_CPS), d.interlocks());
  }
}
