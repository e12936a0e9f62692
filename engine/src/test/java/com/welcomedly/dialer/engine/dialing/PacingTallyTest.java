package com.welcomedly.dialer.engine.dialing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.welcomedly.dialer.engine.agent.Agent;
import com.welcomedly.dialer.engine.compliance.AbandonLedger;
import com.welcomedly.dialer.engine.pacing.PacingMode;
import com.welcomedly.dialer.engine.pacing.PacingParameters;
import com.welcomedly.dialer.engine.pacing.PacingSnapshot;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The pacer's counts that {@link CallBook} keeps as its agents and calls change (so a decision does
 * not walk 5,000 agents) equal a full recount of every agent and call, after every step of long
 * random sequences of what the dialer does: agents seen (pushed or re-read, in and out of order),
 * legs up and down, previews held, calls reserved, dialed, answered, bridged first, connected,
 * abandoned, ended, adopted.
 */
class PacingTallyTest {

  private static final Instant T0 = Instant.parse("2026-12-02T14:00:00Z");
  private static final Agent.Status[] STATUSES = Agent.Status.values();

  private static Agent.Summary agent(String id, Agent.Status status, Instant since) {
    return new Agent.Summary(
        id, id, "PJSIP/" + id, Set.of("c-1"), status, null, null, null, null, since, null);
  }

  @Test
  void theKeptTallyEqualsAFullRecountAfterEveryChange() {
    for (long seed = 1; seed <= 20; seed++) {
      runSequence(new Random(seed), 3_000);
    }
  }

  private static void runSequence(Random random, int steps) {
    CallBook book = new CallBook();
    List<String> agents = List.of("a", "b", "c", "d", "e", "f", "g", "h");
    List<String> attempts = new ArrayList<>();
    long[] sequence = new long[agents.size()];
    Instant now = T0;
    for (int step = 0; step < steps; step++) {
      now = now.plusMillis(random.nextInt(500));
      int i = random.nextInt(agents.size());
      String agentId = agents.get(i);
      String attemptId =
          attempts.isEmpty() || random.nextInt(5) == 0
              ? "att-" + step
              : attempts.get(random.nextInt(attempts.size()));
      switch (random.nextInt(20)) {
        case 0, 1, 2 -> {
          // Mostly newer views; sometimes an older one arriving late (ignored).
          long seq = random.nextInt(6) == 0 ? sequence[i] - 1 : ++sequence[i];
          Agent.Status status = STATUSES[random.nextInt(STATUSES.length)];
          boolean present = status != Agent.Status.LOGGED_OUT && random.nextInt(8) != 0;
          book.agentSeen(
              agent(agentId, status, now.minusSeconds(random.nextInt(60))), seq, present);
        }
        case 3 -> book.legUp(agentId);
        case 4 -> book.legDown(agentId);
        case 5 -> book.legRequested(agentId);
        case 6 -> {
          if (random.nextInt(10) == 0) {
            book.allLegsDown();
          }
        }
        case 7 -> book.hold(agentId, attemptId, now); // a preview, or a call's agent
        case 8 -> book.releaseAgent(agentId);
        case 9 -> {
          String fresh = "att-" + step;
          attempts.add(fresh);
          book.reserving(fresh, "lead-" + step, random.nextBoolean() ? null : agentId);
        }
        case 10 -> book.dialing(attemptId, now);
        case 11 -> book.answered(attemptId, now);
        case 12 -> book.bridgingFirst(attemptId, agentId, now);
        case 13 -> book.claiming(attemptId, agentId, now);
        case 14 -> book.connected(attemptId);
        case 15 -> book.abandoning(attemptId);
        case 16 -> book.machine(attemptId);
        case 17 -> {
          book.forget(attemptId);
          attempts.remove(attemptId);
        }
        case 18 -> {
          book.bridged(attemptId, now);
          book.recorded(attemptId);
          book.endedBeforeRecord(
              attemptId,
              new TelephonyGateway.HungUp(attemptId, TelephonyGateway.Side.CUSTOMER, 16, now));
        }
        default -> {
          String fresh = "adopted-" + step;
          attempts.add(fresh);
          book.adopt(
              fresh,
              "lead-a" + step,
              CallBook.Phase.values()[random.nextInt(CallBook.Phase.values().length)],
              now,
              now,
              agentId);
          if (random.nextBoolean()) {
            book.message(fresh, now);
          }
        }
      }
      assertTallyRecounts(book, now, step);
    }
  }

  private static void assertTallyRecounts(CallBook book, Instant now, int step) {
    List<PacingSnapshot.Agent> agents = book.pacingAgents(now);
    List<PacingSnapshot.Call> calls = book.pacingCalls(now);
    assertEquals(PacingSnapshot.Tally.of(agents, calls), book.tally(), "after step " + step);
    Set<String> waiting = new HashSet<>();
    for (PacingSnapshot.Call call : calls) {
      if (call.phase() == PacingSnapshot.CallPhase.ANSWERED_WAITING) {
        waiting.add(call.id());
      }
    }
    assertEquals(waiting, Set.copyOf(book.waitingForAgent()), "waiting after step " + step);
  }

  @Test
  void aModeThatReadsNoClocksGetsTheCountsAndAModeThatDoesGetsTheLists() {
    CallBook book = new CallBook();
    book.agentSeen(agent("a", Agent.Status.READY, T0), 1, true);
    book.legUp("a");
    book.reserving("att-1", "lead-1", null);
    AbandonLedger.Status ledger = new AbandonLedger().status(T0);

    PacingSnapshot power = book.snapshot(T0, parameters(PacingMode.POWER), ledger);
    assertNull(power.agents(), "POWER reads no clock: nothing listed");
    assertEquals(1, power.tally().count(PacingSnapshot.AgentPhase.READY));
    assertEquals(1, power.tally().count(PacingSnapshot.CallPhase.DIALING));

    PacingSnapshot predictive = book.snapshot(T0, parameters(PacingMode.PREDICTIVE), ledger);
    assertEquals(
        List.of(
            new PacingSnapshot.Agent("a", PacingSnapshot.AgentPhase.READY, T0.getEpochSecond())),
        predictive.agents());
    assertEquals(power.tally(), predictive.tally());
  }

  private static PacingParameters parameters(PacingMode mode) {
    return new PacingParameters(mode, 0.03, 3.0, 2.0, 1, 0.0, 0.0, 2.0, 0.3, 30.0);
  }
}
