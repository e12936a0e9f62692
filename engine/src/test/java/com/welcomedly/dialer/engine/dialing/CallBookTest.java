package com.welcomedly.dialer.engine.dialing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.welcomedly.dialer.engine.agent.Agent;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The dialer's view of its agents: an index of routable agents by ready time (the longest-ready
 * agent without a scan), views ordered by the agent's journal position (a push and a re-read may
 * cross), and the bridge-first call states.
 */
class CallBookTest {

  private static final Instant T0 = Instant.parse("2026-12-02T14:00:00Z");

  private static Agent.Summary agent(String id, Agent.Status status, int sinceSeconds) {
    return new Agent.Summary(
        id,
        id,
        "PJSIP/" + id,
        Set.of("c-1"),
        status,
        null,
        null,
        null,
        null,
        T0.plusSeconds(sinceSeconds),
        null);
  }

  private static CallBook readyAgents(String... ids) {
    CallBook book = new CallBook();
    for (int i = 0; i < ids.length; i++) {
      book.agentSeen(agent(ids[i], Agent.Status.READY, 10 - i), 1, true);
      book.legUp(ids[i]);
    }
    return book;
  }

  @Test
  void theLongestReadyAgentComesFirstAndLeavesTheIndexWhenClaimedOrNotReady() {
    CallBook book = readyAgents("a", "b", "c"); // ready since 10, 9, 8 s: c waited longest
    assertEquals(Optional.of("c"), book.longestReadyAgent(null));
    assertEquals(3, book.readyAgents());

    book.reserving("att-1", "lead-1", null);
    book.answered("att-1", T0);
    book.bridgingFirst("att-1", "c", T0);
    assertEquals(Optional.of("b"), book.longestReadyAgent(null));
    assertEquals(Optional.empty(), book.longestReadyAgent("c"), "claimed");
    assertEquals(Optional.of("a"), book.longestReadyAgent("a"), "a callback's own agent");

    book.agentSeen(agent("b", Agent.Status.PAUSED, 20), 2, true);
    assertEquals(Optional.of("a"), book.longestReadyAgent(null));
    book.legDown("a");
    assertEquals(Optional.empty(), book.longestReadyAgent(null));
    assertEquals(List.of(), book.readyAgentIds());
    book.legUp("a");
    assertEquals(List.of("a"), book.readyAgentIds());
  }

  @Test
  void anOlderViewNeverOverwritesANewerOneAndAGoneAgentStaysGone() {
    CallBook book = readyAgents("a");
    assertEquals(
        AgentSeats.Seen.PRESENT, book.agentSeen(agent("a", Agent.Status.RESERVED, 30), 5, true));
    // A re-read answered before the reservation arrives late: ignored.
    assertEquals(
        AgentSeats.Seen.IGNORED, book.agentSeen(agent("a", Agent.Status.READY, 10), 4, true));
    assertEquals(Optional.empty(), book.longestReadyAgent(null));

    assertEquals(
        AgentSeats.Seen.GONE, book.agentSeen(agent("a", Agent.Status.LOGGED_OUT, 40), 6, false));
    assertEquals(
        AgentSeats.Seen.IGNORED, book.agentSeen(agent("a", Agent.Status.READY, 10), 5, true));
    assertFalse(book.needsLeg("a"));
    assertEquals(List.of(), book.legs());
    assertTrue(book.pacingAgents(T0).isEmpty(), "not one of the campaign's agents");
    assertEquals(0, book.tally().agentsTotal(), "not counted either");
  }

  @Test
  void aPresentAgentWhoseLegFailedNeedsOneAgainWithoutBeingReRead() {
    CallBook book = readyAgents("a", "b");
    book.agentSeen(agent("c", Agent.Status.LOGGED_OUT, 5), 1, false);
    assertEquals(List.of(), book.agentsWithoutLeg());
    book.legDown("a"); // its leg failed or dropped: the periodic re-read nails it up again
    assertEquals(
        List.of("a"), book.agentsWithoutLeg().stream().map(Agent.Summary::agentId).toList());
    book.legRequested("a");
    assertEquals(List.of(), book.agentsWithoutLeg(), "asked for once, not again meanwhile");
  }

  @Test
  void aReleasedAgentWaitsForItsNextChange() {
    CallBook book = readyAgents("a");
    book.hold("a", "att-1", T0);
    book.releaseAgent("a");
    assertEquals(Optional.empty(), book.longestReadyAgent(null), "stale after its call");
    book.agentSeen(agent("a", Agent.Status.READY, 50), 3, true);
    assertEquals(Optional.of("a"), book.longestReadyAgent(null));
  }

  @Test
  void aCallBridgedFirstKnowsItsBridgeItsRecordAndAHangUpBeforeTheRecord() {
    CallBook book = readyAgents("a");
    book.reserving("att-1", "lead-1", null);
    book.answered("att-1", T0);
    book.bridgingFirst("att-1", "a", T0);
    CallBook.Call call = book.call("att-1").orElseThrow();
    assertEquals(CallBook.Phase.BRIDGING, call.phase());
    assertFalse(call.recorded());
    assertFalse(
        AdoptedAnswer.isRepeat(new TelephonyGateway.Bridged("att-1", "a", T0), call),
        "the first bridge report is news");

    book.bridged("att-1", T0.plusMillis(5));
    var hungUp = new TelephonyGateway.HungUp("att-1", TelephonyGateway.Side.CUSTOMER, 16, T0);
    book.endedBeforeRecord("att-1", hungUp);
    call = book.call("att-1").orElseThrow();
    assertEquals(T0.plusMillis(5), call.bridgedAt());
    assertEquals(hungUp, call.endedBy());
    assertTrue(AdoptedAnswer.isRepeat(new TelephonyGateway.Bridged("att-1", "a", T0), call));

    book.recorded("att-1");
    assertTrue(book.call("att-1").orElseThrow().recorded());
  }

  @Test
  void theAgentInTheCustomersBridgeIsFoundFromTheLiveChannels() {
    var customer = new TelephonyGateway.LiveChannel("Local/x", "att-1", 6, "bridge-9", null, null);
    var agentLeg =
        new TelephonyGateway.LiveChannel("PJSIP/a", "leg-1", 6, "bridge-9", null, "agent-a");
    var other = new TelephonyGateway.LiveChannel("PJSIP/b", "leg-2", 6, "bridge-3", null, "b");
    assertEquals(
        Optional.of("agent-a"), AdoptedAnswer.agentInBridge(customer, List.of(other, agentLeg)));
    assertEquals(Optional.empty(), AdoptedAnswer.agentInBridge(customer, List.of(other)));
  }
}
