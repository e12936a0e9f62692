package com.welcomedly.dialer.engine.dialing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import com.welcomedly.dialer.engine.Engine;
import com.welcomedly.dialer.engine.agent.Agent;
import com.welcomedly.dialer.engine.campaign.Campaign;
import com.welcomedly.dialer.engine.campaign.CampaignConfig;
import com.welcomedly.dialer.engine.compliance.AttemptCap;
import com.welcomedly.dialer.engine.compliance.CallingWindow;
import com.welcomedly.dialer.engine.compliance.DialCompliance;
import com.welcomedly.dialer.engine.evidence.ComplianceProjection;
import com.welcomedly.dialer.engine.evidence.ComplianceQuery;
import com.welcomedly.dialer.engine.evidence.ComplianceReport;
import com.welcomedly.dialer.engine.evidence.ComplianceReport.AbandonedCall;
import com.welcomedly.dialer.engine.evidence.LeadAuditTrail;
import com.welcomedly.dialer.engine.lead.Attempt;
import com.welcomedly.dialer.engine.lead.Lead;
import com.welcomedly.dialer.engine.persistence.DatabaseSettings;
import com.welcomedly.dialer.engine.persistence.JdbcPool;
import com.welcomedly.dialer.engine.persistence.TestDatabase;
import com.welcomedly.dialer.sim.AmiSimulator;
import com.welcomedly.dialer.sim.SimulatorSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Campaigns driven over the AMI simulator (real PostgreSQL, AMI over TCP) into the situations a
 * regulator asks about — an abandon burst with its safe-harbor messages and an opt-out, a DNC hit,
 * a lockout refusal, an attempt-cap refusal, a call refused outside the callee's window — and the
 * compliance report and the lead audit trail asserted exactly against what the leads recorded. Then
 * the read model is rebuilt from the journal on a new node and must give the same report.
 */
