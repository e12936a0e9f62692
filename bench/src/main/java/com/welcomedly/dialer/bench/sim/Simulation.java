package com.welcomedly.dialer.bench.sim;

import com.welcomedly.dialer.engine.compliance.AbandonLedger;
import com.welcomedly.dialer.engine.pacing.Pacer;
import com.welcomedly.dialer.engine.pacing.PacingDecision;
import com.welcomedly.dialer.engine.pacing.PacingDecision.Interlock;
import com.welcomedly.dialer.engine.pacing.PacingEstimator;
import com.welcomedly.dialer.engine.pacing.PacingMode;
import com.welcomedly.dialer.engine.pacing.PacingObserver;
import com.welcomedly.dialer.engine.pacing.PacingParameters;
import com.welcomedly.dialer.engine.pacing.PacingSnapshot;
import com.welcomedly.dialer.engine.pacing.PacingSnapshot.AgentPhase;
import com.welcomedly.dialer.engine.pacing.PacingSnapshot.CallPhase;
import com.welcomedly.dialer.engine.pacing.TokenBucket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Discrete-event simulation of the shared pacing model ({@code shared/pacing/README.md}) driving
 * the engine's real {@link Pacer}: at every event and every second it builds a {@link
 * PacingSnapshot} exactly as the dialer would, asks for a decision, places the calls, and feeds the
 * {@link PacingEstimator} through the dialer's own {@link PacingObserver} (call outcomes, agents'
 * phase changes) and the {@link AbandonLedger}. Call outcomes are drawn at dial time and never
 * shown to the pacer.
 *
 * <p>Deterministic for a given scenario (one seeded {@link Random}); single-threaded; one run per
 * instance.
 */
public final class Simulation {

  private static final long EPOCH_BASE = 1_700_000_000L;

  private enum Kind {
    LIVE,
    MACHINE,
    FAIL,
    LINE_FREE,
    DEADLINE,
    TALK_START,
    TALK_END,
    WRAP_END,
    TICK,
    CHANGE,
    BREAK_END
  }

  private record Event(double t, long seq, Kind kind, int a, int b) {}

  /** A call in flight: its snapshot view (DIALING, later ANSWERED_WAITING). */
  private static final class CallState {
    final int id;
    final double dialedAt;
    PacingSnapshot.Call view;

    CallState(int id, double dialedAt) {
      this.id = id;
      this.dialedAt = dialedAt;
      this.view = new PacingSnapshot.Call(Integer.toString(id), CallPhase.DIALING, dialedAt);
    }
  }

  private Scenario sc;
  private final PacingEstimator estimator = new PacingEstimator();
  // The dialer's own observation path: the same transitions derive the same talk and wrap periods.
  private final PacingObserver observer = new PacingObserver(estimator);
  private final AbandonLedger ledger;
  private final TokenBucket trunk = new TokenBucket();
  private final Random rng;
  private final PriorityQueue<Event> events =
      new PriorityQueue<>(
          (x, y) -> x.t != y.t ? Double.compare(x.t, y.t) : Long.compare(x.seq, y.seq));
  private long seq;
  private double now;
  private final double end;
  private final double warm;
  private final int n;

  private final Team team;
  private final double[] wrapLength;
  private final double[] talkLength;
  private double tLast;

  private final Map<Integer, CallState> outstanding = new LinkedHashMap<>();
  private final Map<Integer, CallState> waiting = new LinkedHashMap<>();
  private int lines;
  private double linesArea;
  private int callSeq;

  private long live;
  private long abandoned;
  private long measuredDials;
  private long measuredLive;
  private long measuredAbandoned;
  private long measuredConnects;
  private int blockLive;
  private int blockAbandoned;
  private double worstBlock = Double.NaN;
  private final int[] dialsPerSecond;
  private PacingDecision lastDecision;
  private long measuredTicks;
  private long ledgerTicks;
  private double maxUk24h;

  // model parameters, refreshed on scenario changes
  private double pLive;
  private double pMachine;
  private double pFail;
  private double ringTimeout;
  private double[] ringLive;
  private double[] ringMachine;
  private double[] talk;
  private double[] wrap;

