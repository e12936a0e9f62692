package com.welcomedly.dialer.bench.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigResolveOptions;
import com.welcomedly.dialer.api.demo.AgentBot;
import com.welcomedly.dialer.api.demo.DemoCampaign;
import com.welcomedly.dialer.api.demo.DemoOptions;
import com.welcomedly.dialer.api.demo.LeadGenerator;
import com.welcomedly.dialer.api.demo.Progress;
import com.welcomedly.dialer.api.demo.ProgressReporter;
import com.welcomedly.dialer.engine.CommonPool;
import com.welcomedly.dialer.engine.agent.Agent;
import com.welcomedly.dialer.engine.dialing.CampaignDialer;
import com.welcomedly.dialer.sim.SimulatorSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * The full-system pacing benchmark ({@code ./bench-system}): the production node ({@code
 * Main.init}: dialer, entities, projections, embedded PostgreSQL) against the AMI simulator over
 * TCP, with the demo's agent bots, all following the shared pacing model's laws (hit rate, machine
 * and failure shares, ring, talk and wrap-up laws), in PREDICTIVE mode. The leads are imported
 * before the campaign starts, so the run measures pacing and the loop, not the import. Prints the
 * pacing benchmark's columns for the whole run (the script prints {@code ./bench-pacing}'s row of
 * the same scenario next to it).
 *
 * <p>Time scale: the simulated world (ring, talk, AMD, wrap-up) runs {@code --time-scale} times
 * faster than real time; the dialer runs in real time, as in production: its decision tick (shrunk
 * as in the demo), its 2 s connect deadline (so a caller waits up to 2 × scale simulated seconds
 * for an agent), and every ask, journal write and projection.
 */
public final class SystemBenchmark {

  private SystemBenchmark() {}

  private static final String USAGE =
      """
      usage: ./bench-system [--agents 25] [--minutes 60] [--time-scale 10] [--seed 1]
        --agents N        simulated agents (the bots), never paused
        --minutes M       simulated minutes of dialing (real time = M / time scale)
        --time-scale X    simulated seconds per real second
        --seed S          seeds the simulator, the numbers and the bots
      """;

