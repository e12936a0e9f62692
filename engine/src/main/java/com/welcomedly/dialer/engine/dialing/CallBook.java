package com.welcomedly.dialer.engine.dialing;

import com.welcomedly.dialer.engine.agent.Agent;
import com.welcomedly.dialer.engine.compliance.AbandonLedger;
import com.welcomedly.dialer.engine.pacing.PacingParameters;
import com.welcomedly.dialer.engine.pacing.PacingSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The dialer's working memory: its calls in flight and the campaign's agents as last seen, with
 * their nailed-up legs. Plain Java owned by one actor; never shared.
 */
final class CallBook {

  enum Phase {
    RESERVING,
    DIALING,
    /** A live person answered and waits for an agent (the connect deadline runs). */
    ANSWERED,
    /** An agent is being reserved and bridged. */
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

  record Call(
      String attemptId,
      String leadId,
      String callbackAgentId,
      Phase phase,
      Instant dialedAt,
      Instant answeredAt,
      String agentId) {
    Call with(Phase next) {
      return new Call(attemptId, leadId, callbackAgentId, next, dialedAt, answeredAt, agentId);
    }
  }

  private enum Leg {
    NONE,
    REQUESTED,
    UP
  }

  /** One agent as this dialer sees it. {@code stale} until the next refresh after a call. */
  private static final class Seat {
    Agent.Summary summary;
    Leg leg = Leg.NONE;
    String claimedBy;
    Instant claimedAt;
    boolean stale;
  }

  private final Map<String, Call> calls = new LinkedHashMap<>();

  /** Lead id → its call's attempt id: kept with {@link #calls}, never rebuilt per decision. */
  private final Map<String, String> leads = new HashMap<>();

  private int reservations;
  private final Map<String, Seat> seats = new HashMap<>();

  // ---- calls ----

  void reserving(String attemptId, String leadId, String callbackAgentId) {
    put(new Call(attemptId, leadId, callbackAgentId, Phase.RESERVING, null, null, null));
  }

  private void put(Call call) {
    Call before = calls.put(call.attemptId(), call);
    if (before != null && before.phase() == Phase.RESERVING) {
      reservations--;
    }
    if (call.phase() == Phase.RESERVING) {
      reservations++;
    }
    leads.put(call.leadId(), call.attemptId());
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
      if (gone.phase() == Phase.RESERVING) {
        reservations--;
      }
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
    calls.computeIfPresent(
        attemptId,
        (id, c) ->
            new Call(id, c.leadId(), c.callbackAgentId(), Phase.ANSWERED, c.dialedAt(), at, null));
  }

  /** AGENTLESS: the message plays to the callee (answered at {@code at}). */
  void message(String attemptId, Instant at) {
    calls.computeIfPresent(
        attemptId,
        (id, c) ->
            new Call(id, c.leadId(), c.callbackAgentId(), Phase.MESSAGE, c.dialedAt(), at, null));
  }

  void machine(String attemptId) {
    calls.computeIfPresent(attemptId, (id, c) -> c.with(Phase.MACHINE));
  }

  void abandoning(String attemptId) {
    calls.computeIfPresent(attemptId, (id, c) -> c.with(Phase.ABANDONING));
  }

  void connected(String attemptId) {
    calls.computeIfPresent(attemptId, (id, c) -> c.with(Phase.CONNECTED));
  }

  /** The call is offered to {@code agentId}: nobody else gets that agent meanwhile. */
  void claiming(String attemptId, String agentId, Instant at) {
    calls.computeIfPresent(
        attemptId,
        (id, c) ->
            new Call(
                id,
                c.leadId(),
                c.callbackAgentId(),
                Phase.BRIDGING,
                c.dialedAt(),
                c.answeredAt(),
                agentId));
    Seat seat = seats.get(agentId);
    if (seat != null) {
      seat.claimedBy = attemptId;
      seat.claimedAt = at;
    }
  }

  /**
   * The agent holds a previewed lead ({@code attemptId}, not dialed yet): nobody else gets that
   * agent meanwhile, and pacing sees it PREVIEWING.
   */
  void hold(String agentId, String attemptId, Instant at) {
    Seat seat = seats.get(agentId);
    if (seat != null) {
      seat.claimedBy = attemptId;
      seat.claimedAt = at;
    }
  }

  /** The agent refused (no longer ready): the call waits again, the agent until next refresh. */
  void claimFailed(String attemptId, String agentId) {
    calls.computeIfPresent(
        attemptId,
        (id, c) ->
            c.phase() == Phase.BRIDGING
                ? new Call(
                    id,
                    c.leadId(),
                    c.callbackAgentId(),
                    Phase.ANSWERED,
                    c.dialedAt(),
                    c.answeredAt(),
                    null)
                : c);
    releaseAgent(agentId);
  }

