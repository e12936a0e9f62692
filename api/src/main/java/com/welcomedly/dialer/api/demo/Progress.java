package com.welcomedly.dialer.api.demo;

import com.welcomedly.dialer.engine.agent.Agent;
import com.welcomedly.dialer.engine.agent.Session;
import com.welcomedly.dialer.engine.dialing.CampaignDialer;
import com.welcomedly.dialer.engine.pacing.PacingDecision;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The demo's figures as text: one progress line per report and the final summary. Pure functions of
 * what the dialer ({@code CampaignDialer.Status}) and the agents ({@code Agent.Summary}) say.
 *
 * <p>Definitions are the pacing benchmark's: abandon rate = abandons ÷ live answers; occupancy =
 * talk ÷ (talk + idle), where idle is READY or RESERVED (wrap-up and pauses count in neither).
 */
public final class Progress {

  private Progress() {}

  /** One look at the campaign: the dialer's status (null if it did not answer) and its agents. */
  record Sample(
      Duration elapsed,
      CampaignDialer.Status dialer,
      List<Agent.Summary> agents,
      int leadsImported,
      int leadsTotal) {
    Sample {
      agents = List.copyOf(agents);
    }

    CampaignDialer.Totals totals() {
      return dialer == null || dialer.totals() == null
          ? new CampaignDialer.Totals(0, 0, 0, 0, 0, 0)
          : dialer.totals();
    }

    Map<Agent.Status, Long> agentsByStatus() {
      Map<Agent.Status, Long> counts = new EnumMap<>(Agent.Status.class);
      agents.forEach(a -> counts.merge(a.status(), 1L, Long::sum));
      return counts;
    }

    AgentTime agentTime() {
      return AgentTime.of(agents);
    }
  }

  /** The agents' time per kind, summed over their sessions (wall clock). */
  public record AgentTime(Duration talk, Duration idle, Duration wrap, Duration paused) {
    static final AgentTime ZERO =
        new AgentTime(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);

    public static AgentTime of(List<Agent.Summary> agents) {
      AgentTime sum = ZERO;
      for (Agent.Summary agent : agents) {
        Session session = agent.session();
        if (session != null) {
          Map<Agent.Status, Duration> t = session.timeInStatus();
          sum =
              sum.plus(
                  new AgentTime(
                      t.getOrDefault(Agent.Status.ON_CALL, Duration.ZERO),
                      t.getOrDefault(Agent.Status.READY, Duration.ZERO)
                          .plus(t.getOrDefault(Agent.Status.RESERVED, Duration.ZERO)),
                      t.getOrDefault(Agent.Status.WRAP_UP, Duration.ZERO),
                      t.getOrDefault(Agent.Status.PAUSED, Duration.ZERO)));
        }
      }
      return sum;
    }

    AgentTime plus(AgentTime o) {
      return new AgentTime(
          talk.plus(o.talk), idle.plus(o.idle), wrap.plus(o.wrap), paused.plus(o.paused));
    }

    public AgentTime minus(AgentTime o) {
      return new AgentTime(
          talk.minus(o.talk), idle.minus(o.idle), wrap.minus(o.wrap), paused.minus(o.paused));
    }

    public Duration logged() {
      return talk.plus(idle).plus(wrap).plus(paused);
    }

    /** Talk ÷ (talk + idle); NaN before any such time. */
    double occupancy() {
      long denominator = talk.plus(idle).toMillis();
      return denominator <= 0 ? Double.NaN : (double) talk.toMillis() / denominator;
    }
  }

