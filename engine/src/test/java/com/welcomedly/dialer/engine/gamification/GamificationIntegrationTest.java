package com.welcomedly.dialer.engine.gamification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import com.welcomedly.dialer.engine.Engine;
import com.welcomedly.dialer.engine.campaign.CampaignConfig;
import com.welcomedly.dialer.engine.compliance.CallingWindow;
import com.welcomedly.dialer.engine.compliance.DialPolicy;
import com.welcomedly.dialer.engine.lead.Lead;
import com.welcomedly.dialer.engine.persistence.DatabaseSettings;
import com.welcomedly.dialer.engine.persistence.JdbcPool;
import com.welcomedly.dialer.engine.persistence.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Points and badges from real Lead events on a real journal, read back as leaderboards; then the
 * projection is rebuilt from an empty offset on a new node and yields the same standings.
 */
@ExtendWith(LogCapturingExtension.class)
class GamificationIntegrationTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String CAMPAIGN = "c-game";
  private static final CampaignConfig CONFIG =
      CampaignConfig.defaults("PJSIP/{number}@carrier", "+12127363100");
  private static final DialPolicy ALWAYS_OPEN =
      new DialPolicy(
          CallingWindow.everyDay(LocalTime.MIN, LocalTime.MAX),
          List.of(),
          Duration.ofHours(72),
          Duration.ofSeconds(30),
          DialPolicy.NumberRotation.ROTATE,
          Duration.ZERO);

  @Test
  void pointsBadgesAndLeaderboardsSurviveARebuildFromTheJournal() throws Exception {
    DatabaseSettings database = TestDatabase.fresh("gamification");
    List<LeaderboardQuery.Standing> before;
    ActorTestKit node = start("game1", database);
    try {
      // a-1: two sales (the campaign's badge threshold is 2 contacts a day), one on time each.
      call(node, "g-1", "a-1", "SALE", false);
      call(node, "g-2", "a-1", "SALE", false);
      // a-2: two contacts without success, one on time (1 + 1) and one timed out (1 - 2): 1.
      call(node, "g-3", "a-2", "NOT_INTERESTED", false);
      call(node, "g-4", "a-2", "NOT_INTERESTED", true);
      // a-3: one contact on time: 2.
      call(node, "g-5", "a-3", "NOT_INTERESTED", false);

      before = awaitStandings(node, 3, 5);
      assertEquals(List.of("a-1", "a-3", "a-2"), before.stream().map(s -> s.agentId()).toList());
      LeaderboardQuery.Standing first = before.get(0);
      // sale: contact 1 + success 10 (campaign override) + on time 1 = 12, twice.
      assertEquals(24, first.points());
      assertEquals(2, first.contacts());
      assertEquals(2, first.successes());
      assertEquals(List.of("CONTACTS_IN_A_DAY", "FIRST_SALE"), first.badges());
      assertEquals(2, before.get(1).points());
      assertEquals(List.of(), before.get(1).badges());
      LeaderboardQuery.Standing last = before.get(2);
      assertEquals(1, last.points());
      assertEquals(1, last.onTimeWrapUps());
      assertEquals(1, last.wrapUpTimeouts());
      assertEquals(List.of("CONTACTS_IN_A_DAY"), last.badges());
      assertEquals(List.of(1, 2, 3), before.stream().map(s -> s.rank()).toList());
      // Everything happened today, so the three periods agree.
      for (LeaderboardQuery.Period period : LeaderboardQuery.Period.values()) {
        assertEquals(before, query(node, period));
      }
    } finally {
      node.shutdownTestKit();
    }

    // Rebuild: an empty read model and no stored offset, then a new node replays the journal.
    try (Connection c =
            DriverManager.getConnection(database.url(), database.user(), database.password());
        Statement s = c.createStatement()) {
      s.executeUpdate("DELETE FROM gamification_agent_day");
      s.executeUpdate("DELETE FROM gamification_badge");
      s.executeUpdate("DELETE FROM gamification_open_call");
      s.executeUpdate(
          "DELETE FROM pekko_projection_offset_store WHERE projection_name = '"
              + GamificationProjection.NAME
              + "'");
    }
    ActorTestKit rebuilt = start("game2", database);
    try {
      List<LeaderboardQuery.Standing> after = awaitStandings(rebuilt, 3, 5);
      assertEquals(before, after);
    } finally {
      rebuilt.shutdownTestKit();
    }
  }

  private static ActorTestKit start(String name, DatabaseSettings database) {
    ActorTestKit node =
        ActorTestKit.create(
            name,
            TestDatabase.config(
                database,
                ConfigFactory.parseMap(
                    Map.of(
                        "dialer.gamification.campaigns.c-game.success", 10,
                        "dialer.gamification.campaigns.c-game.contacts-per-day-badge", 2))));
    Cluster cluster = Cluster.get(node.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    node.createTestProbe()
        .awaitAssert(
            TIMEOUT,
            () -> {
              assertEquals(MemberStatus.up(), cluster.selfMember().status());
              return null;
            });
    Engine.init(node.system());
    return node;
  }

  /** A connected call of {@code agent} on a new lead, ended and dispositioned. */
  private static void call(
      ActorTestKit node, String leadId, String agent, String code, boolean byTimeout) {
    String attempt = "att-" + leadId;
    ok(
        node,
        leadId,
        r ->
            new Lead.Import(CAMPAIGN, List.of("+12127363150"), "America/New_York", 1, Map.of(), r));
    TestProbe<StatusReply<Lead.Reservation>> reserved = node.createTestProbe();
    ClusterSharding.get(node.system())
        .entityRefFor(Lead.ENTITY_KEY, leadId)
        .tell(new Lead.ReserveForDial(attempt, ALWAYS_OPEN, null, reserved.getRef()));
    assertTrue(reserved.receiveMessage(TIMEOUT).isSuccess());
    ok(node, leadId, r -> new Lead.MarkDialing(attempt, Duration.ofMinutes(1), r));
    ok(node, leadId, r -> new Lead.MarkAnswered(attempt, r));
    ok(node, leadId, r -> new Lead.MarkConnected(attempt, agent, r));
    ok(
        node,
        leadId,
        r -> new Lead.RecordCallEnd(attempt, Lead.CallOutcome.COMPLETED, null, null, r));
    ok(
        node,
        leadId,
        r ->
            new Lead.RecordDisposition(
                attempt,
                agent,
                CONFIG.disposition(code).orElseThrow(),
                null,
                null,
                false,
                Duration.ZERO,
                byTimeout,
                r));
  }

  private static void ok(
      ActorTestKit node,
      String leadId,
      Function<ActorRef<StatusReply<Lead.Summary>>, Lead.Command> command) {
    TestProbe<StatusReply<Lead.Summary>> probe = node.createTestProbe();
    ClusterSharding.get(node.system())
        .entityRefFor(Lead.ENTITY_KEY, leadId)
        .tell(command.apply(probe.getRef()));
    StatusReply<Lead.Summary> reply = probe.receiveMessage(TIMEOUT);
    assertTrue(reply.isSuccess(), () -> reply.getError().getMessage());
  }

  /** Waits until the campaign board has {@code agents} agents and {@code dispositions} scored. */
  private static List<LeaderboardQuery.Standing> awaitStandings(
      ActorTestKit node, int agents, int dispositions) {
    return node.createTestProbe()
        .awaitAssert(
            TIMEOUT,
            Duration.ofMillis(200),
            () -> {
              List<LeaderboardQuery.Standing> board = query(node, LeaderboardQuery.Period.CAMPAIGN);
              assertEquals(agents, board.size());
              assertEquals(
                  dispositions,
                  board.stream().mapToLong(s -> s.onTimeWrapUps() + s.wrapUpTimeouts()).sum());
              return board;
            });
  }

  private static List<LeaderboardQuery.Standing> query(
      ActorTestKit node, LeaderboardQuery.Period period) {
    return new LeaderboardQuery(JdbcPool.get(node.system()))
        .leaderboard(CAMPAIGN, period, Instant.now())
        .toCompletableFuture()
        .join();
  }
}