  public Simulation(Scenario scenario) {
    this.sc = scenario;
    this.rng = new Random((long) scenario.get("seed"));
    this.n = scenario.agents();
    this.end = scenario.get("hours") * 3600.0;
    this.warm = scenario.get("warmup_hours") * 3600.0;
    this.ledger = new AbandonLedger(scenario.get("ledger_cap"));
    int capacity = n;
    for (Scenario.Change c : scenario.changes()) {
      if (c.key().equals("agents")) {
        capacity = Math.max(capacity, (int) c.value());
      }
    }
    this.team = new Team(n, capacity, observer);
    this.wrapLength = new double[capacity];
    this.talkLength = new double[capacity];
    this.dialsPerSecond = new int[(int) Math.max(1, Math.ceil(end - warm))];
    refreshModel();
  }

  /** Runs the scenario to its end and reports. */
  public SimulationReport run(String controllerName) {
    long t0 = System.nanoTime();
    at(0.0, Kind.TICK, 0, 0);
    for (int i = 0; i < sc.changes().size(); i++) {
      at(sc.changes().get(i).atHours() * 3600.0, Kind.CHANGE, i, 0);
    }
    while (!events.isEmpty()) {
      Event e = events.poll();
      if (e.t > end) {
        break;
      }
      advance(e.t);
      handle(e);
    }
    advance(end);
    return report(controllerName, (System.nanoTime() - t0) / 1e9);
  }

  public PacingEstimator estimator() {
    return estimator;
  }

  public PacingDecision lastDecision() {
    return lastDecision;
  }

  /** Agents logged in now (the team may change during a run). */
  public int agentsLoggedIn() {
    return team.snapshot().size();
  }

  // ---- plumbing --------------------------------------------------------------------------------

  private void at(double t, Kind kind, int a, int b) {
    events.add(new Event(t, seq++, kind, a, b));
  }

  private void advance(double t) {
    if (t > tLast) {
      if (t > warm) {
        double eff = t - Math.max(tLast, warm);
        team.accumulate(eff);
        linesArea += lines * eff;
      }
      tLast = t;
    }
    now = t;
  }

  private void setPhase(int a, AgentPhase p) {
    team.setPhase(a, p, now);
  }

  private void refreshModel() {
    pLive = sc.get("p_live");
    pMachine = sc.get("p_machine");
    pFail = sc.get("p_fail");
    ringTimeout = sc.get("ring_timeout");
    ringLive = lognormFromMeanSd(sc.get("ring_live_mean"), sc.get("ring_live_sd"));
    ringMachine = lognormFromMeanSd(sc.get("ring_machine_mean"), sc.get("ring_machine_sd"));
    talk = lognormFromMeanCv(sc.get("talk_mean"), sc.get("talk_cv"));
    wrap = lognormFromMeanCv(sc.get("wrap_mean"), sc.get("wrap_cv"));
  }

  private static double[] lognormFromMeanCv(double mean, double cv) {
    double s2 = Math.log(1.0 + cv * cv);
    return new double[] {Math.log(mean) - s2 / 2.0, Math.sqrt(s2)};
  }

  private static double[] lognormFromMeanSd(double mean, double sd) {
    return lognormFromMeanCv(mean, sd / mean);
  }

  private double lognormal(double[] muSigma) {
    return Math.exp(muSigma[0] + muSigma[1] * rng.nextGaussian());
  }

  private double uniform(double lo, double hi) {
    return lo + (hi - lo) * rng.nextDouble();
  }

  // ---- events ----------------------------------------------------------------------------------

