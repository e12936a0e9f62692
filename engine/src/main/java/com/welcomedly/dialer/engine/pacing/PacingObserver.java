package com.welcomedly.dialer.engine.pacing;

import com.welcomedly.dialer.engine.pacing.PacingSnapshot.AgentPhase;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one path from call and agent events to the {@link PacingEstimator}: the production dialer and
 * the pacing benchmark's simulation both feed it, so what the benchmark measures is what the dialer
 * learns.
 *
 * <p>Calls: {@link #dialResolved} for every dial once it resolves (live, machine, busy, no answer,
 * failure) and {@link #liveAnswerOutcome} for every live answer once connected or abandoned.
 *
 * <p>Agents: {@link #agentState} with the phase an agent is in and since when. Talk and wrap-up
 * durations are derived from the transitions (talk = TALK → WRAP, wrap-up = WRAP → READY or
 * PAUSED), so a caller may report what it knows from several sources: the dialer reports TALK when
 * it bridges and WRAP when the caller hangs up, and the agent's own state (polled, so late and
 * possibly repeated) for the rest. A report older than the last one accepted for that agent is
 * stale and ignored; a report of the phase the agent is already in continues the same stretch (its
 * first start stands).
 *
 * <p>{@link #seed} replays a campaign's recent history into a fresh estimator, so a dialer that
 * starts (first start, failover, rebalance) does not learn again from nothing.
 *
 * <p>Per-agent talk and wrap laws are not kept: in the shared pacing model every agent follows the
 * team's laws, so they cannot improve the benchmark, and a floor's per-agent differences are mostly
 * visible through each agent's elapsed time, which the pacer already conditions on.
 *
 * <p>Not thread-safe: it belongs to the campaign's dialer (one actor) or to one simulation.
 */
public final class PacingObserver {

  /** The phase an agent was last reported in, and since when (seconds, the pacer's time base). */
  private record Seen(AgentPhase phase, double since) {}

  /** One dial of the campaign's history: seconds from dial to resolution, live answer or not. */
  public record Resolution(double seconds, boolean live) {}

  /**
   * What a campaign did recently, oldest first in each list.
   *
   * @param dials dial resolutions
   * @param talks finished talk periods (s)
   * @param wraps finished wrap-up periods (s)
   * @param outcomes live answers: true when abandoned
   */
  public record History(
      List<Resolution> dials, List<Double> talks, List<Double> wraps, List<Boolean> outcomes) {
    public static final History EMPTY = new History(List.of(), List.of(), List.of(), List.of());

    public History {
      dials = List.copyOf(dials);
      talks = List.copyOf(talks);
      wraps = List.copyOf(wraps);
      outcomes = List.copyOf(outcomes);
    }
  }

  private final PacingEstimator estimator;
  private final Map<String, Seen> agents = new HashMap<>();

  public PacingObserver(PacingEstimator estimator) {
    this.estimator = estimator;
  }

  public PacingEstimator estimator() {
    return estimator;
  }

  /** A dial resolved {@code secondsFromDial} after it was placed; {@code live}: a person. */
  public void dialResolved(double secondsFromDial, boolean live) {
    estimator.observeDialResolved(secondsFromDial, live);
  }

  /** A live answer was connected to an agent, or abandoned. */
  public void liveAnswerOutcome(boolean abandoned) {
    estimator.observeLiveAnswerOutcome(abandoned);
  }

  /**
   * The agent is in {@code phase} since {@code since} (seconds). Derives a talk period on TALK →
   * WRAP and a wrap-up period on WRAP → READY or PAUSED (an agent that pauses right after a call
   * ends its wrap-up there).
   */
  public void agentState(String agentId, AgentPhase phase, double since) {
    Seen previous = agents.get(agentId);
    if (previous != null) {
      if (since < previous.since() || phase == previous.phase()) {
        return;
      }
      double length = since - previous.since();
      if (previous.phase() == AgentPhase.TALK && phase == AgentPhase.WRAP) {
        estimator.observeTalk(length);
      } else if (previous.phase() == AgentPhase.WRAP
          && (phase == AgentPhase.READY || phase == AgentPhase.PAUSED)) {
        estimator.observeWrap(length);
      }
    }
    agents.put(agentId, new Seen(phase, since));
  }

  /** The agent logged out or left the campaign: its open stretch says nothing. */
  public void agentGone(String agentId) {
    agents.remove(agentId);
  }

  /**
   * Replays a campaign's recent history into the estimator, as if observed (oldest first). Call
   * before or after the instance's own first observations: the estimator keeps sufficient
   * statistics, so the order does not matter beyond its forgetting windows.
   */
  public void seed(History history) {
    history.dials().forEach(d -> estimator.observeDialResolved(d.seconds(), d.live()));
    history.talks().forEach(estimator::observeTalk);
    history.wraps().forEach(estimator::observeWrap);
    history.outcomes().forEach(estimator::observeLiveAnswerOutcome);
  }
}
