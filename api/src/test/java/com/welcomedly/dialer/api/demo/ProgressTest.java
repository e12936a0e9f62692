package com.welcomedly.dialer.api.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.welcomedly.dialer.engine.agent.Agent;
import com.welcomedly.dialer.engine.agent.Session;
import com.welcomedly.dialer.engine.campaign.Campaign;
import com.welcomedly.dialer.engine.dialing.CampaignDialer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProgressTest {

  private static Agent.Summary agent(String id, Agent.Status status, long talkS, long readyS) {
    Session session =
        new Session(
            "s-" + id,
            Instant.EPOCH,
            Map.of(
                Agent.Status.ON_CALL, Duration.ofSeconds(talkS),
                Agent.Status.READY, Duration.ofSeconds(readyS),
                Agent.Status.WRAP_UP, Duration.ofSeconds(10)),
            Map.of());
    return new Agent.Summary(
        id, id, "PJSIP/" + id, Set.of("c"), status, null, null, null, null, Instant.EPOCH, session);
  }

  private static final CampaignDialer.Status DIALER =
      new CampaignDialer.Status(
          "c",
          Campaign.Status.ACTIVE,
          true,
          7,
          1,
          Map.of(),
          null,
          new CampaignDialer.Totals(200, 60, 57, 3, 30, 190),
          null,
          Map.of(),
          10,
          List.of());

  private static final Progress.Sample SAMPLE =
      new Progress.Sample(
          Duration.ofSeconds(65),
          DIALER,
          List.of(
              agent("a", Agent.Status.READY, 60, 20),
              agent("b", Agent.Status.ON_CALL, 90, 30),
              agent("c", Agent.Status.WRAP_UP, 50, 50)),
          400,
          1000);

  @Test
  void aLineShowsTheDialersTotalsTheAgentsByStateAndTheIntervalsOccupancy() {
    Progress.AgentTime interval =
        new Progress.AgentTime(
            Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ZERO, Duration.ZERO);
    String line = Progress.line(SAMPLE, 60, interval);
    assertEquals(
        "[sim 1h05m] dials 200  live 60  connects 57  abandons 3 (5.0%)  machines 30  in flight 7"
            + " | agents ready 1 reserved 0 on-call 1 wrap-up 1 paused 0 | occupancy 75%"
            + " | pacing: waiting | leads 400/1000",
        line);
  }

  @Test
  void theSummaryUsesTheBenchmarksDefinitions() {
    List<String> summary =
        Progress.summary(SAMPLE, 60, Map.of("SALE", 4L, "NOT_INTERESTED", 9L), "c");
    assertEquals(
        "Demo summary: campaign c, 3 agents, 1m05s real = 1h05m simulated", summary.get(0));
    assertTrue(summary.get(1).contains("abandons 3 (5.00% of live answers)"), summary.get(1));
    // talk 200 s, idle 100 s: 66.7 %; talk + wrap 230 of 330 s logged: 69.7 %.
    assertTrue(
        summary.get(2).startsWith("  occupancy 66.7% (talk / talk + idle), talk + wrap-up 69.7%"),
        summary.get(2));
    assertEquals("  dispositions by agents: NOT_INTERESTED 9, SALE 4", summary.get(3));
  }
}