  /** The agent's call is over (or never happened): not routable until its state is seen again. */
  void releaseAgent(String agentId) {
    Seat seat = seats.get(agentId);
    if (seat != null) {
      seat.claimedBy = null;
      seat.claimedAt = null;
      seat.stale = true;
    }
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

  /** A copy: handed to queries that run off the dialer's thread. */
  Set<String> heldLeads() {
    return Set.copyOf(leads.keySet());
  }

  List<String> waitingForAgent() {
    return calls.values().stream()
        .filter(c -> c.phase() == Phase.ANSWERED)
        .map(Call::attemptId)
        .toList();
  }

  Map<String, String> phases() {
    Map<String, String> phases = new LinkedHashMap<>();
    calls.forEach((id, c) -> phases.put(id, c.phase().name()));
    return phases;
  }

  // ---- agents ----

  void agentSeen(Agent.Summary summary) {
    Seat seat = seats.computeIfAbsent(summary.agentId(), id -> new Seat());
    seat.summary = summary;
    seat.stale = false;
  }

  boolean knowsAgent(String agentId) {
    return seats.containsKey(agentId);
  }

  void agentGone(String agentId) {
    seats.remove(agentId);
  }

  boolean needsLeg(String agentId) {
    Seat seat = seats.get(agentId);
    return seat != null && seat.leg == Leg.NONE;
  }

  void legRequested(String agentId) {
    Seat seat = seats.get(agentId);
    if (seat != null) {
      seat.leg = Leg.REQUESTED;
    }
  }

  void legUp(String agentId) {
    Seat seat = seats.get(agentId);
    if (seat != null) {
      seat.leg = Leg.UP;
    }
  }

  void legDown(String agentId) {
    Seat seat = seats.get(agentId);
    if (seat != null) {
      seat.leg = Leg.NONE;
    }
  }

  void allLegsDown() {
    seats.values().forEach(s -> s.leg = Leg.NONE);
  }

  List<String> legs() {
    return seats.entrySet().stream()
        .filter(e -> e.getValue().leg != Leg.NONE)
        .map(Map.Entry::getKey)
        .toList();
  }

  Set<String> readyAgentIds() {
    return seats.entrySet().stream()
        .filter(e -> routable(e.getValue()))
        .map(Map.Entry::getKey)
        .collect(Collectors.toSet());
  }

  /**
   * The agent that has waited longest, among those READY with a leg up and unclaimed; for an
   * agent-only callback only its agent qualifies.
   */
  Optional<String> longestReadyAgent(String onlyAgentId) {
    return seats.entrySet().stream()
        .filter(e -> routable(e.getValue()))
        .filter(e -> onlyAgentId == null || onlyAgentId.equals(e.getKey()))
        .min(Comparator.comparing(e -> e.getValue().summary.statusSince()))
        .map(Map.Entry::getKey);
  }

  private static boolean routable(Seat seat) {
    return !seat.stale
        && seat.claimedBy == null
        && seat.leg == Leg.UP
        && seat.summary.status() == Agent.Status.READY;
  }

  // ---- pacing ----

  PacingSnapshot snapshot(Instant now, PacingParameters parameters, AbandonLedger.Status ledger) {
    List<PacingSnapshot.Agent> agents = new ArrayList<>();
    seats.forEach(
        (id, seat) -> {
          PacingSnapshot.AgentPhase phase;
          Instant since = seat.summary.statusSince();
          if (seat.claimedBy != null) {
            Call call = calls.get(seat.claimedBy);
            phase =
                call == null
                    ? PacingSnapshot.AgentPhase.PREVIEWING // held by a preview not dialed yet
                    : call.phase() == Phase.CONNECTED
                        ? PacingSnapshot.AgentPhase.TALK
                        : PacingSnapshot.AgentPhase.CONNECTING;
            since = seat.claimedAt;
          } else if (routable(seat)) {
            phase = PacingSnapshot.AgentPhase.READY;
          } else {
            phase =
                switch (seat.summary.status()) {
                  case RESERVED -> PacingSnapshot.AgentPhase.CONNECTING;
                  case ON_CALL -> PacingSnapshot.AgentPhase.TALK;
                  case WRAP_UP -> PacingSnapshot.AgentPhase.WRAP;
                  // Logged in but not dialable for: paused, or its leg is not up yet.
                  default -> PacingSnapshot.AgentPhase.PAUSED;
                };
          }
          agents.add(new PacingSnapshot.Agent(id, phase, seconds(since == null ? now : since)));
        });
    List<PacingSnapshot.Call> inFlight = new ArrayList<>();
    calls
        .values()
        .forEach(
            c -> {
              switch (c.phase()) {
                case RESERVING, DIALING ->
                    inFlight.add(
                        new PacingSnapshot.Call(
                            c.attemptId(),
                            PacingSnapshot.CallPhase.DIALING,
                            seconds(c.dialedAt() == null ? now : c.dialedAt())));
                case ANSWERED ->
                    inFlight.add(
                        new PacingSnapshot.Call(
                            c.attemptId(),
                            PacingSnapshot.CallPhase.ANSWERED_WAITING,
                            seconds(c.dialedAt())));
                default -> {
                  // Resolved: connected, abandoning or machine no longer count as in flight.
                }
              }
            });
    return new PacingSnapshot(seconds(now), agents, inFlight, parameters, ledger);
  }

  private static double seconds(Instant instant) {
    return instant.toEpochMilli() / 1000.0;
  }
}
