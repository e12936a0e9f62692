package com.welcomedly.dialer.engine.projection;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.welcomedly.dialer.engine.campaign.Campaign;
import com.welcomedly.dialer.engine.campaign.CampaignConfig;
import com.welcomedly.dialer.engine.compliance.DomainTestSupport;
import com.welcomedly.dialer.engine.persistence.DatabaseSettings;
import com.welcomedly.dialer.engine.persistence.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A read model that meets an event the database refuses (a NUL in a text column) skips it and goes
 * on: campaigns created after the poisoned one still appear. The API never lets such text in; this
 * is the second line of defence.
 */
@ExtendWith(LogCapturingExtension.class)
class SkippingBadEventsIntegrationTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final CampaignConfig CONFIG =
      CampaignConfig.defaults("PJSIP/{number}@carrier", "+12127363100");

  @Test
  void aPoisonedEventIsSkippedAndLaterEventsOfTheSameTagStillArrive() throws Exception {
    onFreshNode(
        "skip_bad_events",
        (testKit, database) -> {
          String poisoned = "poison-1";
          String later = sameTagAs(poisoned);
          create(testKit, poisoned, "a\u0000b", CONFIG);
          create(testKit, later, "After the poison", CONFIG);
          awaitRows(testKit, database, List.of(later));
          assertFalse(rowExists(database, poisoned));
        });
  }

  /**
   * Events arrive in groups, one transaction per group (SkippingBadEvents): a poisoned event among
   * others sent at the same moment rolls the group back and is skipped alone; every event before
   * and after it in the group is stored.
   */
  @Test
  void aPoisonedEventInsideAGroupIsSkippedAloneAndTheRestOfTheGroupIsStored() throws Exception {
    onFreshNode(
        "skip_bad_events_group",
        (testKit, database) -> {
          String poisoned = "poison-2";
          List<String> good = sameTagAs(poisoned, 6);
          TestProbe<StatusReply<Campaign.Summary>> replies = testKit.createTestProbe();
          // All sent at once, so the projection reads them in one poll and applies them as a group.
          for (int i = 0; i < good.size(); i++) {
            if (i == good.size() / 2) {
              send(testKit, poisoned, "x\u0000y", replies);
            }
            send(testKit, good.get(i), "Good " + i, replies);
          }
          for (int i = 0; i <= good.size(); i++) {
            StatusReply<Campaign.Summary> reply = replies.receiveMessage(TIMEOUT);
            assertTrue(reply.isSuccess(), () -> reply.getError().getMessage());
          }
          awaitRows(testKit, database, good);
          assertFalse(rowExists(database, poisoned));
        });
  }

  private interface OnNode {
    void run(ActorTestKit testKit, DatabaseSettings database) throws Exception;
  }

  /** Runs {@code test} on a node of its own with a fresh database. */
  private static void onFreshNode(String name, OnNode test) throws Exception {
    DatabaseSettings database = TestDatabase.fresh(name);
    ActorTestKit testKit = DomainTestSupport.startNode(name.replace('_', '-'), database);
    try {
      test.run(testKit, database);
    } finally {
      testKit.shutdownTestKit();
    }
  }

  /** Waits until the read model shows every campaign of {@code ids}. */
  private static void awaitRows(ActorTestKit testKit, DatabaseSettings db, List<String> ids) {
    TestProbe<Void> probe = testKit.createTestProbe();
    probe.awaitAssert(
        TIMEOUT,
        () -> {
          for (String id : ids) {
            assertTrue(rowExists(db, id), "campaign " + id + " is missing");
          }
          return null;
        });
  }

  /** An id whose events go to the same tag (the same projection instance) as {@code id}'s. */
  private static String sameTagAs(String id) {
    return sameTagAs(id, 1).get(0);
  }

  private static List<String> sameTagAs(String id, int count) {
    int tag = Math.abs(id.hashCode() % Campaign.TAGS.size());
    List<String> found = new ArrayList<>();
    for (int i = 0; found.size() < count; i++) {
      String candidate = "later-" + i;
      if (Math.abs(candidate.hashCode() % Campaign.TAGS.size()) == tag) {
        found.add(candidate);
      }
    }
    return found;
  }

  private static void send(
      ActorTestKit testKit,
      String id,
      String name,
      TestProbe<StatusReply<Campaign.Summary>> replies) {
    ClusterSharding.get(testKit.system())
        .entityRefFor(Campaign.ENTITY_KEY, id)
        .tell(new Campaign.Create(name, CONFIG, "test", replies.getRef()));
  }

  private static void create(ActorTestKit testKit, String id, String name, CampaignConfig config) {
    TestProbe<StatusReply<Campaign.Summary>> probe = testKit.createTestProbe();
    ClusterSharding.get(testKit.system())
        .entityRefFor(Campaign.ENTITY_KEY, id)
        .tell(new Campaign.Create(name, config, "test", probe.getRef()));
    StatusReply<Campaign.Summary> reply = probe.receiveMessage(TIMEOUT);
    assertTrue(reply.isSuccess(), () -> reply.getError().getMessage());
  }

  private static boolean rowExists(DatabaseSettings db, String id) throws Exception {
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        PreparedStatement s =
            c.prepareStatement("SELECT 1 FROM campaign_view WHERE campaign_id = ?")) {
      s.setString(1, id);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next();
      }
    }
  }
}
