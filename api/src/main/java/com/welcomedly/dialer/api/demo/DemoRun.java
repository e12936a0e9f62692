package com.welcomedly.dialer.api.demo;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the demo on a started node whose AMI gateway points at the simulator: creates the
 * campaign, starts the agent bots and the progress reporter, starts the campaign, imports the leads
 * (dialing begins with the first ones), and at shutdown stops the import, pauses the campaign and
 * prints the summary. With a duration it stops the node itself when the time is up.
 */
public final class DemoRun {
  private static final Logger log = LoggerFactory.getLogger(DemoRun.class);

  // Together within coordinated shutdown's default phase timeout (5 s).
  private static final Duration SUMMARY_TIMEOUT = Duration.ofSeconds(3);
  private static final Duration PAUSE_TIMEOUT = Duration.ofMillis(1500);

  /** Why the node stops when the demo's duration is over. */
  private enum DemoOver implements CoordinatedShutdown.Reason {
    INSTANCE
  }

  private final ActorSystem<?> system;
  private final DemoOptions options;
  private final Consumer<String> printer;
  private final DemoCampaign campaign;
  private final List<String> agentIds;
  private final AtomicReference<ActorRef<ProgressReporter.Command>> reporter =
      new AtomicReference<>();
  private final List<ActorRef<AgentBot.Command>> bots = new CopyOnWriteArrayList<>();
  private final AtomicReference<UniqueKillSwitch> leadImport = new AtomicReference<>();
  private final CompletableFuture<Done> leadsImported = new CompletableFuture<>();
  private final AtomicReference<CompletableFuture<Done>> finished = new AtomicReference<>();

  private DemoRun(
      ActorSystem<?> system, DemoOptions options, Consumer<String> printer, String campaignId) {
    this.system = system;
    this.options = options;
    this.printer = printer;
    this.campaign = new DemoCampaign(system, campaignId, options);
    this.agentIds =
        IntStream.rangeClosed(1, options.agents())
            .mapToObj(i -> String.format(Locale.ROOT, "%s-agent-%02d", campaignId, i))
            .toList();
  }

