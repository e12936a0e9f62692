package com.welcomedly.dialer.engine.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.welcomedly.dialer.engine.agent.Agent;
import com.welcomedly.dialer.engine.campaign.Disposition;
import com.welcomedly.dialer.engine.lead.Lead;
import com.welcomedly.dialer.engine.persistence.JdbcPool;
import com.welcomedly.dialer.engine.persistence.TestDatabase;
import com.welcomedly.dialer.engine.projection.PooledJdbcSession;
import com.welcomedly.dialer.engine.stats.StatsFigures.AgentHour;
import com.welcomedly.dialer.engine.stats.StatsFigures.AgentStats;
import com.welcomedly.dialer.engine.stats.StatsFigures.CampaignHour;
import com.welcomedly.dialer.engine.stats.StatsFigures.CampaignStats;
import com.welcomedly.dialer.engine.stats.StatsFigures.Categories;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The statistics handlers and {@link StatsQuery} on real PostgreSQL, fed with events at chosen
 * times (the projections themselves are not started here, so nothing else writes the tables): the
 * funnel per hour, dispositions by category, the abandon rate of each ledger window and the agents'
 * time accounting across an hour boundary.
 */
class StatsQueryIntegrationTest {

  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.HOURS).plusSeconds(1800);
  private static final Instant TWO_HOURS_AGO = NOW.minus(Duration.ofHours(2));
  private static final Disposition.Category SUCCESS = Disposition.Category.SUCCESS;

  private static ActorTestKit testKit;
  private static StatsQuery query;
  private static long sequence;

  @BeforeAll
  static void setUp() throws Exception {
    testKit = ActorTestKit.create("stats", TestDatabase.config(TestDatabase.fresh("stats")));
    query = new StatsQuery(JdbcPool.get(testKit.system()));

    // Outside both ledger windows: 40 days ago.
    abandoned("c1", "old", NOW.minus(Duration.ofDays(40)));
    // In the US 30-day window only: 10 days ago, 3 connected and 1 abandoned.
    for (int i = 0; i < 3; i++) {
      connected("c1", "ten-" + i, NOW.minus(Duration.ofDays(10)), "SALE", SUCCESS, "a1");
    }
    abandoned("c1", "ten-a", NOW.minus(Duration.ofDays(10)));
    // Just outside the 24 hours (more than the ledger's one-minute rounding): US only.
    abandoned("c1", "edge", NOW.minus(Duration.ofHours(24)).minus(Duration.ofMinutes(2)));
    // In both windows: two hours ago, 4 connected, 1 abandoned, 1 machine, 1 no answer.
    for (int i = 0; i < 4; i++) {
      connected(
          "c1",
          "now-" + i,
          TWO_HOURS_AGO,
          i == 0 ? "NOT_INTERESTED" : "SALE",
          i == 0 ? Disposition.Category.UNSUCCESSFUL : SUCCESS,
          "a1");
    }
    abandoned("c1", "now-a", TWO_HOURS_AGO);
    ended("c1", "now-m", TWO_HOURS_AGO, Lead.CallOutcome.MACHINE, Disposition.MACHINE);
    ended("c1", "now-n", TWO_HOURS_AGO, Lead.CallOutcome.NO_ANSWER, Disposition.NO_ANSWER);
    // Another campaign's call never shows in c1.
    abandoned("c2", "other", TWO_HOURS_AGO);

    agentDay();
    agentOnACall();
  }

  @AfterAll
  static void tearDown() {
    testKit.shutdownTestKit();
  }

  @Test
  void abandonRateOfEachLedgerWindowIsAbandonsOverLiveAnswers() throws Exception {
    CampaignStats stats = query.campaign("c1", NOW).toCompletableFuture().get();
    // 24 h: the four connects and one abandon two hours ago.
    assertEquals(5, stats.uk24Hours().liveAnswers());
    assertEquals(1, stats.uk24Hours().abandons());
    assertEquals(0.2, stats.uk24Hours().rate(), 1e-9);
    // 30 days: also the ten-day-old calls and the one just outside the 24 hours; not the old one.
    assertEquals(5 + 4 + 1, stats.us30Days().liveAnswers());
    assertEquals(3, stats.us30Days().abandons());
    assertEquals(0.3, stats.us30Days().rate(), 1e-9);
    // Since the beginning, every call.
    assertEquals(11, stats.totals().liveAnswers());
    assertEquals(4, stats.totals().abandons());
    assertEquals(7, stats.totals().connects());
    assertEquals(1, stats.totals().machines());
    assertEquals(13, stats.totals().dials());
  }

  @Test
  void aConnectAfterTheConnectDeadlineIsCountedAsAnAbandonNotAConnect() throws Exception {
    String campaign = "c-late";
    lead(new Lead.AgentConnected("late", campaign, "att-late", "a1", true, TWO_HOURS_AGO));
    lead(new Lead.AgentConnected("on-time", campaign, "att-on-time", "a1", false, TWO_HOURS_AGO));
    CampaignStats stats = query.campaign(campaign, NOW).toCompletableFuture().get();
    assertEquals(2, stats.totals().liveAnswers());
    assertEquals(1, stats.totals().abandons());
    assertEquals(1, stats.totals().connects());
    assertEquals(2, stats.uk24Hours().liveAnswers());
    assertEquals(1, stats.uk24Hours().abandons());
    assertEquals(1, stats.us30Days().abandons());
  }

  @Test
  void dispositionsCountByCategoryIncludingTheDialersOwn() throws Exception {
    CampaignStats stats = query.campaign("c1", NOW).toCompletableFuture().get();
    // 6 sales; NOT_INTERESTED; the dialer's DROPPED x4, MACHINE, NO_ANSWER are NO_CONTACT.
    assertEquals(new Categories(6, 6, 0, 1), stats.dispositions());
    assertEquals(6L, stats.dispositionsByCode().get("SALE"));
    assertEquals(4L, stats.dispositionsByCode().get(Disposition.DROPPED));
    assertEquals(4L, stats.outcomes().get("ABANDONED"));
    assertEquals(7L, stats.outcomes().get("COMPLETED"));
  }

  @Test
  void hourlyRowsHoldEachHoursFunnel() throws Exception {
    List<CampaignHour> hours =
        query.hourly("c1", NOW.minus(Duration.ofHours(3)), NOW).toCompletableFuture().get();
    CampaignHour twoHoursAgo =
        hours.stream()
            .filter(h -> h.hour().equals(TWO_HOURS_AGO.truncatedTo(ChronoUnit.HOURS)))
            .findFirst()
            .orElseThrow();
    assertEquals(7, twoHoursAgo.funnel().dials());
    assertEquals(5, twoHoursAgo.funnel().liveAnswers());
    assertEquals(1, twoHoursAgo.funnel().abandons());
    assertEquals(1, twoHoursAgo.funnel().machines());
    assertEquals(new Categories(3, 3, 0, 1), twoHoursAgo.dispositions());
    // Rows only for hours with activity, all inside the range.
    hours.forEach(
        h -> {
          assertEquals(
              false,
              h.hour().isBefore(NOW.minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.HOURS)));
          assertEquals(true, h.hour().isBefore(NOW));
        });
  }

  @Test
  void agentTimeIsAccountedPerStatusAndSplitAtTheHour() throws Exception {
    Instant hour = agentHour();
    List<AgentHour> rows =
        query.agentHours("c3", hour, hour.plus(Duration.ofHours(2))).toCompletableFuture().get();
    assertEquals(2, rows.size());
    AgentHour first = rows.get(0);
    AgentHour second = rows.get(1);
    assertEquals(hour, first.hour());
    assertEquals(300, first.time().readySeconds(), 1e-6);
    assertEquals(10, first.time().reservedSeconds(), 1e-6);
    assertEquals(290, first.time().talkSeconds(), 1e-6);
    assertEquals(1, first.time().callsHandled());
    assertEquals(240, second.time().readySeconds(), 1e-6);
    assertEquals(300, second.time().talkSeconds(), 1e-6);
    assertEquals(60, second.time().wrapSeconds(), 1e-6);
    assertEquals(600, second.time().pausedSeconds(), 1e-6);

    List<AgentStats> agents = query.agents("c3", NOW).toCompletableFuture().get();
    assertEquals(1, agents.size());
    AgentStats a2 = agents.get(0);
    assertEquals("a2", a2.agentId());
    assertEquals(1800, a2.time().loggedInSeconds(), 1e-6);
    assertEquals(650.0 / 1800, a2.time().occupancy(), 1e-9);
    assertEquals(590, a2.time().averageTalkSeconds(), 1e-6);
    assertEquals(60, a2.time().averageWrapSeconds(), 1e-6);
    assertEquals(new Categories(1, 0, 0, 0), a2.dispositions());

    CampaignStats campaign = query.campaign("c3", NOW).toCompletableFuture().get();
    assertEquals(650.0 / 1800, campaign.agentTime().occupancy(), 1e-9);
  }

  @Test
  void agentsOfTheDialingCampaignGetTheirDispositions() throws Exception {
    List<AgentStats> agents = query.agents("c1", NOW).toCompletableFuture().get();
    assertEquals(List.of("a1"), agents.stream().map(AgentStats::agentId).toList());
    assertEquals(new Categories(6, 0, 0, 1), agents.get(0).dispositions());
  }

  @Test
  void liveTotalsIncludeTheStretchAnAgentIsStillIn() throws Exception {
    Instant now = ON_CALL_SINCE.plusSeconds(60);
    AgentStats a3 = query.agents("c4", now).toCompletableFuture().get().get(0);
    assertEquals("a3", a3.agentId());
    assertEquals(10, a3.time().readySeconds(), 1e-6);
    assertEquals(10, a3.time().reservedSeconds(), 1e-6);
    assertEquals(60, a3.time().talkSeconds(), 1e-6, "the call still running");
    assertEquals(1, a3.time().callsHandled());
    CampaignStats campaign = query.campaign("c4", now).toCompletableFuture().get();
    assertEquals(60.0 / 80, campaign.agentTime().occupancy(), 1e-9);
    // Another campaign of the agent's does not get the call's time.
    assertEquals(
        0, query.campaign("c5", now).toCompletableFuture().get().agentTime().talkSeconds(), 1e-9);
  }

  private static final Instant ON_CALL_SINCE = NOW.minus(Duration.ofHours(3)).plusSeconds(20);

  private static void agentOnACall() throws Exception {
    Instant start = ON_CALL_SINCE.minusSeconds(20);
    Agent.CallRef call = new Agent.CallRef("att-a3", "lead-a3", "c4");
    agent(
        new Agent.Configured(
            "a3", null, "Bo", null, "PJSIP/a3", Set.of(), Set.of("c4", "c5"), "admin", start));
    agent(
        new Agent.LoggedIn(
            "a3", "s3", "PJSIP/a3", Set.of("c4", "c5"), Duration.ofMinutes(1), start));
    agent(
        new Agent.Reserved(
            "a3",
            call,
            new Agent.WrapUpPolicy(Duration.ofMinutes(2), "SALE"),
            start.plusSeconds(10)));
    agent(new Agent.CallConnected("a3", call, "PJSIP/a3", ON_CALL_SINCE));
  }

  // ---- the agent's half hour: 10 min before an hour boundary to 20 min after ----

  private static Instant agentHour() {
    return NOW.minus(Duration.ofHours(5)).truncatedTo(ChronoUnit.HOURS);
  }

  private static void agentDay() throws Exception {
    Instant start = agentHour().plus(Duration.ofMinutes(50));
    Agent.CallRef call = new Agent.CallRef("att-a2", "lead-a2", "c3");
    agent(
        new Agent.Configured(
            "a2",
            null,
            "Ann",
            null,
            "PJSIP/a2",
            Set.of(),
            Set.of("c3"),
            "admin",
            start.minusSeconds(60)));
    agent(new Agent.LoggedIn("a2", "s1", "PJSIP/a2", Set.of("c3"), Duration.ofMinutes(1), start));
    agent(
        new Agent.Reserved(
            "a2",
            call,
            new Agent.WrapUpPolicy(Duration.ofMinutes(2), "SALE"),
            start.plusSeconds(300)));
    agent(new Agent.CallConnected("a2", call, "PJSIP/a2", start.plusSeconds(310)));
    agent(
        new Agent.PauseRequested(
            "a2", Agent.Status.ON_CALL, Agent.PauseReason.BREAK, start.plusSeconds(400)));
    agent(new Agent.CallEnded("a2", call, start.plusSeconds(960), start.plusSeconds(900)));
    agent(
        new Agent.WrapUpCompleted(
            "a2",
            call,
            "SALE",
            null,
            null,
            false,
            false,
            Agent.Status.READY,
            null,
            start.plusSeconds(960)));
    lead(
        new Lead.DispositionRecorded(
            "lead-a2",
            "c3",
            "att-a2",
            "a2",
            "SALE",
            SUCCESS,
            null,
            false,
            Lead.Status.DONE,
            null,
            null,
            start.plusSeconds(960)));
    agent(
        new Agent.Paused(
            "a2", Agent.Status.READY, Agent.PauseReason.BREAK, start.plusSeconds(1200)));
    agent(new Agent.LoggedOut("a2", Agent.Status.PAUSED, null, start.plusSeconds(1800)));
  }

  // ---- lead event helpers ----

  private static void connected(
      String campaign,
      String lead,
      Instant at,
      String code,
      Disposition.Category category,
      String agent)
      throws Exception {
    String attempt = "att-" + lead;
    lead(new Lead.DialStarted(lead, campaign, attempt, at.plusSeconds(60), at));
    lead(new Lead.CallAnswered(lead, campaign, attempt, at));
    lead(new Lead.AgentConnected(lead, campaign, attempt, agent, at));
    lead(
        new Lead.CallEnded(
            lead,
            campaign,
            attempt,
            Lead.CallOutcome.COMPLETED,
            null,
            Lead.Status.WRAP_UP,
            null,
            at));
    lead(
        new Lead.DispositionRecorded(
            lead,
            campaign,
            attempt,
            agent,
            code,
            category,
            null,
            false,
            Lead.Status.DONE,
            null,
            null,
            at));
  }

  private static void abandoned(String campaign, String lead, Instant at) throws Exception {
    String attempt = "att-" + lead;
    lead(new Lead.DialStarted(lead, campaign, attempt, at.plusSeconds(60), at));
    lead(new Lead.CallAnswered(lead, campaign, attempt, at));
    lead(
        new Lead.CallEnded(
            lead,
            campaign,
            attempt,
            Lead.CallOutcome.ABANDONED,
            Disposition.DROPPED,
            Lead.Status.QUEUED,
            at,
            at));
  }

  private static void ended(
      String campaign, String lead, Instant at, Lead.CallOutcome outcome, String code)
      throws Exception {
    String attempt = "att-" + lead;
    lead(new Lead.DialStarted(lead, campaign, attempt, at.plusSeconds(60), at));
    lead(new Lead.CallEnded(lead, campaign, attempt, outcome, code, Lead.Status.QUEUED, at, at));
  }

  private static void lead(Lead.Event event) throws Exception {
    process(new CampaignStatsProjectionHandler(), event, "Lead|" + event.leadId());
  }

  private static void agent(Agent.Event event) throws Exception {
    process(new AgentStatsProjectionHandler(), event, "Agent|" + event.agentId());
  }

  private static <E> void process(
      org.apache.pekko.projection.jdbc.javadsl.JdbcHandler<EventEnvelope<E>, PooledJdbcSession>
          handler,
      E event,
      String persistenceId)
      throws Exception {
    PooledJdbcSession session = new PooledJdbcSession(JdbcPool.get(testKit.system()));
    try {
      sequence++;
      handler.process(
          session,
          EventEnvelope.create(Offset.sequence(sequence), persistenceId, sequence, event, 0L));
      session.commit();
    } finally {
      session.close();
    }
  }
}
