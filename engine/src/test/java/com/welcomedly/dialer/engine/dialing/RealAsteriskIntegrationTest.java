package com.welcomedly.dialer.engine.dialing;

import static com.welcomedly.dialer.engine.dialing.AmiObserver.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import com.welcomedly.dialer.engine.Engine;
import com.welcomedly.dialer.engine.agent.Agent;
import com.welcomedly.dialer.engine.campaign.CampaignConfig;
import com.welcomedly.dialer.engine.campaign.CampaignConfig.Pacing;
import com.welcomedly.dialer.engine.lead.Attempt;
import com.welcomedly.dialer.engine.lead.Lead;
import com.welcomedly.dialer.engine.persistence.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The engine against a real Asterisk 22 running the shipped {@code asterisk-config/} unmodified
 * (see {@link RealAsterisk}), callees and agents simulated with Local channels ({@code
 * src/test/resources/asterisk/extensions_local.conf}). Opt-in: {@code ASTERISK_HOME=<prefix> mvn -B
 * verify -Preal-asterisk}. Every figure in docs/asterisk.md comes from {@link #figures} of a run.
 */
@Tag("real-asterisk")
@ExtendWith(LogCapturingExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealAsteriskIntegrationTest {

  private static final String CALLEES = "Local/{number}@dialer-test-callee";

  private static RealAsterisk asterisk;
  private static AmiObserver observer;
  private static ActorTestKit node;
  private static DialingSteps steps;
  private static final List<String> figures = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    asterisk =
        RealAsterisk.start(
            Path.of("..", "asterisk-config"),
            Path.of("src/test/resources/asterisk/extensions_local.conf"));
    observer = new AmiObserver(asterisk.amiPort());
    observer.connect();
    node =
        DialingSteps.startNode(
            "real",
            TestDatabase.fresh("dialer_real_asterisk"),
            asterisk.amiPort(),
            ConfigFactory.parseMap(
                Map.of(
                    "dialer.telephony.ami.secret",
                    RealAsterisk.AMI_SECRET,
                    "dialer.telephony.reconnect.max-backoff",
                    "2s")));
    Cluster cluster = Cluster.get(node.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    DialingSteps.awaitUp(node);
    Engine.init(node.system());
    steps = new DialingSteps(node);
  }

  @AfterAll
  static void stop() throws IOException {
    try {
      if (node != null) {
        node.shutdownTestKit();
      }
      if (observer != null) {
        observer.close();
      }
    } finally {
      if (asterisk != null) {
        asterisk.close();
        Path report = Path.of("target", "real-asterisk-figures.txt");
        Files.createDirectories(report.getParent());
        Files.write(report, figures);
        figures.forEach(System.out::println);
        Files.writeString(Path.of("target", "real-asterisk-console.log"), asterisk.console());
        RealAsterisk.deleteQuietly(asterisk.root());
      }
    }
  }

  private static CampaignConfig config(Set<String> agents, Pacing pacing, boolean amd) {
    return DialingSteps.fastConfig(agents, amd, Duration.ofMinutes(30)).toBuilder()
        .dialStringTemplate(CALLEES)
        .pacing(pacing)
        .ringTimeout(Duration.ofSeconds(15))
        .build();
  }

  private static Pacing progressive() {
    return new Pacing(
        CampaignConfig.DialMode.PROGRESSIVE, 3.0, CampaignConfig.AbandonWindow.BOTH, 3, 1.0, 1);
  }

  private static void agents(String campaign, String... ids) {
    for (String id : ids) {
      steps.agent(
          id,
          r ->
              new Agent.Configure(
                  id,
                  "Local/" + id.replace("a-", "") + "@dialer-test-agent",
                  Set.of(campaign),
                  "sam",
                  r));
      steps.agent(id, r -> new Agent.LogIn(Duration.ofHours(1), r));
    }
  }

  /** The lead's first attempt once it has ended. */
  private static Attempt ended(String leadId) {
    return firstAttempt(leadId, a -> a.endedAt() != null);
  }

  /** The lead's first attempt once it was bridged (these callees stay) or ended. */
  private static Attempt settled(String leadId) {
    return firstAttempt(leadId, a -> a.connectedAt() != null || a.endedAt() != null);
  }

  private static Attempt firstAttempt(String leadId, java.util.function.Predicate<Attempt> done) {
    return node.createTestProbe()
        .awaitAssert(
            Duration.ofSeconds(90),
            Duration.ofMillis(250),
            () -> {
              Lead.Summary lead = steps.lead(leadId);
              assertFalse(lead.attempts().isEmpty(), leadId + " not dialed yet");
              Attempt a = lead.attempts().get(0);
              assertTrue(done.test(a), leadId + " still in progress: " + a);
              return a;
            });
  }

  @Test
  @Order(1)
  void everyOutcomeIsRecordedAsWhatReallyHappenedAndLiveAnswersAreBridged() {
    String campaign = "real-outcomes";
    Map<String, Lead.CallOutcome> expected =
        Map.ofEntries(
            Map.entry("+12127101101", Lead.CallOutcome.COMPLETED),
            Map.entry("+12127101102", Lead.CallOutcome.COMPLETED),
            Map.entry("+12127101103", Lead.CallOutcome.COMPLETED),
            Map.entry("+12127102001", Lead.CallOutcome.BUSY),
            Map.entry("+12127103501", Lead.CallOutcome.NO_ANSWER),
            Map.entry("+12127103001", Lead.CallOutcome.NO_ANSWER),
            Map.entry("+12127104001", Lead.CallOutcome.FAILED),
            Map.entry("+12127106101", Lead.CallOutcome.FAILED),
            Map.entry("+12127106201", Lead.CallOutcome.INVALID_NUMBER),
            Map.entry("+12127106301", Lead.CallOutcome.INVALID_NUMBER),
            Map.entry("+12127106401", Lead.CallOutcome.FAILED));
    steps.createCampaign(
        campaign, "Outcomes", config(Set.of("a-101", "a-102"), progressive(), false));
    expected
        .keySet()
        .forEach(n -> steps.importLead(campaign, "o" + n, n, n.startsWith("+1212710110") ? 9 : 1));
    agents(campaign, "a-101", "a-102");
    steps.startCampaign(campaign);

    List<String> mismatches = new ArrayList<>();
    for (Map.Entry<String, Lead.CallOutcome> e : expected.entrySet()) {
      Attempt a = ended("o" + e.getKey());
      if (a.outcome() != e.getValue()) {
        mismatches.add(e.getKey() + ": " + a.outcome() + " (expected " + e.getValue() + ")");
      }
      if (e.getValue() == Lead.CallOutcome.COMPLETED) {
        assertNotNull(a.connectedAt(), "bridged to an agent: " + e.getKey());
        assertTrue(
            observer.firstTime(event("BridgeEnter", "Uniqueid", a.attemptId())) > 0,
            "Asterisk bridged " + a.attemptId());
      }
    }
    assertEquals(List.of(), mismatches);
    // Three live answers, two agents: a nailed-up leg was reused for a second customer.
    long reused =
        observer.events(e -> "BridgeEnter".equals(e.get("Event"))).stream()
            .map(e -> e.getOrDefault("Uniqueid", ""))
            .filter(u -> u.startsWith("agent-"))
            .collect(
                java.util.stream.Collectors.groupingBy(
                    u -> u, java.util.stream.Collectors.counting()))
            .values()
            .stream()
            .filter(c -> c >= 2)
            .count();
    assertTrue(reused >= 1, "an agent leg took a second call");
  }

  @Test
  @Order(2)
  void answerToBridgeOverManyCalls() {
    String campaign = "real-bridge";
    steps.createCampaign(
        campaign, "Bridge", config(Set.of("a-111", "a-112", "a-113"), progressive(), false));
    List<String> leads = new ArrayList<>();
    for (int i = 10; i < 28; i++) {
      String n = "+121271011" + i;
      leads.add("b" + n);
      steps.importLead(campaign, "b" + n, n, 1);
    }
    agents(campaign, "a-111", "a-112", "a-113");
    steps.startCampaign(campaign);
    List<Double> millis = new ArrayList<>();
    for (String lead : leads) {
      Attempt a = ended(lead);
      assertEquals(Lead.CallOutcome.COMPLETED, a.outcome(), lead);
      millis.add(answerTo(a.attemptId(), event("BridgeEnter", "Uniqueid", a.attemptId())));
    }
    figures.add(figure("answer -> customer BridgeEnter (PROGRESSIVE, 3 agents)", millis));
  }

  @Test
  @Order(3)
  void safeHarborReallyPlaysAndStartsWithinTwoSecondsOfAnswer() {
    String campaign = "real-safe-harbor";
    // POWER 3.0 with two agents: six customers answer at once, two are bridged, four are not.
    Pacing power =
        new Pacing(
            CampaignConfig.DialMode.POWER, 3.0, CampaignConfig.AbandonWindow.BOTH, 3, 3.0, 1);
    steps.createCampaign(campaign, "Safe harbor", config(Set.of("a-121", "a-122"), power, false));
    List<String> leads = new ArrayList<>();
    for (int i = 10; i < 16; i++) {
      String n = "+121271013" + i; // rings 3 s, answers, stays
      leads.add("s" + n);
      steps.importLead(campaign, "s" + n, n, 1);
    }
    agents(campaign, "a-121", "a-122");
    steps.startCampaign(campaign);
    List<Double> starts = new ArrayList<>();
    int bridged = 0;
    for (String lead : leads) {
      Attempt a = settled(lead);
      if (a.connectedAt() != null) {
        bridged++;
        continue;
      }
      assertEquals(Lead.CallOutcome.ABANDONED, a.outcome(), lead);
      // The message really played: Background succeeded, WaitExten ran out, Result PLAYED.
      assertEquals(
          "PLAYED",
          observer.events(event("UserEvent", "Uniqueid", a.attemptId())).stream()
              .filter(e -> "DialerSafeHarbor".equals(e.get("UserEvent")))
              .map(e -> e.get("Result"))
              .findFirst()
              .orElse("none"),
          lead);
      double start =
          answerTo(
              a.attemptId(),
              e ->
                  "Newexten".equals(e.get("Event"))
                      && a.attemptId().equals(e.get("Uniqueid"))
                      && "background".equalsIgnoreCase(e.get("Application")));
      assertTrue(start < 2000, "safe-harbor message started " + start + " ms after answer");
      starts.add(start);
    }
    assertTrue(
        bridged >= 1 && starts.size() >= 3, bridged + " bridged, " + starts.size() + " abandoned");
    figures.add(figure("answer -> safe-harbor Background start (POWER 3.0, 2 agents)", starts));
  }

  @Test
  @Order(4)
  void amdTellsAHumanFromAMachine() {
    String campaign = "real-amd";
    steps.createCampaign(campaign, "AMD", config(Set.of("a-131"), progressive(), true));
    steps.importLead(campaign, "human", "+12127101140", 2);
    steps.importLead(campaign, "machine", "+12127105001", 1);
    agents(campaign, "a-131");
    steps.startCampaign(campaign);
    Attempt human = ended("human");
    Attempt machine = ended("machine");
    assertEquals(Lead.CallOutcome.COMPLETED, human.outcome());
    assertEquals(Lead.CallOutcome.MACHINE, machine.outcome());
    assertEquals("HUMAN", amdStatus(human.attemptId()));
    assertEquals("MACHINE", amdStatus(machine.attemptId()));
  }

  @Test
  @Order(5)
  void nothingSpinsAndNothingShippedIsMissing() throws Exception {
    long idles = observer.events(e -> "AgentIdle".equals(e.get("UserEvent"))).size();
    long bridges = observer.events(e -> "BridgeEnter".equals(e.get("Event"))).size();
    assertTrue(idles <= bridges, idles + " AgentIdle events for " + bridges + " bridge entries");
    String console = asterisk.console();
    for (String bad :
        List.of(
            "Unable to start music on hold",
            "does not exist in any format",
            "No application 'AMD'",
            "Timeout but no rule")) {
      assertFalse(console.contains(bad), "Asterisk logged: " + bad);
    }
    String apps = asterisk.cli("core show applications like MusicOnHold");
    assertTrue(apps.contains("MusicOnHold"), apps);
  }

  @Test
  @Order(6)
  void aPbxRestartIsRecoveredAndCutRingingCallsAreFailures() throws Exception {
    String campaign = "real-restart";
    steps.createCampaign(campaign, "Restart", config(Set.of("a-141"), progressive(), false));
    steps.importLead(campaign, "ringing", "+12127103010", 2); // rings until the timeout
    agents(campaign, "a-141");
    steps.startCampaign(campaign);
    steps.eventually(() -> assertEquals(1, steps.dialerStatus(campaign).callsInFlight()));
    node.createTestProbe()
        .awaitAssert(
            Duration.ofSeconds(10),
            () -> {
              assertTrue(
                  observer.firstTime(
                          e ->
                              "Newstate".equals(e.get("Event"))
                                  && "5".equals(e.get("ChannelState"))
                                  && e.getOrDefault("Exten", "").equals("+12127103010"))
                      > 0);
              return null;
            });
    asterisk.cli("core restart now");

    Attempt cut = ended("ringing");
    assertEquals(Lead.CallOutcome.FAILED, cut.outcome(), "a ringing call cut by the restart");

    asterisk.awaitAmi(Duration.ofSeconds(60));
    observer.connect();
    // The dialer comes back by itself: the agent leg is nailed up again and a new answer bridged.
    steps.importLead(campaign, "after", "+12127101150", 1);
    Attempt after = ended("after");
    assertEquals(Lead.CallOutcome.COMPLETED, after.outcome());
    assertNotNull(after.connectedAt());
    assertFalse(
        asterisk.console().contains("Asterisk is shutting down"),
        "something was sent to the stopping PBX");
  }

  // ------------------------------------------------------------------ measurements

  /**
   * Milliseconds from the customer's answer (its ;1 channel going Up) to the first matching event.
   */
  private static double answerTo(
      String callId, java.util.function.Predicate<Map<String, String>> then) {
    return node.createTestProbe()
        .awaitAssert(
            Duration.ofSeconds(30),
            () -> {
              double answered =
                  observer.firstTime(
                      e ->
                          "Newstate".equals(e.get("Event"))
                              && callId.equals(e.get("Uniqueid"))
                              && "6".equals(e.get("ChannelState")));
              double at = observer.firstTime(then);
              assertEquals(0, observer.disconnects(), "the event recorder lost its connection");
              assertFalse(Double.isNaN(answered) || Double.isNaN(at), "events of " + callId);
              return (at - answered) * 1000.0;
            });
  }

  private static String amdStatus(String callId) {
    return observer.events(event("UserEvent", "Uniqueid", callId)).stream()
        .filter(e -> "AMDResult".equals(e.get("UserEvent")))
        .map(e -> e.get("AMDStatus"))
        .findFirst()
        .orElse("none");
  }

  private static String figure(String what, List<Double> millis) {
    List<Double> sorted = new ArrayList<>(millis);
    sorted.sort(Double::compare);
    return String.format(
        Locale.ROOT,
        "%s: n=%d p50=%.0f ms p99=%.0f ms max=%.0f ms",
        what,
        sorted.size(),
        percentile(sorted, 0.50),
        percentile(sorted, 0.99),
        sorted.get(sorted.size() - 1));
  }

  private static double percentile(List<Double> sorted, double p) {
    int index = (int) Math.ceil(p * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }
}
