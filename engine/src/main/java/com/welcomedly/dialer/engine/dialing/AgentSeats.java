package com.welcomedly.dialer.engine.dialing;

import com.welcomedly.dialer.engine.agent.Agent;
import com.welcomedly.dialer.engine.dialing.CallBook.Phase;
import com.welcomedly.dialer.engine.pacing.PacingSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The dialer's view of its campaign's agents (part of {@link CallBook}): each agent's last seen
 * state with its journal position, its nailed-up leg and its claim, and an index of the routable
 * ones by ready time, so the longest-ready agent is the index's first entry instead of a scan of
 * every agent per live answer. The agents are also counted by pacing phase as they change (the
 * pacer's tally), so a decision does not walk every agent (issue 18: at 5,000 agents that walk was
 * the decision's cost). Plain Java owned by one actor; never shared.
 */
final class AgentSeats {

  private enum Leg {
    NONE,
    REQUESTED,
    UP
  }

  /**
   * One agent as this dialer sees it: {@code present} while logged in and in the campaign (kept
   * after, with its sequence number, so an older view arriving late cannot bring it back); {@code
   * stale} after a call until the agent's next change is seen.
   */
  private static final class Seat {
    Agent.Summary summary;
    long sequenceNr = -1;
    boolean present;
    Leg leg = Leg.NONE;
    String claimedBy;
    Instant claimedAt;
    boolean stale;
    ReadyKey indexed;

    /** The phase this agent is counted in ({@link #tally}); null while not present. */
    PacingSnapshot.AgentPhase counted;
  }

  /** The ready index's order: longest ready first (READY since), then the agent id. */
  private record ReadyKey(Instant since, String agentId) implements Comparable<ReadyKey> {
    private static final Comparator<ReadyKey> ORDER =
        Comparator.comparing(ReadyKey::since).thenComparing(ReadyKey::agentId);

    @Override
    public int compareTo(ReadyKey other) {
      return ORDER.compare(this, other);
    }
  }

  /** What a seen change did to the agent (see {@link #seen}). */
  enum Seen {
    /** Older than what the dialer knows: ignored. */
    IGNORED,
    PRESENT,
    /** Was present, is not any more (logged out, left the campaign, lost its endpoint). */
    GONE,
    ABSENT
  }

  private final Map<String, Seat> seats = new HashMap<>();

  /** Routable agents by ready time: the longest-ready one without scanning every agent. */
  private final TreeMap<ReadyKey, String> ready = new TreeMap<>();

  /** Present agents by pacing phase (ordinal), kept with every change to a seat or its call. */
  private final int[] tally = new int[PacingSnapshot.AgentPhase.values().length];

  /**
   * Attempt id → the agents whose seats it claims (one, but nothing here relies on that): a call's
   * change recounts them.
   */
  private final Map<String, Set<String>> claims = new HashMap<>();

  /** The phase of a call in flight (null: no such call), which a claimed agent's phase follows. */
  private final Function<String, Phase> callPhase;

  AgentSeats(Function<String, Phase> callPhase) {
    this.callPhase = callPhase;
  }

  /**
   * The agent holds a previewed lead ({@code attemptId}, not dialed yet): nobody else gets that
   * agent meanwhile, and pacing sees it PREVIEWING.
   */
  void hold(String agentId, String attemptId, Instant at) {
    Seat seat = seats.get(agentId);
    if (seat != null) {
      unclaim(agentId, seat);
      seat.claimedBy = attemptId;
      seat.claimedAt = at;
      claims.computeIfAbsent(attemptId, id -> new HashSet<>(2)).add(agentId);
      reindex(agentId, seat);
    }
  }

  /** The agent's call is over (or never happened): not routable until its state is seen again. */
  void release(String agentId) {
    Seat seat = seats.get(agentId);
    if (seat != null) {
      unclaim(agentId, seat);
      seat.claimedBy = null;
      seat.claimedAt = null;
      seat.stale = true;
      reindex(agentId, seat);
    }
  }

  /**
   * The agent's state after its change number {@code sequenceNr}: pushed by the agent or re-read by
   * the dialer, whichever comes first; an older view than the one held is ignored. {@code present}:
   * logged in and serving this campaign.
   */
  Seen seen(Agent.Summary summary, long sequenceNr, boolean present) {
    Seat seat = seats.computeIfAbsent(summary.agentId(), id -> new Seat());
    if (sequenceNr < seat.sequenceNr) {
      return Seen.IGNORED;
    }
    boolean was = seat.present;
    seat.summary = summary;
    seat.sequenceNr = sequenceNr;
    seat.present = present;
    seat.stale = false;
    if (!present) {
      seat.leg = Leg.NONE;
    }
    reindex(summary.agentId(), seat);
    return present ? Seen.PRESENT : was ? Seen.GONE : Seen.ABSENT;
  }

  boolean needsLeg(String agentId) {
    Seat seat = seats.get(agentId);
    return seat != null && seat.present && seat.leg == Leg.NONE;
  }

  /** Present agents without a leg (never nailed up, or their leg failed or dropped). */
  List<Agent.Summary> withoutLeg() {
    List<Agent.Summary> agents = new ArrayList<>();
    seats.forEach(
        (id, seat) -> {
          if (seat.present && seat.leg == Leg.NONE) {
            agents.add(seat.summary);
          }
        });
    return agents;
  }

  void legRequested(String agentId) {
    Seat seat = seats.get(agentId);
    if (seat != null) {
      seat.leg = Leg.REQUESTED;
      reindex(agentId, seat);
    }
  }

  private void unclaim(String agentId, Seat seat) {
    if (seat.claimedBy != null) {
      Set<String> claimants = claims.get(seat.claimedBy);
      if (claimants != null && claimants.remove(agentId) && claimants.isEmpty()) {
        claims.remove(seat.claimedBy);
      }
    }
  }

  /** The call {@code attemptId} was added, changed phase or ended: its agent may count anew. */
  void callChanged(String attemptId) {
    Set<String> claimants = claims.get(attemptId);
    if (claimants != null) {
      for (String agentId : claimants) {
        reindex(agentId, seats.get(agentId));
      }
    }
  }

  void legUp(String agentId) {
    Seat seat = seats.get(agentId);
    if (seat != null) {
      seat.leg = Leg.UP;
      reindex(agentId, seat);
    }
  }

  void legDown(String agentId) {
    Seat seat = seats.get(agentId);
    if (seat != null) {
      seat.leg = Leg.NONE;
      reindex(agentId, seat);
    }
  }

  void allLegsDown() {
    seats.forEach(
        (id, seat) -> {
          seat.leg = Leg.NONE;
          reindex(id, seat);
        });
  }

  List<String> legs() {
    return seats.entrySet().stream()
        .filter(e -> e.getValue().leg != Leg.NONE)
        .map(Map.Entry::getKey)
        .toList();
  }

  /**
   * A copy: handed to queries that run off the dialer's thread. A list (an array copy), not a set:
   * hashing every id into a new set was a fifth of a 5,000-agent decision's cost, and the query
   * only sends the ids to the database.
   */
  List<String> readyAgentIds() {
    return List.copyOf(ready.values());
  }

  int readyAgents() {
    return ready.size();
  }

  /**
   * The agent that has waited longest, among those READY with a leg up and unclaimed (the first of
   * the ready index); for an agent-only callback only its agent qualifies.
   */
  Optional<String> longestReadyAgent(String onlyAgentId) {
    if (onlyAgentId != null) {
      Seat seat = seats.get(onlyAgentId);
      return seat != null && routable(seat) ? Optional.of(onlyAgentId) : Optional.empty();
    }
    return ready.isEmpty() ? Optional.empty() : Optional.of(ready.firstEntry().getValue());
  }

  /**
   * Keeps the ready index and the pacing tally in step with one seat: called after every change to
   * it or to the call it claims.
   */
  private void reindex(String agentId, Seat seat) {
    PacingSnapshot.AgentPhase phase = seat.present ? pacingPhase(seat) : null;
    if (phase != seat.counted) {
      if (seat.counted != null) {
        tally[seat.counted.ordinal()]--;
      }
      if (phase != null) {
        tally[phase.ordinal()]++;
      }
      seat.counted = phase;
    }
    if (seat.indexed != null) {
      ready.remove(seat.indexed);
      seat.indexed = null;
    }
    if (routable(seat)) {
      Instant since =
          seat.summary.statusSince() == null ? Instant.EPOCH : seat.summary.statusSince();
      seat.indexed = new ReadyKey(since, agentId);
      ready.put(seat.indexed, agentId);
    }
  }

  private static boolean routable(Seat seat) {
    return seat.present
        && !seat.stale
        && seat.claimedBy == null
        && seat.leg == Leg.UP
        && seat.summary.status() == Agent.Status.READY;
  }

  /** The present agents counted by pacing phase (a copy, by {@link PacingSnapshot.AgentPhase}). */
  int[] tally() {
    return tally.clone();
  }

  /**
   * The pacer's view of every present agent with its clock (for the modes that read clocks); its
   * phases are those of {@link #tally}.
   */
  List<PacingSnapshot.Agent> pacingAgents(Instant now) {
    List<PacingSnapshot.Agent> agents = new ArrayList<>(seats.size());
    seats.forEach(
        (id, seat) -> {
          if (!seat.present) {
            return; // logged out or left the campaign: not one of its agents
          }
          Instant since = seat.claimedBy != null ? seat.claimedAt : seat.summary.statusSince();
          agents.add(
              new PacingSnapshot.Agent(
                  id, pacingPhase(seat), CallBook.seconds(since == null ? now : since)));
        });
    return agents;
  }

  /** A present agent's pacing phase: its claimed call's, else its own state's. */
  private PacingSnapshot.AgentPhase pacingPhase(Seat seat) {
    if (seat.claimedBy != null) {
      Phase call = callPhase.apply(seat.claimedBy);
      return call == null
          ? PacingSnapshot.AgentPhase.PREVIEWING // held by a preview not dialed yet
          : call == Phase.CONNECTED
              ? PacingSnapshot.AgentPhase.TALK
              : PacingSnapshot.AgentPhase.CONNECTING;
    }
    if (routable(seat)) {
      return PacingSnapshot.AgentPhase.READY;
    }
    return switch (seat.summary.status()) {
      case RESERVED -> PacingSnapshot.AgentPhase.CONNECTING;
      case ON_CALL -> PacingSnapshot.AgentPhase.TALK;
      case WRAP_UP -> PacingSnapshot.AgentPhase.WRAP;
      // Logged in but not dialable for: paused, or its leg is not up yet.
      default -> PacingSnapshot.AgentPhase.PAUSED;
    };
  }
}