  public static void main(String[] args) throws Exception {
    CommonPool.ensureThreads();
    int agents = 25;
    double minutes = 60;
    double scale = 10;
    long seed = 1;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help") || a.equals("-h") || i + 1 >= args.length) {
        System.out.println(USAGE);
        System.exit(a.startsWith("-h") || a.equals("--help") ? 0 : 2);
      }
      String v = args[++i];
      switch (a) {
        case "--agents" -> agents = Integer.parseInt(v);
        case "--minutes" -> minutes = Double.parseDouble(v);
        case "--time-scale" -> scale = Double.parseDouble(v);
        case "--seed" -> seed = Long.parseLong(v);
        default -> {
          System.err.println("unknown option " + a + "\n" + USAGE);
          System.exit(2);
        }
      }
    }
    // About 4 dials per connect and 21 connects per agent hour at most, with room to spare.
    int leads = (int) Math.ceil(agents * minutes / 60.0 * 21 * 4.5) + 200;
    DemoOptions options =
        DemoOptions.parse(
            List.of(
                "--agents", Integer.toString(agents),
                "--leads", Integer.toString(leads),
                "--time-scale", Double.toString(scale),
                "--mode", "predictive",
                "--seed", Long.toString(seed),
                "--report-every", "30s"),
            demoConfig());
    try {
      run(options, minutes);
    } catch (Exception e) {
      System.out.println("bench-system failed: " + e);
      e.printStackTrace(System.out);
      System.exit(1);
    }
  }

  /** The demo's settings with the shared model's wrap-up law (mean 20 s, CV 0.5) and no breaks. */
  static Config demoConfig() {
    double wrapSigma = Math.sqrt(Math.log(1 + 0.5 * 0.5));
    double wrapMedian = 20.0 / Math.exp(wrapSigma * wrapSigma / 2);
    return ConfigFactory.parseMap(
            Map.of(
                "bots.wrap-median-seconds", wrapMedian,
                "bots.wrap-sigma", wrapSigma,
                "bots.break-probability", 0.0))
        .withFallback(
            ConfigFactory.parseResources("demo.conf")
                .resolve(ConfigResolveOptions.defaults().setUseSystemEnvironment(false))
                .getConfig("dialer.demo"));
  }

  /**
   * The simulator with the shared model's population: 25 % live (ring lognormal mean 8 s, sd 5 s),
   * 10 % machines, 15 % busy or congestion, 50 % no answer after 20 s; talk lognormal mean 150 s,
   * CV 1; no opt-outs.
   */
  static SimulatorSettings sharedModel(DemoOptions options) {
    SimulatorSettings d =
        SimulatorSettings.defaults()
            .withPort(0)
            .withTimeScale(options.timeScale())
            .withSeed(options.seed());
    double ringSigma = Math.sqrt(Math.log(1 + (5.0 / 8.0) * (5.0 / 8.0)));
    double talkSigma = Math.sqrt(Math.log(2.0));
    return new SimulatorSettings(
        d.port(),
        d.username(),
        d.secret(),
        d.seed(),
        d.timeScale(),
        d.scriptPrefix(),
        d.customerContext(),
        d.agentContext(),
        d.amdContext(),
        d.safeHarborContext(),
        d.agentlessContext(),
        0.25,
        0.10,
        0.10,
        0.50,
        0.05,
        0.0,
        8.0 / Math.exp(ringSigma * ringSigma / 2),
        ringSigma,
        150.0 / Math.exp(talkSigma * talkSigma / 2),
        talkSigma,
        20.0,
        0.3,
        3.0,
        8.0,
        0.0,
        d.keypressSeconds(),
        d.messageSeconds());
  }

  private static void run(DemoOptions options, double minutes) throws Exception {
    try (BenchNode node = BenchNode.start(sharedModel(options), options, ConfigFactory.empty())) {
      measure(node.system(), options, minutes);
    }
  }

  private static void measure(ActorSystem<?> system, DemoOptions options, double minutes)
      throws Exception {
    String campaignId = "bench-" + Long.toString(Clock.systemUTC().millis() / 1000, 36);
    List<String> agentIds =
        IntStream.rangeClosed(1, options.agents())
            .mapToObj(i -> String.format(Locale.ROOT, "%s-agent-%02d", campaignId, i))
            .toList();
    DemoCampaign campaign = new DemoCampaign(system, campaignId, options);
    campaign.create(Set.copyOf(agentIds)).toCompletableFuture().get(120, TimeUnit.SECONDS);
    long t0 = System.nanoTime();
    campaign
        .importLeads(new LeadGenerator(campaignId, options.seed()))
        .second()
        .toCompletableFuture()
        .get(30, TimeUnit.MINUTES);
    System.out.printf(
        Locale.ROOT,
        "bench-system: %d leads imported in %.0f s; %d agents; time scale %s; %s simulated"
            + " minutes = %.0f real seconds%n",
        campaign.imported(),
        (System.nanoTime() - t0) / 1e9,
        options.agents(),
        options.timeScale(),
        minutes,
        minutes * 60 / options.timeScale());
    ActorRef<ProgressReporter.Command> progress =
        system.systemActorOf(
            ProgressReporter.create(
                campaignId,
                agentIds,
                options,
                campaign::imported,
                System.out::println,
                Clock.systemUTC()),
            campaignId + "-progress",
            Props.empty());
    for (int i = 0; i < agentIds.size(); i++) {
      system.systemActorOf(
          AgentBot.create(
              agentIds.get(i), campaignId, options, options.seed() * 7919 + i, progress),
          agentIds.get(i),
          Props.empty());
    }
    campaign.start().toCompletableFuture().get(60, TimeUnit.SECONDS);
    long start = System.nanoTime();
    Progress.AgentTime before = agentTime(system, agentIds);
    Thread.sleep((long) (minutes * 60_000 / options.timeScale()));
    double realSeconds = (System.nanoTime() - start) / 1e9;
    Progress.AgentTime time = agentTime(system, agentIds).minus(before);
    CampaignDialer.Status status =
        ClusterSharding.get(system)
            .entityRefFor(CampaignDialer.ENTITY_KEY, campaignId)
            .ask(CampaignDialer.GetStatus::new, Duration.ofSeconds(10))
            .toCompletableFuture()
            .get(15, TimeUnit.SECONDS);
    campaign.pause("benchmark over").toCompletableFuture().get(30, TimeUnit.SECONDS);
    System.out.println(header());
    System.out.println(row(options, status, time, realSeconds * options.timeScale() / 3600));
    System.out.println("pacing model: " + status.pacingModel());
  }

  private static Progress.AgentTime agentTime(ActorSystem<?> system, List<String> agentIds)
      throws Exception {
    List<CompletableFuture<Agent.Summary>> asks = new ArrayList<>();
    for (String id : agentIds) {
      asks.add(
          ClusterSharding.get(system)
              .entityRefFor(Agent.ENTITY_KEY, id)
              .ask(Agent.GetSummary::new, Duration.ofSeconds(10))
              .toCompletableFuture());
    }
    List<Agent.Summary> summaries = new ArrayList<>();
    for (CompletableFuture<Agent.Summary> ask : asks) {
      summaries.add(ask.get(15, TimeUnit.SECONDS));
    }
    return Progress.AgentTime.of(summaries);
  }

  static String header() {
    return "| N | controller | abandon % (whole run) | occupancy talk/(talk+idle)"
        + " | (talk+wrap)/logged | connects/agent-h | mean wait (s) | dials/connect"
        + " | simulated h |\n|---|---|---|---|---|---|---|---|---|";
  }

  private static String row(
      DemoOptions options, CampaignDialer.Status s, Progress.AgentTime t, double simHours) {
    CampaignDialer.Totals totals = s.totals();
    double scale = options.timeScale();
    long connects = Math.max(1, totals.connects());
    double talk = t.talk().toMillis() / 1000.0;
    double idle = t.idle().toMillis() / 1000.0;
    double wrap = t.wrap().toMillis() / 1000.0;
    double logged = Math.max(1e-9, t.logged().toMillis() / 1000.0);
    return String.format(
        Locale.ROOT,
        "| %d | system predictive (node + simulator, scale %s) | %.2f | %.3f | %.3f | %.2f | %.1f"
            + " | %.2f | %.2f |",
        options.agents(),
        scale,
        100.0 * totals.abandons() / Math.max(1, totals.liveAnswers()),
        talk / Math.max(1e-9, talk + idle),
        (talk + wrap) / logged,
        totals.connects() / (options.agents() * simHours),
        idle * scale / connects,
        (double) totals.dials() / connects,
        simHours);
  }
}