@ExtendWith(LogCapturingExtension.class)
class ComplianceEvidenceIntegrationTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  // Scripted numbers (prefix 12127, then outcome, ring tenths, talk seconds, filler):
  private static final String SLOW_LIVE_1 = "+12127130300"; // answers after 3 s, stays 30 s
  private static final String SLOW_LIVE_2 = "+12127130301";
  private static final String SLOW_OPT_OUT = "+12127930302"; // answers after 3 s, opts out
  private static final String LIVE = "+12127105020"; // answers after 0.5 s, talks 2 s
  private static final String BUSY = "+12127300000";
  private static final String WINDOW_LEAD = "+12127105021";

  private static AmiSimulator simulator;
  private static DatabaseSettings database;
  private static ActorTestKit node;
  private static DialingSteps steps;

  @BeforeAll
  static void start() throws Exception {
    simulator =
        AmiSimulator.start(
            SimulatorSettings.defaults().withPort(0).withScriptPrefix("12127").withSeed(15));
    database = TestDatabase.fresh("dialer_compliance");
    node = startNode("compliance");
    steps = new DialingSteps(node);
  }

  @AfterAll
  static void stop() {
    node.shutdownTestKit();
    simulator.close();
  }

  private static ActorTestKit startNode(String name) {
    ActorTestKit kit =
        DialingSteps.startNode(name, database, simulator.port(), ConfigFactory.empty());
    Cluster cluster = Cluster.get(kit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    DialingSteps.awaitUp(kit);
    Engine.init(kit.system());
    return kit;
  }

  @Test
  void theReportAndTheAuditTrailProveWhatTheCampaignsDid() throws Exception {
    Instant from = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(1);

    // ---- an abandon burst: three live answers while all three agents went on a break ----
    String burst = "c-burst";
    Set<String> agents = Set.of("ag-b1", "ag-b2", "ag-b3");
    CampaignConfig burstConfig =
        DialingSteps.config(agents, false).toBuilder()
            .wrapUpTimeout(Duration.ofSeconds(1))
            .wrapUpTimeoutDisposition("NOT_INTERESTED")
            .build();
    steps.createCampaign(burst, "Burst", burstConfig);
    steps.importLead(burst, "slow-1", SLOW_LIVE_1, 5);
    steps.importLead(burst, "slow-2", SLOW_LIVE_2, 5);
    steps.importLead(burst, "opt-out", SLOW_OPT_OUT, 5);
    for (String agent : agents) {
      steps.logIn(agent, burst);
    }
    steps.startCampaign(burst);
    steps.eventually(() -> assertEquals(3, steps.dialerStatus(burst).callsInFlight()));
    for (String agent : agents) {
      steps.agent(agent, r -> new Agent.Pause(Agent.PauseReason.BREAK, r));
    }
    Lead.Summary slow1 = steps.awaitAttempts("slow-1", Lead.Status.QUEUED, 1);
    Lead.Summary slow2 = steps.awaitAttempts("slow-2", Lead.Status.QUEUED, 1);
    Lead.Summary optOut = steps.awaitAttempts("opt-out", Lead.Status.DNC, 1);
    // The supervisor lowers the target; then one call reaches the agent.
    CampaignConfig.Pacing lower =
        new CampaignConfig.Pacing(
            CampaignConfig.DialMode.PROGRESSIVE,
            2.5,
            CampaignConfig.AbandonWindow.US_30_DAY,
            3,
            1.5,
            3);
    steps.campaign(burst, r -> new Campaign.ChangePacing(lower, "sue", r));
    steps.importLead(burst, "live", LIVE, 1);
    steps.agent("ag-b1", Agent.Ready::new);
    Lead.Summary live = steps.awaitAttempts("live", Lead.Status.DONE, 1);

    // A DNC hit: the dialer's reservation of the opted-out lead is refused at dial time.
    TestProbe<StatusReply<Lead.Reservation>> reply = node.createTestProbe();
    steps
        .entity(Lead.ENTITY_KEY, "opt-out")
        .tell(new Lead.ReserveForDial("dnc-hit", burstConfig.dialPolicy(), null, reply.getRef()));
    assertEquals(
        "lead is on the do-not-call list", reply.receiveMessage(TIMEOUT).getError().getMessage());

    // A lockout refusal: a callback promised inside the 72 h post-abandon lockout comes due.
    LocalDateTime soon = LocalDateTime.now(ZoneId.of("America/New_York")).plusSeconds(10);
    steps.leadStep("slow-1", r -> new Lead.ScheduleCallback(soon, null, Duration.ZERO, "sue", r));

    // ---- an attempt cap: one attempt per day, the lead is busy and due again at once ----
    String capped = "c-cap";
    steps.createCampaign(
        capped,
        "Cap",
        DialingSteps.fastConfig(Set.of("ag-cap"), false, Duration.ZERO).toBuilder()
            .attemptCaps(List.of(AttemptCap.of(1, Duration.ofDays(1))))
            .build());
    steps.importLead(capped, "busy", BUSY, 1);
    steps.logIn("ag-cap", capped);
    steps.startCampaign(capped);

    // ---- the calling window: a lead in UTC+00:00 while the window is closed there ----
    String windowed = "c-window";
    int opensAt = (LocalTime.now(ZoneOffset.UTC).getHour() + 6) % 23;
    CallingWindow closedNow =
        CallingWindow.everyDay(LocalTime.of(opensAt, 0), LocalTime.of(opensAt + 1, 0));
    steps.createCampaign(
        windowed,
        "Window",
        DialingSteps.config(Set.of("ag-window"), false).toBuilder()
            .callingWindow(closedNow)
            .build());
    steps.leadStep(
        "abroad", r -> new Lead.Import(windowed, List.of(WINDOW_LEAD), "+00:00", 1, Map.of(), r));
    steps.logIn("ag-window", windowed);
    steps.startCampaign(windowed);

    // Wait until the read model holds every fact, then fix the period's end.
    ComplianceQuery query = new ComplianceQuery(JdbcPool.get(node.system()));
    await(
        () -> {
          Instant now = Instant.now().plusSeconds(1);
          ComplianceReport r = get(query.report(burst, from, now));
          assertEquals(3, r.abandonedCalls().size());
          assertEquals(2, r.refusals().size());
          assertEquals(4, r.callingWindow().dials());
          assertEquals(2, r.pacingChanges().size());
          assertEquals(1, get(query.report(capped, from, now)).refusals().size());
          assertEquals(1, get(query.report(windowed, from, now)).refusals().size());
          return null;
        });
    Instant to = Instant.now();

    // ---- the burst campaign's report ----
    ComplianceReport report = get(query.report(burst, from, to));
    // Kept for the docs' excerpt: a real report of a known situation.
    java.nio.file.Files.writeString(
        java.nio.file.Path.of("target", "compliance-burst-report.json"),
        new com.fasterxml.jackson.databind.ObjectMapper()
            .findAndRegisterModules()
            .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .writerWithDefaultPrettyPrinter()
            .writeValueAsString(report));
    Attempt a1 = slow1.attempts().get(0);
    Attempt a2 = slow2.attempts().get(0);
    Attempt a3 = optOut.attempts().get(0);
    Attempt connected = live.attempts().get(0);
    Instant firstAbandon =
        List.of(a1, a2, a3).stream().map(Attempt::endedAt).min(Instant::compareTo).orElseThrow();
    assertEquals(3.0, report.abandonCapPercent());
    // Abandons the PBX ends together can share the first one's microsecond (seen in CI: two safe-
    // harbor messages of the same length, answered 9 ms apart, ended on the same tick); the peak
    // then counts all of them.
    long abandonsAtFirst =
        List.of(a1, a2, a3).stream()
            .filter(a -> micros(a.endedAt()).equals(micros(firstAbandon)))
            .count();
    for (ComplianceReport.AbandonRate rate : List.of(report.us30Days(), report.uk24Hours())) {
      assertEquals(4, rate.atEnd().liveAnswers(), rate.window());
      assertEquals(3, rate.atEnd().abandons(), rate.window());
      assertEquals(75.0, rate.atEnd().percent(), rate.window());
      assertEquals(100.0, rate.peak().percent(), rate.window());
      assertEquals(micros(firstAbandon), rate.peak().at(), rate.window() + " peak at");
      assertEquals(abandonsAtFirst, rate.peak().liveAnswers());
    }
    assertEquals("ag-b1", connected.agentId());
    Map<String, Attempt> byAttempt =
        Map.of(a1.attemptId(), a1, a2.attemptId(), a2, a3.attemptId(), a3);
    LeadAuditTrail trail = new LeadAuditTrail(node.system());
    for (AbandonedCall call : report.abandonedCalls()) {
      Attempt attempt = byAttempt.get(call.attemptId());
      assertEquals(micros(attempt.answeredAt()), call.answeredAt());
      assertEquals(micros(attempt.endedAt()), call.endedAt());
      boolean optedOut = attempt == a3;
      assertEquals(optedOut ? "OPTED_OUT" : "PLAYED", call.safeHarbor(), call.leadId());
      // The message starts at the 2 s connect deadline, counted from the dialer's answer event.
      assertEquals(
          Duration.between(call.answeredAt(), call.messageStartedAt()).toMillis(),
          call.answerToMessageMillis());
      assertTrue(
          call.answerToMessageMillis() > 1_500 && call.answerToMessageMillis() < 5_000,
          "answer to message " + call.answerToMessageMillis());
      if (optedOut) {
        assertEquals(micros(optOut.dnc().at()), call.optOutDncAt());
        assertNull(call.lockedOutUntil(), "a DNC lead is never called again: no lockout needed");
      } else {
        assertNull(call.optOutDncAt());
        assertEquals(micros(attempt.endedAt().plus(Duration.ofHours(72))), call.lockedOutUntil());
      }
    }
    assertEquals(2, report.lockouts().size());
    assertEquals(Map.of("ABANDON_LOCKOUT", 1L, "DNC", 1L), report.refusalsByRule());
    ComplianceReport.Refusal dncHit =
        report.refusals().stream().filter(r -> r.rule().equals("DNC")).findFirst().orElseThrow();
    assertEquals("opt-out", dncHit.leadId());
    assertEquals("dnc-hit", dncHit.attemptId());
    assertNull(dncHit.retryAt());
    ComplianceReport.Refusal lockout =
        report.refusals().stream()
            .filter(r -> r.rule().equals("ABANDON_LOCKOUT"))
            .findFirst()
            .orElseThrow();
    assertEquals("slow-1", lockout.leadId());
    assertEquals(micros(a1.endedAt().plus(Duration.ofHours(72))), lockout.retryAt());
    assertEquals(0, report.callingWindow().outsideWindow());
    assertEquals(
        List.of(CallingWindow.everyDay(LocalTime.MIN, LocalTime.MAX).toText()),
        report.callingWindow().windowsInForce().stream()
            .map(ComplianceReport.WindowInForce::window)
            .toList());
    assertEquals(new ComplianceReport.RingTimeCheck(4, 15, 20.0, 0), report.ringTime());
    assertEquals("sam", report.pacingChanges().get(0).by());
    assertEquals("Created", report.pacingChanges().get(0).kind());
    assertEquals(
        new ComplianceReport.PacingChange(
            report.pacingChanges().get(1).at(),
            "sue",
            "PacingChanged",
            "targetAbandonPercent 3.0 -> 2.5"),
        report.pacingChanges().get(1));

    // ---- the cap and the window campaigns ----
    ComplianceReport cap = get(query.report(capped, from, to));
    Lead.Summary busy = steps.lead("busy");
    assertEquals(1, busy.attempts().size(), "the cap allowed one attempt");
    assertEquals(Map.of("ATTEMPT_CAP", 1L), cap.refusalsByRule());
    assertEquals(
        micros(busy.attempts().get(0).dialedAt().plus(Duration.ofDays(1))),
        cap.refusals().get(0).retryAt());
    assertEquals(new ComplianceReport.RingTimeCheck(1, 15, 20.0, 0), cap.ringTime());
    assertEquals(0, cap.abandonedCalls().size());
    assertEquals(0.0, cap.us30Days().atEnd().percent());

    ComplianceReport window = get(query.report(windowed, from, to));
    assertEquals(Map.of("CALLING_WINDOW", 1L), window.refusalsByRule());
    assertEquals(0, window.callingWindow().dials());
    assertEquals(0, window.callingWindow().outsideWindow());
    assertEquals(0, steps.lead("abroad").attempts().size());
    Instant refusedAt = window.refusals().get(0).at();
    assertEquals(
        micros(closedNow.nextOpening(refusedAt, ZoneOffset.UTC)),
        window.refusals().get(0).retryAt());

    // ---- the opted-out lead's audit trail, in order, with who and the number ----
    List<LeadAuditTrail.Entry> audit = get(trail.of("opt-out"));
    assertEquals(
        List.of(
            "Imported",
            "Reserved",
            "DialStarted",
            "CallAnswered",
            "SafeHarborPlayed",
            "MarkedDnc",
            "CallEnded",
            "DialRefused"),
        audit.stream().map(LeadAuditTrail.Entry::event).toList());
    assertEquals(
        List.of(
            "import", "dialer", "dialer", "dialer", "dialer", "safe-harbor", "dialer", "dialer"),
        audit.stream().map(LeadAuditTrail.Entry::by).toList());
    for (LeadAuditTrail.Entry e : audit.subList(1, 7)) {
      if (e.event().equals("MarkedDnc")) {
        assertEquals("DNC via SAFE_HARBOR_OPT_OUT", e.detail());
        continue; // a mark on the lead, not a step of the call
      }
      assertEquals(a3.attemptId(), e.attemptId(), e.event());
      assertEquals(SLOW_OPT_OUT, e.number(), e.event());
    }
    assertEquals("OPTED_OUT", audit.get(4).outcome());
    assertEquals("ABANDONED", audit.get(6).outcome());
    assertEquals("DROPPED", audit.get(6).disposition());
    assertEquals("DNC", audit.get(7).outcome());
    assertEquals(DialCompliance.Rule.DNC.name(), audit.get(7).outcome());
    assertEquals("ring timeout 20 s", audit.get(2).detail());
    // The call summary (engine/summary) follows the disposition asynchronously, so the
    // disposition is the last step of the call itself, whether or not the summary is in yet.
    List<LeadAuditTrail.Entry> connectedTrail =
        get(trail.of("live")).stream().filter(e -> !e.event().equals("AttemptSummarized")).toList();
    LeadAuditTrail.Entry disposition = connectedTrail.get(connectedTrail.size() - 1);
    assertEquals("DispositionRecorded", disposition.event());
    assertEquals("system", disposition.by(), "the wrap-up timeout disposed it");
    assertEquals("ag-b1", disposition.agentId());
    assertEquals("NOT_INTERESTED", disposition.disposition());

    // ---- a rebuild from the journal gives the same report ----
    node.shutdownTestKit();
    try (Connection c =
            DriverManager.getConnection(database.url(), database.user(), database.password());
        Statement s = c.createStatement()) {
      s.execute(
          "DELETE FROM compliance_lead; DELETE FROM compliance_call; DELETE FROM compliance_refusal;"
              + " DELETE FROM compliance_campaign_change");
      s.execute(
          "DELETE FROM pekko_projection_offset_store WHERE projection_name IN ('"
              + ComplianceProjection.LEAD_NAME
              + "', '"
              + ComplianceProjection.CAMPAIGN_NAME
              + "')");
    }
    node = startNode("compliance-rebuilt");
    steps = new DialingSteps(node);
    ComplianceQuery rebuilt = new ComplianceQuery(JdbcPool.get(node.system()));
    await(
        () -> {
          assertEquals(report, get(rebuilt.report(burst, from, to)));
          assertEquals(cap, get(rebuilt.report(capped, from, to)));
          assertEquals(window, get(rebuilt.report(windowed, from, to)));
          return null;
        });
  }

  private static Instant micros(Instant instant) {
    // PostgreSQL keeps microseconds, rounding the nanoseconds to the nearest one.
    return instant == null ? null : instant.plusNanos(500).truncatedTo(ChronoUnit.MICROS);
  }

  private static <T> T get(java.util.concurrent.CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  private interface Check<T> {
    T run() throws Exception;
  }

  private static <T> T await(Check<T> check) {
    return node.createTestProbe()
        .awaitAssert(
            TIMEOUT,
            Duration.ofMillis(250),
            () -> {
              try {
                return check.run();
              } catch (RuntimeException | Error e) {
                throw e;
              } catch (Exception e) {
                throw new AssertionError(e);
              }
            });
  }
}
