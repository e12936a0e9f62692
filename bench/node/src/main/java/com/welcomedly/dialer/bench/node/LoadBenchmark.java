package com.welcomedly.dialer.bench.node;

import com.typesafe.config.ConfigFactory;
import com.welcomedly.dialer.api.LoadShedding;
import com.welcomedly.dialer.api.demo.AgentBot;
import com.welcomedly.dialer.api.demo.BotSettings;
import com.welcomedly.dialer.api.demo.DemoCampaign;
import com.welcomedly.dialer.api.demo.DemoOptions;
import com.welcomedly.dialer.api.demo.LeadGenerator;
import com.welcomedly.dialer.engine.CommonPool;
import com.welcomedly.dialer.engine.agent.Agent;
import com.welcomedly.dialer.engine.campaign.CampaignConfig;
import com.welcomedly.dialer.engine.dialing.CampaignDialer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import kamon.Kamon;
import kamon.metric.Distribution;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * The dialing-capacity benchmark ({@code ./bench-load}, docs/throughput.md): for each agent count,
 * a fresh production node ({@link BenchNode}) against the AMI simulator at real time (the shared
 * model's population: 25 % live, ring about 8 s, talk about 150 s), one POWER campaign, its agents
 * played by the demo's bots. Every agent is READY before the campaign starts, so the first phase is
 * the burst (all agents ready at once); the second is the steady state. Per phase it prints
 * dials/s, connects/s, answer → bridge p50/p99 with its engine's and PBX's shares (split at the
 * node's AMI socket) and the other dialer latencies from the node's own histograms, the Java
 * process's CPU and peak heap, journal write failures, abandons and late bridges; then the knee:
 * the first agent count whose answer → bridge p99 exceeds 300 ms.
 */
public final class LoadBenchmark {

  private static final String USAGE =
      """
      usage: ./bench-load [--agents 100,1000,5000] [--burst-seconds 30] [--steady-seconds 90]
                          [--seed 1]
        --agents N,M,...    simulated agent counts, one fresh node each
        --burst-seconds S   first phase: every agent ready at once when the campaign starts
        --steady-seconds S  second phase
        --seed S            seeds the simulator, the numbers and the bots
      """;

  static final double KNEE_MS = 300;
  // A real agent's client is told of its changes (the WebSocket); the bots poll instead, and at
  // the demo's 200 ms 5,000 of them asked 25,000 times a second, a load of the benchmark's own.
  private static final Duration BOT_POLL = Duration.ofSeconds(1);
  private static final String BRIDGE = "dialer.answer.to.bridge";

  private LoadBenchmark() {}

  record Row(
      int agents,
      String phase,
      double seconds,
      long dials,
      long connects,
      Distribution bridge,
      Distribution engineShare,
      Distribution pbxShare,
      Distribution answer,
      Distribution eventWait,
      Distribution decision,
      double cpuCores,
      long heapPeakMb,
      long journalFailures,
      long abandons,
      long hungUp,
      long deadline,
      long notTaken,
      long lateBridges,
      double threadsPerSecond,
      String load) {}

  public static void main(String[] args) throws Exception {
    CommonPool.ensureThreads();
    List<Integer> counts = List.of(100, 1000);
    int burst = 30;
    int steady = 90;
    long seed = 1;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help") || a.equals("-h") || i + 1 >= args.length) {
        System.out.println(USAGE);
        System.exit(a.startsWith("-h") || a.equals("--help") ? 0 : 2);
      }
      String v = args[++i];
      switch (a) {
        case "--agents" ->
            counts = Arrays.stream(v.split(",")).map(String::trim).map(Integer::valueOf).toList();
        case "--burst-seconds" -> burst = Integer.parseInt(v);
        case "--steady-seconds" -> steady = Integer.parseInt(v);
        case "--seed" -> seed = Long.parseLong(v);
        default -> {
          System.err.println("unknown option " + a + "\n" + USAGE);
          System.exit(2);
        }
      }
    }
    Kamon.initWithoutAttaching(
        ConfigFactory.parseMap(
                Map.of(
                    "kamon.prometheus.start-embedded-http-server", "no",
                    "kamon.metric.tick-interval", "1s",
                    "kamon.modules.status-page.enabled", "no"))
            .withFallback(ConfigFactory.load()));
    MetricTap tap = new MetricTap();
    Kamon.addReporter("bench-load", tap);
    List<Row> rows = new ArrayList<>();
    try {
      for (int agents : counts) {
        rows.addAll(run(agents, burst, steady, seed, tap));
        System.out.println(table(rows));
      }
      System.out.println(knee(rows));
    } catch (Exception e) {
      System.out.println("bench-load failed: " + e);
      e.printStackTrace(System.out);
      System.exit(1);
    } finally {
      Kamon.stop();
    }
    System.exit(0);
  }

  private static List<Row> run(int agents, int burst, int steady, long seed, MetricTap tap)
      throws Exception {
    DemoOptions base =
        DemoOptions.parse(
            List.of("--agents", "1", "--leads", "1", "--time-scale", "1", "--seed", "" + seed),
            SystemBenchmark.demoConfig());
    // Power at 2 lines per free agent places about 2 N calls in the burst, then about 4 dials
    // per connect as agents free up (talk 150 s + wrap-up 20 s): leads to spare for the run.
    int leads = (int) (agents * (3 + 4.0 * (burst + steady) / 170)) + 200;
    DemoOptions options =
        new DemoOptions(
            true,
            agents,
            leads,
            Optional.empty(),
            1.0,
            CampaignConfig.DialMode.POWER,
            base.reportEvery(),
            seed,
            withPoll(base.bots(), BOT_POLL));
    try (BenchNode node =
        BenchNode.start(SystemBenchmark.sharedModel(options), options, ConfigFactory.empty())) {
      ActorSystem<Void> system = node.system();
      String campaignId = "load-" + agents + "-" + Long.toString(System.currentTimeMillis(), 36);
      List<String> agentIds =
          IntStream.rangeClosed(1, agents)
              .mapToObj(i -> String.format(Locale.ROOT, "%s-agent-%05d", campaignId, i))
              .toList();
      DemoCampaign campaign = new DemoCampaign(system, campaignId, options);
      campaign.create(Set.copyOf(agentIds)).toCompletableFuture().get(120, TimeUnit.SECONDS);
      long t0 = System.nanoTime();
      campaign
          .importLeads(new LeadGenerator(campaignId, seed))
          .second()
          .toCompletableFuture()
          .get(30, TimeUnit.MINUTES);
      System.out.printf(
          Locale.ROOT,
          "bench-load: %d agents, %d leads imported (bulk) in %.0f s; login storm: every agent"
              + " logs in at once%n",
          agents,
          campaign.imported(),
          (System.nanoTime() - t0) / 1e9);
      // The login storm, as a shift starts: every bot at once. The node sheds what it cannot
      // take (503 + Retry-After) and the bots retry; nothing may be lost or fail in the journal.
      MetricTap.Phase login = tap.begin(campaignId);
      LoadShedding shedding = LoadShedding.get(system);
      long shedBefore = shedding.shedCount();
      long loginStart = System.nanoTime();
      for (int i = 0; i < agentIds.size(); i++) {
        system.systemActorOf(
            AgentBot.create(
                agentIds.get(i), campaignId, options, seed * 7919 + i, system.ignoreRef()),
            agentIds.get(i),
            Props.empty());
      }
      awaitAllReady(system, agentIds);
      Thread.sleep(1500); // the last second's snapshot reaches the tap
      System.out.printf(
          Locale.ROOT,
          "bench-load: login storm: %d of %d agents READY after %.0f s; %d changes shed (503,"
              + " retried); journal write failures %d; load %s%n",
          agents,
          agents,
          (System.nanoTime() - loginStart) / 1e9,
          shedding.shedCount() - shedBefore,
          login.counter("dialer.journal.write.failures"),
          Files.readString(Path.of("/proc/loadavg")).trim());
      List<Row> rows = new ArrayList<>();
      MetricTap.Phase phase = tap.begin(campaignId);
      Sample before = Sample.take(system, campaignId);
      campaign.start().toCompletableFuture().get(60, TimeUnit.SECONDS);
      Thread.sleep(burst * 1000L);
      Sample afterBurst = Sample.take(system, campaignId);
      rows.add(row(agents, "burst", before, afterBurst, phase));
      WorkPerCall work = WorkPerCall.on(node.database());
      WorkPerCall.Snapshot workBefore = work.take();
      System.out.println("burst: " + AdmissionLine.of(afterBurst.dialer()));
      phase = tap.begin(campaignId);
      Thread.sleep(steady * 1000L);
      Sample end = Sample.take(system, campaignId);
      WorkPerCall.Snapshot workAfter = work.take();
      Thread.sleep(1500); // the last second's snapshot reaches the tap
      tap.end();
      rows.add(row(agents, "steady", afterBurst, end, phase));
      Map<String, Long> asks = new java.util.TreeMap<>();
      phase
          .histogramsStartingWith("dialer.step{")
          .forEach((name, d) -> asks.put(name.substring("dialer.step".length()), d.count()));
      System.out.printf(
          Locale.ROOT,
          "%nwork per call, steady phase (%d agents, load %s):%n%s%n",
          agents,
          end.load(),
          work.report(workBefore, workAfter, asks));
      campaign.pause("benchmark over").toCompletableFuture().get(60, TimeUnit.SECONDS);
      System.out.println("steady: " + AdmissionLine.of(end.dialer()));
      System.out.println("latency window of the dialer's status: " + end.dialer().latency());
      return rows;
    }
  }

  private static BotSettings withPoll(BotSettings b, Duration poll) {
    return new BotSettings(
        b.wrapMedianSeconds(),
        b.wrapSigma(),
        b.heartbeatTimeout(),
        b.heartbeatInterval(),
        poll,
        b.breakProbability(),
        b.breakMinutes(),
        b.callbackHours(),
        b.callbackAgentOnlyShare(),
        b.dispositionWeights());
  }

  /** The bots log in within a few seconds of their start; the burst needs all of them READY. */
  private static void awaitAllReady(ActorSystem<?> system, List<String> agentIds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    while (true) {
      List<CompletableFuture<Agent.Summary>> asks = new ArrayList<>();
      for (String id : agentIds) {
        asks.add(
            ClusterSharding.get(system)
                .entityRefFor(Agent.ENTITY_KEY, id)
                .ask(Agent.GetSummary::new, Duration.ofSeconds(30))
                .toCompletableFuture());
      }
      long ready = 0;
      for (CompletableFuture<Agent.Summary> ask : asks) {
        // An agent that does not answer yet (still recovering) is simply not ready yet.
        Agent.Summary agent = ask.handle((a, failure) -> a).get(60, TimeUnit.SECONDS);
        if (agent != null && agent.status() == Agent.Status.READY) {
          ready++;
        }
      }
      if (ready == agentIds.size()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(ready + " of " + agentIds.size() + " agents READY");
      }
      Thread.sleep(1000);
    }
  }

  /** The node at one instant: the dialer's totals, the process's CPU time, the machine's load. */
  private record Sample(
      long nanos, long cpuNanos, long threadsStarted, CampaignDialer.Status dialer, String load) {
    static Sample take(ActorSystem<?> system, String campaignId) throws Exception {
      CampaignDialer.Status status =
          ClusterSharding.get(system)
              .entityRefFor(CampaignDialer.ENTITY_KEY, campaignId)
              .ask(CampaignDialer.GetStatus::new, Duration.ofSeconds(30))
              .toCompletableFuture()
              .get(60, TimeUnit.SECONDS);
      long cpu =
          ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
              .getProcessCpuTime();
      String load = Files.readString(Path.of("/proc/loadavg")).trim();
      long threads = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount();
      return new Sample(
          System.nanoTime(), cpu, threads, status, load.substring(0, load.indexOf(' ')));
    }

    CampaignDialer.Totals totals() {
      return dialer.totals() == null
          ? new CampaignDialer.Totals(0, 0, 0, 0, 0, 0)
          : dialer.totals();
    }
  }

  private static Row row(
      int agents, String phase, Sample from, Sample to, MetricTap.Phase metrics) {
    double seconds = (to.nanos() - from.nanos()) / 1e9;
    long heapPeak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        heapPeak += pool.getPeakUsage().getUsed();
        pool.resetPeakUsage();
      }
    }
    return new Row(
        agents,
        phase,
        seconds,
        to.totals().dials() - from.totals().dials(),
        to.totals().connects() - from.totals().connects(),
        metrics.histogram(BRIDGE),
        metrics.histogram("dialer.answer.to.bridge.action"),
        metrics.histogram("dialer.bridge.action.to.bridged"),
        metrics.histogram("dialer.originate.to.answer"),
        metrics.histogram("dialer.event.wait"),
        metrics.histogram("dialer.decision"),
        (to.cpuNanos() - from.cpuNanos()) / 1e9 / seconds,
        heapPeak >> 20,
        metrics.counter("dialer.journal.write.failures"),
        to.totals().abandons() - from.totals().abandons(),
        metrics.counter("dialer.abandons:hung_up"),
        metrics.counter("dialer.abandons:deadline"),
        metrics.counter("dialer.abandons:not_taken"),
        metrics.counter("dialer.abandons:late_bridge"),
        (to.threadsStarted() - from.threadsStarted()) / seconds,
        to.load());
  }

  static String table(List<Row> rows) {
    StringBuilder b =
        new StringBuilder(
            "| agents | phase | dials/s | connects/s | answer→bridge p50 / p99 (ms) | engine: answer"
                + " received→Bridge sent p50 / p99 (ms) | PBX: Bridge sent→Bridged p50 / p99 (ms) |"
                + " originate→answer p50 (s) | event wait p99 (ms) | decision p99 (ms) | java CPU (cores) | heap peak"
                + " (MB) | journal write failures | abandons (hung up / deadline / not taken / late) | threads"
                + " started/s | load (1 min)"
                + " |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Row r : rows) {
      b.append(
          String.format(
              Locale.ROOT,
              "| %d | %s | %.1f | %.1f | %s / %s | %s / %s | %s / %s | %s | %s | %s | %.2f | %d | %d | %d (%d / %d / %d / %d) | %.1f | %s"
                  + " |%n",
              r.agents(),
              r.phase(),
              r.dials() / r.seconds(),
              r.connects() / r.seconds(),
              ms(r.bridge(), 50),
              ms(r.bridge(), 99),
              ms(r.engineShare(), 50),
              ms(r.engineShare(), 99),
              ms(r.pbxShare(), 50),
              ms(r.pbxShare(), 99),
              r.answer() == null
                  ? "-"
                  : String.format(Locale.ROOT, "%.1f", r.answer().percentile(50).value() / 1e9),
              ms(r.eventWait(), 99),
              ms(r.decision(), 99),
              r.cpuCores(),
              r.heapPeakMb(),
              r.journalFailures(),
              r.abandons(),
              r.hungUp(),
              r.deadline(),
              r.notTaken(),
              r.lateBridges(),
              r.threadsPerSecond(),
              r.load()));
    }
    return b.toString();
  }

  /** The first agent count whose answer → bridge p99 (either phase) exceeds the knee. */
  static String knee(List<Row> rows) {
    int largest = 0;
    for (Row r : rows) {
      largest = Math.max(largest, r.agents());
      if (r.bridge() != null && r.bridge().percentile(99).value() / 1e6 > KNEE_MS) {
        return String.format(
            Locale.ROOT,
            "knee: answer → bridge p99 crossed %.0f ms at %d agents (%s phase)",
            KNEE_MS,
            r.agents(),
            r.phase());
      }
    }
    return String.format(
        Locale.ROOT,
        "knee: answer → bridge p99 stayed under %.0f ms up to %d agents",
        KNEE_MS,
        largest);
  }

  private static String ms(Distribution d, double percentile) {
    return d == null || d.count() == 0
        ? "-"
        : String.format(Locale.ROOT, "%.1f", d.percentile(percentile).value() / 1e6);
  }
}
