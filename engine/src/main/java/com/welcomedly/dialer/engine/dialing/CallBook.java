package com.welcomedly.dialer.engine.dialing;

import com.welcomedly.dialer.engine.agent.Agent;
import com.welcomedly.dialer.engine.compliance.AbandonLedger;
import com.welcomedly.dialer.engine.pacing.PacingParameters;
import com.welcomedly.dialer.engine.pacing.PacingSnapshot;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The dialer's working memory: its calls in flight and the campaign's agents as last seen, with
 * their nailed-up legs. What a decision and the routing of live answers read is kept up to date as
 * calls and agents change (the pacer's counts by phase, the calls waiting for an agent) instead of
 * being recounted from every call and agent each time. Plain Java owned by one actor; never shared.
 */
final class CallBook {

  enum Phase {
    RESERVING,
    DIALING,
    /** A live person answered and waits for an agent (the connect deadline runs). */
    ANSWERED,
    /** Bridged first to an agent whose record follows: CONNECTED once both are in. */
    BRIDGING,
    CONNECTED,
    /** Safe-harbor message playing: the call was abandoned. */
    ABANDONING,
    /** AMD said machine: hanging up (AGENTLESS: leaving the message after the beep, if set). */
    MACHINE,
    /**
     * AGENTLESS: a person answered and hears the campaign's message; no agent is involved until the
     * transfer key makes it an {@link #ANSWERED} live answer.
     */
    MESSAGE
  }

  /**
   * One call in flight. While BRIDGING (bridge first, record after): {@code bridgedAt} is when the
   * PBX reported the bridge (null before), {@code recorded} whether the agent's entity took the
   * reservation, and {@code endedBy} the caller's hang-up that came before the agent's answer.
   */
  record Call(
      String attemptId,
      String leadId,
      String callbackAgentId,
      Phase phase,
      Instant dialedAt,
      Instant answeredAt,
      String agentId,
      Instant bridgedAt,
      boolean recorded,
      TelephonyGateway.CallEvent endedBy) {
    Call(
        String attemptId,
        String leadId,
        String callbackAgentId,
        Phase phase,
        Instant dialedAt,
        Instant answeredAt,
        String agentId) {
      this(
          attemptId,
          leadId,
          callbackAgentId,
          phase,
          dialedAt,
          answeredAt,
          agentId,
          null,
          false,
          null);
    }

    Call with(Phase next) {
      return bridge(next, agentId, bridgedAt, recorded, endedBy);
    }

    private Call bridging(String agent, boolean isRecorded) {
      return bridge(Phase.BRIDGING, agent, null, isRecorded, null);
    }

    private Call withBridge(Instant at, boolean isRecorded, TelephonyGateway.CallEvent ended) {
      return bridge(phase, agentId, at, isRecorded, ended);
    }

    /** This call with its phase and its bridge-first fields replaced. */
    private Call bridge(
        Phase next,
        String agent,
        Instant at,
        boolean isRecorded,
        TelephonyGateway.CallEvent ended) {
      return new Call(
          attemptId,
          leadId,
          callbackAgentId,
          next,
          dialedAt,
          answeredAt,
          agent,
          at,
          isRecorded,
          ended);
    }
  }

  private final Map<String, Call> calls = new LinkedHashMap<>();

  /** Lead id → its call's attempt id: kept with {@link #calls}, never rebuilt per decision. */
  private final Map<String, String> leads = new HashMap<>();

  private int reservations;

  /** Calls in flight by pacing phase ({@link PacingSnapshot.CallPhase} ordinal). */
  private final int[] callTally = new int[PacingSnapshot.CallPhase.values().length];

  /** Live answers waiting for an agent (ANSWERED), in the order they were answered. */
  private final Set<String> waiting = new LinkedHashSet<>();

  /** The campaign's agents as last seen, with the ready index and their pacing tally. */
  private final AgentSeats seats =
      new AgentSeats(
          attemptId -> {
            Call call = calls.get(attemptId);
            return call == null ? null : call.phase();
          });

  // ---- calls ----

  void reserving(String attemptId, String leadId, String callbackAgentId) {
    put(new Call(attemptId, leadId, callbackAgentId, Phase.RESERVING, null, null, null));
  }

  /** Every change to a call goes through here or {@link #forget}: the counts follow it. */
  private void put(Call call) {
    Call before = calls.put(call.attemptId(), call);
    if (before != null) {
      counted(before, -1);
    }
    counted(call, 1);
    leads.put(call.leadId(), call.attemptId());
    seats.callChanged(call.attemptId());
  }

  private void update(String attemptId, UnaryOperator<Call> change) {
    Call call = calls.get(attemptId);
    if (call != null) {
      put(change.apply(call));
    }
  }

  private void counted(Call call, int delta) {
    if (call.phase() == Phase.RESERVING) {
      reservations += delta;
    }
    PacingSnapshot.CallPhase phase = pacingPhase(call.phase());
    if (phase != null) {
      callTally[phase.ordinal()] += delta;
    }
    if (call.phase() == Phase.ANSWERED) {
      if (delta > 0) {
        waiting.add(call.attemptId());
      } else {
        waiting.remove(call.attemptId());
      }
    }
  }

  /** How the pacer sees a call in this phase; null once resolved (no longer in flight for it). */
  private static PacingSnapshot.CallPhase pacingPhase(Phase phase) {
    return switch (phase) {
      case RESERVING, DIALING -> PacingSnapshot.CallPhase.DIALING;
      case ANSWERED -> PacingSnapshot.CallPhase.ANSWERED_WAITING;
      // Resolved: connected, abandoning or machine no longer count as in flight.
      default -> null;
    };
  }

  /** A call found in flight that a previous dialer instance placed. */
  void adopt(
      String attemptId,
      String leadId,
      Phase phase,
      Instant dialedAt,
      Instant answeredAt,
      String agentId) {
    put(new Call(attemptId, leadId, null, phase, dialedAt, answeredAt, agentId));
  }

  Optional<Call> call(String attemptId) {
    return Optional.ofNullable(calls.get(attemptId));
  }

  void forget(String attemptId) {
    Call gone = calls.remove(attemptId);
    if (gone != null) {
      leads.remove(gone.leadId(), attemptId);
      counted(gone, -1);
      seats.callChanged(attemptId);
    }
  }

  void dialing(String attemptId, Instant at) {
    Call c = calls.get(attemptId);
    if (c != null) {
      put(new Call(attemptId, c.leadId(), c.callbackAgentId(), Phase.DIALING, at, null, null));
    }
  }

  /** Calls whose lead is still being asked to reserve itself: journal writes in flight. */
  int reservations() {
    return reservations;
  }

  boolean holds(String leadId) {
    return leads.containsKey(leadId);
  }

  void answered(String attemptId, Instant at) {
    update(
        attemptId,
        c ->
            new Call(
                attemptId,
                c.leadId(),
                c.callbackAgentId(),
                Phase.ANSWERED,
                c.dialedAt(),
                at,
                null));
  }

  /** AGENTLESS: the message plays to the callee (answered at {@code at}). */
  void message(String attemptId, Instant at) {
    update(
        attemptId,
        c ->
            new Call(
                attemptId, c.leadId(), c.callbackAgentId(), Phase.MESSAGE, c.dialedAt(), at, null));
  }

  void machine(String attemptId) {
    update(attemptId, c -> c.with(Phase.MACHINE));
  }

  void abandoning(String attemptId) {
    update(attemptId, c -> c.with(Phase.ABANDONING));
  }

  void connected(String attemptId) {
    update(attemptId, c -> c.with(Phase.CONNECTED));
  }

  /**
   * The call goes to {@code agentId}, whose reservation is already recorded (a preview's agent, an
   * agent a previous dialer instance reserved): nobody else gets that agent meanwhile.
   */
  void claiming(String attemptId, String agentId, Instant at) {
    claim(attemptId, agentId, at, true);
  }

  /** Bridge first: the call goes to {@code agentId} now, the agent's record follows. */
  void bridgingFirst(String attemptId, String agentId, Instant at) {
    claim(attemptId, agentId, at, false);
  }

  private void claim(String attemptId, String agentId, Instant at, boolean recorded) {
    update(attemptId, c -> c.bridging(agentId, recorded));
    hold(agentId, attemptId, at);
  }

  /** The PBX bridged the call at {@code at}. */
  void bridged(String attemptId, Instant at) {
    update(attemptId, c -> c.withBridge(at, c.recorded(), c.endedBy()));
  }

  /** The agent's entity took the reservation of a call bridged first. */
  void recorded(String attemptId) {
    update(attemptId, c -> c.withBridge(c.bridgedAt(), true, c.endedBy()));
  }

  /** The caller hung up a bridged call before its agent's record was answered: decided then. */
  void endedBeforeRecord(String attemptId, TelephonyGateway.CallEvent event) {
    update(attemptId, c -> c.withBridge(c.bridgedAt(), c.recorded(), event));
  }

  int callsInFlight() {
    return calls.size();
  }

  /** Calls in one of these phases. */
  int callsIn(Set<Phase> phases) {
    int n = 0;
    for (Call call : calls.values()) {
      if (phases.contains(call.phase())) {
        n++;
      }
    }
    return n;
  }

  /** A copy (an array copy, no hashing: see readyAgentIds): handed to off-thread queries. */
  List<String> heldLeads() {
    return List.copyOf(leads.keySet());
  }

  /** The live answers waiting for an agent, longest waiting first (a copy: routing changes it). */
  List<String> waitingForAgent() {
    return List.copyOf(waiting);
  }

  Map<String, String> phases() {
    Map<String, String> phases = new LinkedHashMap<>();
    calls.forEach((id, c) -> phases.put(id, c.phase().name()));
    return phases;
  }

  // ---- agents (AgentSeats) ----

  /** The agent holds {@code attemptId} (a preview not dialed yet, or a call being bridged). */
  void hold(String agentId, String attemptId, Instant at) {
    seats.hold(agentId, attemptId, at);
  }

  /** The agent's call is over (or never happened): not routable until its state is seen again. */
  void releaseAgent(String agentId) {
    seats.release(agentId);
  }

  AgentSeats.Seen agentSeen(Agent.Summary summary, long sequenceNr, boolean present) {
    return seats.seen(summary, sequenceNr, present);
  }

  boolean needsLeg(String agentId) {
    return seats.needsLeg(agentId);
  }

  List<Agent.Summary> agentsWithoutLeg() {
    return seats.withoutLeg();
  }

  void legRequested(String agentId) {
    seats.legRequested(agentId);
  }

  void legUp(String agentId) {
    seats.legUp(agentId);
  }

  void legDown(String agentId) {
    seats.legDown(agentId);
  }

  void allLegsDown() {
    seats.allLegsDown();
  }

  List<String> legs() {
    return seats.legs();
  }

  List<String> readyAgentIds() {
    return seats.readyAgentIds();
  }

  int readyAgents() {
    return seats.readyAgents();
  }

  Optional<String> longestReadyAgent(String onlyAgentId) {
    return seats.longestReadyAgent(onlyAgentId);
  }

  // ---- pacing ----

  /**
   * The pacer's view now. Counts only (kept up to date, no walk over agents or calls) unless the
   * campaign's mode reads the agents' and calls' clocks ({@link PacingSnapshot#readsClocks}).
   */
  PacingSnapshot snapshot(Instant now, PacingParameters parameters, AbandonLedger.Status ledger) {
    if (!PacingSnapshot.readsClocks(parameters.mode())) {
      return PacingSnapshot.counted(seconds(now), tally(), parameters, ledger);
    }
    return new PacingSnapshot(
        seconds(now), pacingAgents(now), pacingCalls(now), parameters, ledger);
  }

  /** The agents and calls counted by pacing phase, as kept with every change. */
  PacingSnapshot.Tally tally() {
    return new PacingSnapshot.Tally(seats.tally(), callTally);
  }

  /** Every present agent with its pacing phase and clock (walks every agent). */
  List<PacingSnapshot.Agent> pacingAgents(Instant now) {
    return seats.pacingAgents(now);
  }

  /** Every call in flight for the pacer with its clock (walks every call). */
  List<PacingSnapshot.Call> pacingCalls(Instant now) {
    List<PacingSnapshot.Call> inFlight = new ArrayList<>();
    for (Call c : calls.values()) {
      PacingSnapshot.CallPhase phase = pacingPhase(c.phase());
      if (phase != null) {
        Instant dialedAt = c.dialedAt() == null ? now : c.dialedAt();
        inFlight.add(new PacingSnapshot.Call(c.attemptId(), phase, seconds(dialedAt)));
      }
    }
    return inFlight;
  }

  static double seconds(Instant instant) {
    return instant.toEpochMilli() / 1000.0;
  }
}