  private void handle(Event e) {
    switch (e.kind) {
      case LIVE -> onLive(e.a);
      case MACHINE -> {
        resolve(e.a, false);
        at(now + sc.get("amd"), Kind.LINE_FREE, 0, 0);
      }
      case FAIL -> {
        resolve(e.a, false);
        lines--;
      }
      case LINE_FREE -> lines--;
      case DEADLINE -> onDeadline(e.a);
      case TALK_START -> {
        setPhase(e.a, AgentPhase.TALK);
        at(now + talkLength[e.a], Kind.TALK_END, e.a, 0);
      }
      case TALK_END -> {
        lines--;
        setPhase(e.a, AgentPhase.WRAP);
        at(now + wrapLength[e.a], Kind.WRAP_END, e.a, 0);
      }
      case WRAP_END -> onWrapEnd(e.a);
      case TICK -> at(now + 1.0, Kind.TICK, 0, 0);
      case CHANGE -> {
        Scenario.Change c = sc.changes().get(e.a);
        sc = sc.with(c.key(), c.value());
        refreshModel();
        if (c.key().equals("agents")) {
          team.resize((int) c.value(), now).forEach(this::becomeReady);
        }
      }
      case BREAK_END -> {
        if (team.onBreak(e.a, e.b)) {
          becomeReady(e.a);
        }
      }
    }
    if (e.kind != Kind.LINE_FREE && e.kind != Kind.TALK_START) {
      decide();
    }
    if (e.kind == Kind.TICK && now > warm) {
      measuredTicks++;
      maxUk24h = Math.max(maxUk24h, ledger.status(instant()).uk24Hours().rate());
      if (lastDecision.interlocks().contains(Interlock.ABANDON_CAP_US_30_DAYS)
          || lastDecision.interlocks().contains(Interlock.ABANDON_CAP_UK_24_HOURS)) {
        ledgerTicks++;
      }
    }
  }

  private void resolve(int id, boolean isLive) {
    CallState c = outstanding.remove(id);
    observer.dialResolved(now - c.dialedAt, isLive);
  }

  private void onLive(int id) {
    CallState c = outstanding.get(id);
    resolve(id, true);
    live++;
    ledger.recordLiveAnswer(instant());
    boolean measured = now > warm;
    if (measured) {
      measuredLive++;
    }
    Integer free = team.takeIdle();
    if (free != null) {
      connect(free);
      countOutcome(false, measured);
    } else {
      c.view = new PacingSnapshot.Call(c.view.id(), CallPhase.ANSWERED_WAITING, c.dialedAt);
      waiting.put(id, c);
      at(now + Math.max(0.0, sc.get("grace") - sc.get("bridge")), Kind.DEADLINE, id, 0);
    }
  }

  private void onDeadline(int id) {
    if (waiting.remove(id) != null) {
      countOutcome(true, now > warm);
      at(now + sc.get("drop_message"), Kind.LINE_FREE, 0, 0);
    }
  }

  private void onWrapEnd(int a) {
    if (team.leavesNow(a)) {
      return;
    }
    double breakShare = sc.get("break_after_call");
    if (breakShare > 0 && rng.nextDouble() < breakShare) {
      // Exponential break length; drawn only when breaks are on, so other runs keep their draws.
      double length = -sc.get("break_mean") * Math.log(1.0 - rng.nextDouble());
      at(now + length, Kind.BREAK_END, a, team.startBreak(a, now));
      return;
    }
    becomeReady(a);
  }

  /** The agent is free: takes the oldest waiting live answer, or joins the idle queue. */
  private void becomeReady(int a) {
    setPhase(a, AgentPhase.READY);
    if (!waiting.isEmpty()) {
      Integer first = waiting.keySet().iterator().next();
      waiting.remove(first);
      connect(a);
      countOutcome(false, now > warm);
    } else {
      team.addIdle(a);
    }
  }

  private void connect(int a) {
    talkLength[a] = lognormal(talk);
    wrapLength[a] = lognormal(wrap);
    setPhase(a, AgentPhase.CONNECTING);
    if (now > warm) {
      measuredConnects++;
    }
    at(now + sc.get("bridge"), Kind.TALK_START, a, 0);
  }

