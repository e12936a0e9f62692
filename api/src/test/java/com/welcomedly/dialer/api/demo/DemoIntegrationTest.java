package com.welcomedly.dialer.api.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigResolveOptions;
import com.welcomedly.dialer.api.Main;
import com.welcomedly.dialer.engine.campaign.Campaign;
import com.welcomedly.dialer.engine.dialing.CampaignDialer;
import com.welcomedly.dialer.engine.lead.Attempt;
import com.welcomedly.dialer.engine.lead.Lead;
import com.welcomedly.dialer.engine.persistence.TestDatabase;
import com.welcomedly.dialer.sim.AmiSimulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The demo's wiring at small scale on a real node (PostgreSQL, the simulator over TCP, HTTP up): 3
 * bots and 50 generated leads at a high time scale. Calls are dialed and connected by the real
 * dialer, the bots disposition them, and progress lines come out of the injected printer.
 */
@ExtendWith(LogCapturingExtension.class)
class DemoIntegrationTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final Set<String> BOT_CODES =
      Set.of(
          "SALE",
          "ALREADY_CUSTOMER",
          "NOT_INTERESTED",
          "CALLBACK",
          "HUNG_UP",
          "WRONG_NUMBER",
          "DNC_REQUEST",
          "LANGUAGE_BARRIER",
          "DECEASED");

  private static final Queue<String> lines = new ConcurrentLinkedQueue<>();
  private static AmiSimulator simulator;
  private static ActorTestKit testKit;
  private static DemoOptions options;
  private static DemoRun run;

  @BeforeAll
  static void start() throws Exception {
    Config shipped =
        ConfigFactory.parseResources("demo.conf")
            .resolve(ConfigResolveOptions.defaults().setUseSystemEnvironment(false))
            .getConfig("dialer.demo");
    options =
        DemoOptions.parse(
            List.of(
                "--agents",
                "3",
                "--leads",
                "50",
                "--time-scale",
                "300",
                "--report-every",
                "500ms",
                "--mode",
                "progressive"),
            shipped);
    simulator = Demo.startSimulator(options);
    testKit =
        ActorTestKit.create(
            "demo",
            Demo.amiConfig(simulator)
                .withFallback(TestDatabase.config(TestDatabase.fresh("demo"))));
    int port =
        Main.init(testKit.system())
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS)
            .localAddress()
            .getPort();
    run = DemoRun.start(testKit.system(), options, "http://127.0.0.1:" + port, lines::add);
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
    simulator.close();
  }

  @Test
  void botsTakeTheDialersCallsAndDispositionThem() throws Exception {
    run.leadsImported().toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    assertTrue(
        lines.stream().anyMatch(l -> l.startsWith("Demo: 50 of 50 leads imported in")),
        lines.toString());

    // The dialer dials and connects (its cumulative totals) ...
    TestProbe<CampaignDialer.Status> status = testKit.createTestProbe();
    status.awaitAssert(
        TIMEOUT,
        Duration.ofMillis(250),
        () -> {
          ClusterSharding.get(testKit.system())
              .entityRefFor(CampaignDialer.ENTITY_KEY, run.campaignId())
              .tell(new CampaignDialer.GetStatus(status.getRef()));
          CampaignDialer.Status s = status.receiveMessage(Duration.ofSeconds(5));
          assertEquals(Campaign.Status.ACTIVE, s.campaignStatus());
          assertTrue(s.totals().dials() >= 10, "dials " + s.totals());
          assertTrue(s.totals().connects() >= 3, "connects " + s.totals());
          return null;
        });

    // ... and the leads record connected attempts that bots dispositioned.
    LeadGenerator generator = new LeadGenerator(run.campaignId(), options.seed());
    List<String> leadIds =
        IntStream.range(0, options.leads()).mapToObj(i -> generator.lead(i).leadId()).toList();
    TestProbe<Void> leads = testKit.createTestProbe();
    leads.awaitAssert(
        TIMEOUT,
        Duration.ofMillis(500),
        () -> {
          List<Attempt> byBots = new ArrayList<>();
          for (String leadId : leadIds) {
            for (Attempt attempt : lead(leadId).attempts()) {
              if (attempt.connectedAt() != null && BOT_CODES.contains(attempt.dispositionCode())) {
                byBots.add(attempt);
              }
            }
          }
          assertTrue(byBots.size() >= 3, "attempts dispositioned by bots: " + byBots.size());
          assertTrue(byBots.stream().allMatch(a -> run.agentIds().contains(a.agentId())));
          return null;
        });

    // Progress lines came through the printer, then the summary on finish.
    List<String> progress = lines.stream().filter(l -> l.startsWith("[sim ")).toList();
    assertTrue(progress.size() >= 2, lines.toString());
    String last = progress.get(progress.size() - 1);
    assertTrue(last.contains(" dials ") && last.contains("agents ready "), last);
    assertTrue(last.contains(" occupancy ") && last.contains("PROGRESSIVE"), last);

    run.finish().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertTrue(
        lines.stream().anyMatch(l -> l.startsWith("Demo summary: campaign ")), lines.toString());
    assertTrue(
        lines.stream()
            .anyMatch(l -> l.startsWith("  dispositions by agents: ") && !l.endsWith("none")),
        lines.toString());
  }

  private static Lead.Summary lead(String id) {
    TestProbe<Lead.Summary> probe = testKit.createTestProbe();
    ClusterSharding.get(testKit.system())
        .entityRefFor(Lead.ENTITY_KEY, id)
        .tell(new Lead.GetSummary(probe.getRef()));
    return probe.receiveMessage(Duration.ofSeconds(5));
  }
}
