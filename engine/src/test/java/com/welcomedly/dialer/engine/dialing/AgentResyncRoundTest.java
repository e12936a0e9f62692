package com.welcomedly.dialer.engine.dialing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The dialer's periodic agent re-read takes the agents in turn, a batch per period. */
class AgentResyncRoundTest {

  private static TreeSet<String> agents(int n) {
    return IntStream.rangeClosed(1, n)
        .mapToObj(i -> String.format("ag-%04d", i))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void aCampaignWithinOneBatchIsReReadWholeEveryPeriod() {
    TreeSet<String> all = agents(3);
    assertEquals(List.of("ag-0001", "ag-0002", "ag-0003"), AgentView.nextRound(all, "", 500));
    // From any cursor the round still holds every agent, the ones after the cursor first.
    assertEquals(
        List.of("ag-0003", "ag-0001", "ag-0002"), AgentView.nextRound(all, "ag-0002", 500));
  }

  @Test
  void aLargeCampaignIsCoveredInTurnWrappingAround() {
    TreeSet<String> all = agents(1_250);
    Set<String> seen = new HashSet<>();
    String cursor = "";
    for (int period = 0; period < 3; period++) {
      List<String> round = AgentView.nextRound(all, cursor, 500);
      assertEquals(500, round.size(), "period " + period);
      seen.addAll(round);
      cursor = round.get(round.size() - 1);
    }
    // ⌈1,250 / 500⌉ = 3 periods: every agent re-read once, the third round wrapped to the start.
    assertEquals(all, seen);
    assertEquals("ag-0250", cursor);
  }

  @Test
  void anAgentRemovedFromTheCampaignDoesNotStopTheTurn() {
    TreeSet<String> all = agents(6);
    all.remove("ag-0003"); // the cursor's agent left the campaign
    assertEquals(List.of("ag-0004", "ag-0005"), AgentView.nextRound(all, "ag-0003", 2));
    assertEquals(List.of(), AgentView.nextRound(new TreeSet<>(), "ag-0003", 2));
  }
}