  /**
   * One progress line. {@code occupancy} is over the interval since the previous line (the whole
   * run is in the summary).
   */
  static String line(Sample s, double timeScale, AgentTime interval) {
    CampaignDialer.Totals t = s.totals();
    Map<Agent.Status, Long> by = s.agentsByStatus();
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "[sim %s]", clock(simulated(s.elapsed(), timeScale))));
    b.append(
        String.format(
            Locale.ROOT,
            " dials %d  live %d  connects %d  abandons %d (%s)  machines %d  in flight %d",
            t.dials(),
            t.liveAnswers(),
            t.connects(),
            t.abandons(),
            percent(abandonRate(t), 1),
            t.machines(),
            s.dialer() == null ? 0 : s.dialer().callsInFlight()));
    b.append(
        String.format(
            Locale.ROOT,
            " | agents ready %d reserved %d on-call %d wrap-up %d paused %d",
            by.getOrDefault(Agent.Status.READY, 0L),
            by.getOrDefault(Agent.Status.RESERVED, 0L),
            by.getOrDefault(Agent.Status.ON_CALL, 0L),
            by.getOrDefault(Agent.Status.WRAP_UP, 0L),
            by.getOrDefault(Agent.Status.PAUSED, 0L)
                + by.getOrDefault(Agent.Status.LOGGED_OUT, 0L)));
    b.append(" | occupancy ").append(percent(interval.occupancy(), 0));
    b.append(" | ").append(pacing(s.dialer()));
    if (s.leadsImported() < s.leadsTotal()) {
      b.append(" | leads ").append(s.leadsImported()).append('/').append(s.leadsTotal());
    }
    return b.toString();
  }

  /** The final summary: whole-run figures and the agents' dispositions. */
  static List<String> summary(
      Sample s, double timeScale, Map<String, Long> dispositions, String campaignId) {
    CampaignDialer.Totals t = s.totals();
    AgentTime time = s.agentTime();
    Duration logged = time.logged();
    double agentHours = logged.toMillis() * timeScale / 3_600_000.0;
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            Locale.ROOT,
            "Demo summary: campaign %s, %d agents, %s real = %s simulated",
            campaignId,
            s.agents().size(),
            clock(s.elapsed()),
            clock(simulated(s.elapsed(), timeScale))));
    lines.add(
        String.format(
            Locale.ROOT,
            "  dials %d, live answers %d, connects %d, abandons %d (%s of live answers),"
                + " machines %d, calls ended %d",
            t.dials(),
            t.liveAnswers(),
            t.connects(),
            t.abandons(),
            percent(abandonRate(t), 2),
            t.machines(),
            t.ended()));
    lines.add(
        String.format(
            Locale.ROOT,
            "  occupancy %s (talk / talk + idle), talk + wrap-up %s of logged time,"
                + " %s connects per simulated agent-hour",
            percent(time.occupancy(), 1),
            percent(
                logged.isZero()
                    ? Double.NaN
                    : (double) time.talk().plus(time.wrap()).toMillis() / logged.toMillis(),
                1),
            agentHours <= 0 ? "-" : String.format(Locale.ROOT, "%.1f", t.connects() / agentHours)));
    lines.add(
        "  dispositions by agents: "
            + (dispositions.isEmpty()
                ? "none"
                : dispositions.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .map(e -> e.getKey() + " " + e.getValue())
                    .collect(Collectors.joining(", "))));
    lines.add(
        String.format(Locale.ROOT, "  leads imported %d of %d", s.leadsImported(), s.leadsTotal()));
    return lines;
  }

  static double abandonRate(CampaignDialer.Totals t) {
    return t.liveAnswers() == 0 ? Double.NaN : (double) t.abandons() / t.liveAnswers();
  }

  private static String pacing(CampaignDialer.Status dialer) {
    if (dialer == null || dialer.lastDecision() == null) {
      return "pacing: waiting";
    }
    PacingDecision d = dialer.lastDecision();
    StringBuilder b = new StringBuilder(d.effectiveMode().name());
    if (!d.interlocks().isEmpty()) {
      b.append(' ')
          .append(
              d.interlocks().stream()
                  .map(Enum::name)
                  .sorted()
                  .collect(Collectors.joining(",", "[", "]")));
    }
    if (!dialer.pbxUp()) {
      b.append(" (PBX down)");
    }
    return b.toString();
  }

  static Duration simulated(Duration real, double timeScale) {
    return Duration.ofMillis(Math.round(real.toMillis() * timeScale));
  }

  /** {@code 1h05m}, {@code 4m07s}, {@code 12s}. */
  static String clock(Duration d) {
    long s = d.getSeconds();
    if (s >= 3600) {
      return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }
    if (s >= 60) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return s + "s";
  }

  static String percent(double ratio, int decimals) {
    return Double.isNaN(ratio)
        ? "-"
        : String.format(Locale.ROOT, "%." + decimals + "f%%", ratio * 100);
  }
}