  private void countOutcome(boolean wasAbandoned, boolean measured) {
    observer.liveAnswerOutcome(wasAbandoned);
    if (wasAbandoned) {
      abandoned++;
      ledger.recordAbandon(instant());
      if (measured) {
        measuredAbandoned++;
      }
    }
    if (measured) {
      blockLive++;
      if (wasAbandoned) {
        blockAbandoned++;
      }
      if (blockLive >= 500) {
        double pct = 100.0 * blockAbandoned / blockLive;
        worstBlock = Double.isNaN(worstBlock) ? pct : Math.max(worstBlock, pct);
        blockLive = 0;
        blockAbandoned = 0;
      }
    }
  }

  private Instant instant() {
    long whole = (long) Math.floor(now);
    return Instant.ofEpochSecond(EPOCH_BASE + whole, (long) ((now - whole) * 1e9));
  }

  // ---- pacing ----------------------------------------------------------------------------------

  private void decide() {
    PacingParameters params = sc.pacingParameters();
    List<PacingSnapshot.Call> calls = new ArrayList<>(outstanding.size() + waiting.size());
    for (CallState c : outstanding.values()) {
      calls.add(c.view);
    }
    for (CallState c : waiting.values()) {
      calls.add(c.view);
    }
    PacingSnapshot snapshot =
        new PacingSnapshot(now, team.snapshot(), calls, params, ledger.status(instant()));
    PacingDecision d = Pacer.decide(snapshot, estimator, trunk);
    lastDecision = d;
    if (d.callsToPlace() > 0) {
      dial(d.callsToPlace());
    }
  }

  private void dial(int k) {
    for (int i = 0; i < k; i++) {
      int id = ++callSeq;
      outstanding.put(id, new CallState(id, now));
      if (now > warm) {
        measuredDials++;
        int s = (int) (now - warm);
        if (s < dialsPerSecond.length) {
          dialsPerSecond[s]++;
        }
      }
      lines++;
      double u = rng.nextDouble();
      double pdd = uniform(sc.get("pdd_min"), sc.get("pdd_max"));
      if (u < pLive) {
        at(now + pdd + truncatedRing(ringLive), Kind.LIVE, id, 0);
      } else if (u < pLive + pMachine) {
        at(now + pdd + truncatedRing(ringMachine), Kind.MACHINE, id, 0);
      } else if (u < pLive + pMachine + pFail) {
        at(now + pdd + uniform(0.0, 2.0), Kind.FAIL, id, 0);
      } else {
        at(now + pdd + ringTimeout, Kind.FAIL, id, 0);
      }
    }
  }

  private double truncatedRing(double[] law) {
    while (true) {
      double r = lognormal(law);
      if (r <= ringTimeout) {
        return r;
      }
    }
  }

  // ---- report ----------------------------------------------------------------------------------

  private SimulationReport report(String name, double wall) {
    double hours = (end - warm) / 3600.0;
    double talkArea = team.area(AgentPhase.TALK);
    double idleArea = team.area(AgentPhase.READY) + team.area(AgentPhase.CONNECTING);
    double wrapArea = team.area(AgentPhase.WRAP);
    // logged-in agent-seconds: breaks count, logged-out agents do not (the team may change)
    double logged = Math.max(1e-9, team.loggedArea());
    long connects = Math.max(1, measuredConnects);
    int[] sorted = dialsPerSecond.clone();
    Arrays.sort(sorted);
    int p99 = sorted[Math.min(sorted.length - 1, (int) (0.99 * sorted.length))];
    return new SimulationReport(
        n,
        name,
        100.0 * measuredAbandoned / Math.max(1, measuredLive),
        100.0 * abandoned / Math.max(1, live),
        worstBlock,
        talkArea / Math.max(1e-9, talkArea + idleArea),
        (talkArea + wrapArea) / logged,
        measuredConnects / (logged / 3600.0),
        idleArea / connects,
        (double) measuredDials / connects,
        linesArea / logged,
        p99,
        measuredLive,
        measuredAbandoned,
        hours,
        sc.mode() == PacingMode.PREDICTIVE ? estimator.threshold() : Double.NaN,
        100.0 * ledgerTicks / Math.max(1, measuredTicks),
        100.0 * maxUk24h,
        wall);
  }
}
