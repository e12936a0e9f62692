package com.welcomedly.dialer.bench.sim;

import com.welcomedly.dialer.engine.pacing.PacingObserver;
import com.welcomedly.dialer.engine.pacing.PacingSnapshot;
import com.welcomedly.dialer.engine.pacing.PacingSnapshot.AgentPhase;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The simulated agents: each one's phase and since when, the longest-idle queue, time spent per
 * phase after the warm-up, and the team's size changing during a run (log-ins, log-outs) and
 * breaks. Every phase change goes to the dialer's {@link PacingObserver}, as the dialer reports it.
 * A logged-out agent has no phase and is not in the pacer's snapshot.
 */
final class Team {

  private final PacingObserver observer;
  private final AgentPhase[] phase;
  private final double[] phaseStart;
  private final PacingSnapshot.Agent[] views;
  private final boolean[] leaving;
  private final int[] breakSeq;
  private final ArrayDeque<Integer> idle = new ArrayDeque<>();
  private final int[] count = new int[AgentPhase.values().length];
  private final double[] area = new double[AgentPhase.values().length];
  private double loggedArea;
  private int loggedIn;
  private List<PacingSnapshot.Agent> snapshotViews;

  /** {@code initial} agents READY at time 0, room for {@code capacity} over the run. */
  Team(int initial, int capacity, PacingObserver observer) {
    this.observer = observer;
    this.phase = new AgentPhase[capacity];
    this.phaseStart = new double[capacity];
    this.views = new PacingSnapshot.Agent[capacity];
    this.leaving = new boolean[capacity];
    this.breakSeq = new int[capacity];
    for (int a = 0; a < initial; a++) {
      phase[a] = AgentPhase.READY;
      views[a] = new PacingSnapshot.Agent(id(a), AgentPhase.READY, 0.0);
      idle.addLast(a);
    }
    count[AgentPhase.READY.ordinal()] = initial;
    loggedIn = initial;
  }

  private static String id(int a) {
    return "agent-" + a;
  }

  void setPhase(int a, AgentPhase p, double now) {
    count[phase[a].ordinal()]--;
    phase[a] = p;
    count[p.ordinal()]++;
    phaseStart[a] = now;
    views[a] = new PacingSnapshot.Agent(views[a].id(), p, now);
    observer.agentState(views[a].id(), p, now);
    snapshotViews = null;
  }

  double phaseStart(int a) {
    return phaseStart[a];
  }

  /** Accumulates {@code seconds} of measured time in every agent's current phase. */
  void accumulate(double seconds) {
    for (int i = 0; i < count.length; i++) {
      area[i] += count[i] * seconds;
    }
    loggedArea += loggedIn * seconds;
  }

  /** Agent-seconds spent in {@code p} after the warm-up. */
  double area(AgentPhase p) {
    return area[p.ordinal()];
  }

  /** Logged-in agent-seconds after the warm-up (breaks included). */
  double loggedArea() {
    return loggedArea;
  }

  /** The logged-in agents as the pacer sees them. */
  List<PacingSnapshot.Agent> snapshot() {
    if (snapshotViews == null) {
      List<PacingSnapshot.Agent> v = new ArrayList<>(loggedIn);
      for (int a = 0; a < phase.length; a++) {
        if (phase[a] != null) {
          v.add(views[a]);
        }
      }
      snapshotViews = v.size() == phase.length ? Arrays.asList(views) : v;
    }
    return snapshotViews;
  }

  /** The longest-idle READY agent, or null. */
  Integer takeIdle() {
    return idle.pollFirst();
  }

  void addIdle(int a) {
    idle.addLast(a);
  }

  // ---- breaks ----

  /** The agent goes on a break; the returned token identifies it for {@link #endBreak}. */
  int startBreak(int a, double now) {
    setPhase(a, AgentPhase.PAUSED, now);
    return ++breakSeq[a];
  }

  /** True if the agent is still on the break {@code token} (not logged out meanwhile). */
  boolean onBreak(int a, int token) {
    return phase[a] == AgentPhase.PAUSED && breakSeq[a] == token;
  }

  // ---- team size ----

  /** Agents logged in and staying (not leaving after their call). */
  private int staying() {
    int s = 0;
    for (int a = 0; a < phase.length; a++) {
      if (phase[a] != null && !leaving[a]) {
        s++;
      }
    }
    return s;
  }

  /**
   * The team becomes {@code size} agents. Growing: agents about to leave stay, then new agents log
   * in (returned: the caller makes them READY). Shrinking: idle agents log out first, then agents
   * on a break, then busy agents after their call and wrap-up ({@link #leavesNow}).
   */
  List<Integer> resize(int size, double now) {
    List<Integer> joined = new ArrayList<>();
    int staying = staying();
    for (int a = 0; a < phase.length && staying < size; a++) {
      if (phase[a] != null && leaving[a]) {
        leaving[a] = false;
        staying++;
      }
    }
    for (int a = 0; a < phase.length && staying < size; a++) {
      if (phase[a] == null) {
        phase[a] = AgentPhase.PAUSED; // logged in, not yet ready: the caller readies it
        count[AgentPhase.PAUSED.ordinal()]++;
        views[a] = new PacingSnapshot.Agent(id(a), AgentPhase.PAUSED, now);
        loggedIn++;
        staying++;
        joined.add(a);
      }
    }
    snapshotViews = null;
    while (staying > size && !idle.isEmpty()) {
      logOut(idle.pollLast());
      staying--;
    }
    for (int a = phase.length - 1; a >= 0 && staying > size; a--) {
      if (phase[a] == AgentPhase.PAUSED && !leaving[a]) {
        logOut(a);
        staying--;
      }
    }
    for (int a = phase.length - 1; a >= 0 && staying > size; a--) {
      if (phase[a] != null && !leaving[a]) {
        leaving[a] = true;
        staying--;
      }
    }
    return joined;
  }

  /** At the end of its wrap-up: logs the agent out if it was asked to leave. */
  boolean leavesNow(int a) {
    if (leaving[a]) {
      logOut(a);
      return true;
    }
    return false;
  }

  private void logOut(int a) {
    count[phase[a].ordinal()]--;
    phase[a] = null;
    leaving[a] = false;
    breakSeq[a]++;
    loggedIn--;
    idle.remove(a);
    observer.agentGone(id(a));
    snapshotViews = null;
  }
}
