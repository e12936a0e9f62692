package com.welcomedly.dialer.bench.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.welcomedly.dialer.api.Main;
import com.welcomedly.dialer.engine.campaign.Campaign;
import com.welcomedly.dialer.engine.campaign.CampaignConfig;
import com.welcomedly.dialer.engine.lead.Lead;
import com.welcomedly.dialer.engine.persistence.DatabaseSettings;
import com.welcomedly.dialer.engine.persistence.EmbeddedDatabase;
import com.welcomedly.dialer.engine.persistence.SchemaMigrator;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.http.javadsl.ServerBinding;

/**
 * {@code ./bench-import}: the production node (HTTP, entities, projections) on a fresh embedded
 * PostgreSQL, and for each size a generated CSV imported through {@code POST
 * /api/campaigns/{id}/leads} until every row is QUEUED in the hopper; then PostgreSQL {@code COPY}
 * of the same file into a plain table on the same server, and the heap the node used.
 */
public final class ImportBenchmark {

  private static final String USAGE =
      "Usage: ./bench-import [--rows 10000,100000,1000000] [--wake N]"
          + "   (heap: JAVA_OPTS, default -Xmx512m)";
  private static final String ADMIN_PASSWORD = "bench-" + UUID.randomUUID();

  private ImportBenchmark() {}

