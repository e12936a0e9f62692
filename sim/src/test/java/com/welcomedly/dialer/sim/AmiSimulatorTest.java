package com.welcomedly.dialer.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AmiSimulatorTest {

  @Test
  void scriptedNumbersDecodeOutcomeAndTimings() {
    SimulatorSettings settings = SimulatorSettings.defaults();
    CallPlan plan = CallPlan.plan("99125070001", 1, settings);
    assertEquals(CallPlan.Outcome.HUMAN, plan.outcome());
    assertEquals(2.5, plan.ringSeconds());
    assertEquals(7.0, plan.talkSeconds());
    assertEquals(CallPlan.Outcome.BUSY, CallPlan.plan("99300000001", 1, settings).outcome());
    assertTrue(CallPlan.plan("99910000001", 1, settings).optOut());
    assertEquals(Double.POSITIVE_INFINITY, CallPlan.plan("99400000001", 1, settings).ringSeconds());
  }

  @Test
  void populationIsDeterministicForASeedAndFollowsTheProbabilities() {
    SimulatorSettings settings = SimulatorSettings.defaults().withSeed(7);
    Map<CallPlan.Outcome, Integer> counts = new HashMap<>();
    List<CallPlan> first = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      CallPlan plan = CallPlan.plan("555" + (1_000_000 + i), 1, settings);
      first.add(plan);
      counts.merge(plan.outcome(), 1, Integer::sum);
    }
    for (int i = 0; i < 5000; i++) {
      assertEquals(first.get(i), CallPlan.plan("555" + (1_000_000 + i), 1, settings));
    }
    // 30 % live answers by default, within sampling noise.
    int live = counts.getOrDefault(CallPlan.Outcome.HUMAN, 0);
    assertTrue(live > 1350 && live < 1650, counts.toString());
    assertNotEquals(
        CallPlan.plan("5551000001", 1, settings.withSeed(8)).ringSeconds(),
        first.get(1).ringSeconds());
  }

  @Test
  void anAgentlessCallReportsTheKeyPressedLikeTheDialplan() throws Exception {
    try (AmiSimulator simulator =
            AmiSimulator.start(SimulatorSettings.defaults().withPort(0).withTimeScale(10));
        AmiTestClient client = new AmiTestClient(simulator.port())) {
      client.action(
          "Originate",
          "Channel",
          "Local/990050010@sim-customer",
          "Context",
          "dialer-agentless",
          "Exten",
          "s",
          "Priority",
          "1",
          "Async",
          "true",
          "Timeout",
          "30000",
          "ChannelId",
          "bc-1",
          "OtherChannelId",
          "bc-1-2",
          "Variable",
          "DIALER_TRANSFER_KEY=1",
          "Variable",
          "DIALER_OPTOUT_KEY=9");
      Map<String, String> result =
          client.await(
              e ->
                  "UserEvent".equals(e.get("Event"))
                      && "DialerAgentless".equals(e.get("UserEvent")));
      assertEquals("TRANSFER", result.get("Result"));
      assertEquals("1", result.get("Key"));
      assertEquals("bc-1", result.get("Uniqueid"));
      assertEquals("bc-1", result.get("CallId"));
      assertEquals("dialer-agentless", result.get("Context"));
      // TRANSFER: the callee stays on the line for the dialer's Bridge or Redirect.
      assertEquals(2, simulator.liveChannels());
    }
  }

  @Test
  void thousandsOfConcurrentChannelsKeepUp() throws Exception {
    // 1500 calls ringing at once (3000 channels), each busy after 5 s. At time scale 10 (0.5 s) a
    // machine at load 20 placed the 1500 originates slowly enough that the first calls had ended
    // before the last one started; 5 real seconds leaves that tenfold room.
    try (AmiSimulator simulator =
            AmiSimulator.start(SimulatorSettings.defaults().withPort(0).withTimeScale(1));
        AmiTestClient client = new AmiTestClient(simulator.port())) {
      int calls = 1500;
      for (int i = 0; i < calls; i++) {
        client.originate(
            "Local/9935000" + String.format("%04d", i) + "@sim-customer",
            "dialer-connect",
            "load-" + i,
            30000);
      }
      client.await(
          e -> "Newchannel".equals(e.get("Event")) && "load-1499".equals(e.get("Uniqueid")));
      assertTrue(simulator.liveChannels() > 2000, "live channels " + simulator.liveChannels());
      int[] failures = {0};
      client.await(e -> "OriginateResponse".equals(e.get("Event")) && ++failures[0] == calls);
      assertEquals(0, simulator.liveChannels());
    }
  }
}