  /**
   * Starts the demo on {@code system} (after {@code Main.init}); progress goes to {@code printer}.
   * Ids carry the start time in base 36 ({@code demo-t4k2x9}): a node that keeps its database
   * (DIALER_DB_DATA_DIR) starts a new campaign each run, and no id looks like a phone number to the
   * log mask.
   */
  public static DemoRun start(
      ActorSystem<?> system, DemoOptions options, String apiUrl, Consumer<String> printer) {
    String runId = Long.toString(Clock.systemUTC().instant().getEpochSecond(), 36);
    DemoRun run = new DemoRun(system, options, printer, "demo-" + runId);
    run.printIntro(apiUrl);
    CoordinatedShutdown.get(system)
        .addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(), "demo-summary", run::finish);
    run.campaign
        .create(Set.copyOf(run.agentIds))
        .thenAccept(created -> run.startActors())
        .thenCompose(started -> run.campaign.start())
        .thenCompose(started -> run.importLeads())
        .whenComplete(
            (done, failure) -> {
              if (failure != null) {
                log.error("The demo stopped: {}; the node keeps running", failure.getMessage());
                run.leadsImported.completeExceptionally(failure);
              } else {
                run.leadsImported.complete(Done.getInstance());
              }
            });
    options
        .duration()
        .ifPresent(
            d ->
                system
                    .scheduler()
                    .scheduleOnce(
                        d,
                        () -> CoordinatedShutdown.get(system).run(DemoOver.INSTANCE),
                        system.executionContext()));
    return run;
  }

  public String campaignId() {
    return campaign.id();
  }

  public List<String> agentIds() {
    return agentIds;
  }

  /** Completes when the lead import is over (dialing has started long before). */
  public CompletionStage<Done> leadsImported() {
    return leadsImported;
  }

  /**
   * Stops the lead import, prints the summary, pauses the campaign (calls up finish normally) and
   * stops the bots. The summary comes first: on Ctrl-C in a terminal the embedded PostgreSQL gets
   * the signal too and may already be gone, and the figures live in memory. Runs once; later calls
   * get the same result.
   */
  public CompletionStage<Done> finish() {
    CompletableFuture<Done> mine = new CompletableFuture<>();
    if (!finished.compareAndSet(null, mine)) {
      return finished.get();
    }
    UniqueKillSwitch importing = leadImport.get();
    if (importing != null) {
      importing.shutdown();
    }
    ActorRef<ProgressReporter.Command> progress = reporter.get();
    if (progress == null) {
      mine.complete(Done.getInstance());
      return mine;
    }
    AskPattern.<ProgressReporter.Command, Done>ask(
            progress, ProgressReporter.Finish::new, SUMMARY_TIMEOUT, system.scheduler())
        .handle((summarized, failure) -> Done.getInstance())
        .thenCompose(
            summarized ->
                campaign
                    .pause("demo stopped")
                    .toCompletableFuture()
                    .orTimeout(PAUSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
        .whenComplete(
            (paused, failure) -> {
              if (failure != null) {
                log.info("Demo campaign {} not paused: {}", campaign.id(), failure.toString());
              }
              bots.forEach(bot -> bot.tell(AgentBot.Stop.INSTANCE));
              mine.complete(Done.getInstance());
            });
    return mine;
  }

  private CompletionStage<Done> importLeads() {
    long start = System.nanoTime();
    Pair<UniqueKillSwitch, CompletionStage<Done>> leads =
        campaign.importLeads(new LeadGenerator(campaign.id(), options.seed()));
    leadImport.set(leads.first());
    return leads
        .second()
        .thenApply(
            done -> {
              printer.accept(
                  String.format(
                      Locale.ROOT,
                      "Demo: %d of %d leads imported in %s (%d refused)",
                      campaign.imported(),
                      options.leads(),
                      Progress.clock(Duration.ofNanos(System.nanoTime() - start)),
                      campaign.rejected()));
              return done;
            });
  }

  private void startActors() {
    String id = campaign.id();
    ActorRef<ProgressReporter.Command> progress =
        system.systemActorOf(
            ProgressReporter.create(
                id, agentIds, options, campaign::imported, printer, Clock.systemUTC()),
            id + "-progress",
            Props.empty());
    reporter.set(progress);
    for (int i = 0; i < agentIds.size(); i++) {
      String agentId = agentIds.get(i);
      bots.add(
          system.systemActorOf(
              AgentBot.create(agentId, id, options, options.seed() * 7919 + i, progress),
              agentId,
              Props.empty()));
    }
  }

  private void printIntro(String apiUrl) {
    printer.accept(
        String.format(
            Locale.ROOT,
            "Demo: campaign %s, %s pacing, %d simulated agents, %d generated leads;"
                + " time scale %s (a simulated hour every %s)",
            campaign.id(),
            options.mode(),
            options.agents(),
            options.leads(),
            trim(options.timeScale()),
            Progress.clock(options.real(Duration.ofHours(1)))));
    printer.accept(
        "Demo: calling window open all day, every day (a demo setting: the default window is"
            + " 08:00-21:00 in the callee's time)");
    printer.accept(
        "Demo: open the console "
            + apiUrl
            + "/#/campaign/"
            + campaign.id()
            + " in a browser (API on the same address) - log in as admin with"
            + " DIALER_ADMIN_PASSWORD, or with the generated password in the 'Created bootstrap"
            + " admin' line of this output (first start only)");
    printer.accept(
        options
            .duration()
            .map(d -> "Demo: the node stops after " + Progress.clock(d) + " (or Ctrl-C)")
            .orElse("Demo: runs until Ctrl-C"));
  }

  private static String trim(double x) {
    return x == Math.rint(x) ? Long.toString((long) x) : Double.toString(x);
  }
}