  public static void main(String[] args) throws Exception {
    List<Integer> sizes = List.of(10_000, 100_000, 1_000_000);
    int wake = 0;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--rows") && i + 1 < args.length) {
        sizes = parseSizes(args[++i]);
      } else if (args[i].equals("--wake") && i + 1 < args.length) {
        wake = Integer.parseInt(args[++i]);
      } else {
        System.out.println(USAGE);
        System.exit(args[i].equals("--help") ? 0 : 2);
      }
    }
    int status = 0;
    try {
      run(sizes, wake);
    } catch (Exception e) {
      System.out.println("bench-import failed: " + e);
      e.printStackTrace(System.out);
      status = 1;
    }
    System.exit(status);
  }

  private static List<Integer> parseSizes(String text) {
    List<Integer> sizes = new ArrayList<>();
    for (String part : text.split(",")) {
      sizes.add(Integer.parseInt(part.trim().replace("_", "")));
    }
    return sizes;
  }

  private static void run(List<Integer> sizes, int wake) throws Exception {
    // Always a fresh embedded server: COPY and the import must share it, and nothing else.
    DatabaseSettings requested =
        DatabaseSettings.fromConfig(
            ConfigFactory.parseMap(Map.of("dialer.db.url", "")).withFallback(ConfigFactory.load()));
    try (EmbeddedDatabase database = EmbeddedDatabase.start(requested)) {
      SchemaMigrator.migrate(database.settings());
      Config node =
          ConfigFactory.load(
              ConfigFactory.parseMap(
                      Map.of(
                          "dialer.http.port", 0,
                          "dialer.cluster.port", 0,
                          "dialer.metrics.port", 0,
                          // One throw-away node that joins itself: no management port to clash
                          // with a ./dialer on this machine.
                          "dialer.cluster.join", "self",
                          "dialer.auth.bootstrap-admin.password", ADMIN_PASSWORD))
                  .withFallback(database.settings().asConfigOverrides())
                  .withFallback(ConfigFactory.defaultApplication()));
      ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "dialer", node);
      try {
        ServerBinding binding = Main.init(system).toCompletableFuture().get(120, TimeUnit.SECONDS);
        measure(system, database, binding.localAddress().getPort(), sizes);
        if (wake > 0) {
          wakeLeads(system, "r" + sizes.get(sizes.size() - 1) + "-", wake);
        }
      } finally {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
      }
    }
  }

  private static void measure(
      ActorSystem<?> system, EmbeddedDatabase database, int port, List<Integer> sizes)
      throws Exception {
    BenchClient client = new BenchClient(port);
    String token = client.loginWhenReady("admin", ADMIN_PASSWORD, Duration.ofSeconds(60));
    String campaignId = "import-bench";
    ClusterSharding.get(system)
        .entityRefFor(Campaign.ENTITY_KEY, campaignId)
        .<Campaign.Summary>askWithStatus(
            r ->
                new Campaign.Create(
                    "Import benchmark",
                    CampaignConfig.defaults("PJSIP/{number}@carrier", "+12127363100"),
                    "bench",
                    r),
            Duration.ofSeconds(30))
        .toCompletableFuture()
        .get(60, TimeUnit.SECONDS);
    long maxHeap = Runtime.getRuntime().maxMemory();
    System.out.printf(
        Locale.ROOT,
        "bench-import: %d CPUs, max heap %d MB, embedded PostgreSQL on port %d, load average %s%n",
        Runtime.getRuntime().availableProcessors(),
        maxHeap >> 20,
        database.port(),
        loadAverage());
    CopyBaseline copy = new CopyBaseline(database.settings());
    CpuClock cpu =
        CpuClock.of(
            database.settings().url(), database.settings().user(), database.settings().password());
    for (int rows : sizes) {
      Path csv = LeadCsv.write(rows, "r" + rows + "-");
      try {
        resetHeapPeaks();
        CpuClock.Reading cpu0 = cpu.now();
        long t0 = System.nanoTime();
        String location = client.postCsv("/api/campaigns/" + campaignId + "/leads", token, csv);
        BenchClient.Job job = client.awaitDone(location, token, Duration.ofMinutes(30));
        long queued = copy.queuedInHopper(campaignId, "r" + rows + "-");
        double seconds = (System.nanoTime() - t0) / 1e9;
        CpuClock.Reading used = cpu.now().minus(cpu0);
        long heapPeak = heapPeakBytes();
        double copySeconds = copy.copySeconds(csv);
        double stagingSeconds = copy.copyIntoStagingSeconds("r" + rows + "-");
        String sample = sampleLead(system, "r" + rows + "-" + (rows / 2));
        double rate = rows / seconds;
        double copyRate = rows / copySeconds;
        double stagingRate = rows / stagingSeconds;
        System.out.printf(
            Locale.ROOT,
            "%,9d rows: import %6.1f s = %,7.0f leads/s end to end into the hopper (accepted %d,"
                + " rejected %d, QUEUED in hopper %d) | COPY CSV into a plain table %5.2f s ="
                + " %,7.0f rows/s, ratio 1/%.1f | COPY of the stored rows into lead_intake +"
                + " hopper_lead copies with their indexes %5.2f s = %,7.0f rows/s, ratio 1/%.1f"
                + " | peak heap %d MB (max %d MB) | sample lead %s | load %s%n",
            rows,
            seconds,
            rate,
            job.accepted(),
            job.rejected(),
            queued,
            copySeconds,
            copyRate,
            copyRate / rate,
            stagingSeconds,
            stagingRate,
            stagingRate / rate,
            heapPeak >> 20,
            maxHeap >> 20,
            sample,
            loadAverage());
        double perMillion = 1e6 / rows;
        System.out.printf(
            Locale.ROOT,
            "%,9d rows: CPU during the import: node JVM %.1f s, PostgreSQL %.1f s"
                + " (per 1 M rows: JVM %.1f s + PostgreSQL %.1f s = %.1f CPU s)%n",
            rows,
            used.jvm(),
            used.postgres(),
            used.jvm() * perMillion,
            used.postgres() * perMillion,
            (used.jvm() + used.postgres()) * perMillion);
        if (job.accepted() != rows || queued != rows) {
          throw new IllegalStateException("not every row is dialable: see the line above");
        }
      } finally {
        Files.deleteIfExists(csv);
      }
    }
  }

  /**
   * Starts {@code count} imported leads' entities (each persists its Imported event) and reports
   * the heap they hold: what a node pays per lead in use, the figure behind the active-entity
   * limit.
   */
  private static void wakeLeads(ActorSystem<?> system, String idPrefix, int count)
      throws Exception {
    long before = heapAfterGc();
    long t0 = System.nanoTime();
    var sharding = ClusterSharding.get(system);
    var inFlight = new java.util.concurrent.Semaphore(64);
    var failures = new java.util.concurrent.atomic.AtomicInteger();
    for (int i = 0; i < count; i++) {
      inFlight.acquire();
      sharding
          .entityRefFor(Lead.ENTITY_KEY, idPrefix + i)
          .ask(Lead.GetSummary::new, Duration.ofSeconds(60))
          .whenComplete(
              (s, failure) -> {
                if (failure != null || s.campaignId() == null) {
                  failures.incrementAndGet();
                }
                inFlight.release();
              });
    }
    inFlight.acquire(64);
    double seconds = (System.nanoTime() - t0) / 1e9;
    long after = heapAfterGc();
    System.out.printf(
        Locale.ROOT,
        "woke %,d leads in %.1f s (%,.0f/s, %d failed): heap after GC %d MB -> %d MB, %.1f KB per"
            + " lead entity | load %s%n",
        count,
        seconds,
        count / seconds,
        failures.get(),
        before >> 20,
        after >> 20,
        (after - before) / 1024.0 / count,
        loadAverage());
  }

  private static long heapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200); // let the collector settle between measurements (CLI, not a test)
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** One staged lead through its entity: proves it starts from its row, dialable. */
  private static String sampleLead(ActorSystem<?> system, String leadId) throws Exception {
    Lead.Summary s =
        ClusterSharding.get(system)
            .entityRefFor(Lead.ENTITY_KEY, leadId)
            .ask(Lead.GetSummary::new, Duration.ofSeconds(30))
            .toCompletableFuture()
            .get(60, TimeUnit.SECONDS);
    return leadId + "=" + s.status();
  }

  private static void resetHeapPeaks() {
    System.gc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
  }

  /** Sum of the heap pools' peaks since the reset: an upper bound of the heap in use. */
  private static long heapPeakBytes() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak;
  }

  static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (Exception e) {
      return String.format(
          Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }
}
