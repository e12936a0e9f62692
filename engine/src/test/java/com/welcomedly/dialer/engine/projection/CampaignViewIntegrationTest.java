package com.welcomedly.dialer.engine.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The campaign read model follows a campaign's lifecycle and pacing changes. */
@ExtendWith(LogCapturingExtension.class)
class CampaignViewIntegrationTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Test
  void followsLifecycleAndDialMode() {
    DatabaseSettings database = TestDatabase.fresh("campaign_view");
    ActorTestKit testKit = DomainTestSupport.startNode("campaign-view", database);
    try {
      CampaignConfig config = CampaignConfig.defaults("PJSIP/{number}@carrier", "+12127363100");
      change(testKit, r -> new Campaign.Create("Winter renewals", config, "sam", r));
      awaitRow(testKit, database, "DRAFT", "PROGRESSIVE");

      change(testKit, r -> new Campaign.Start("sam", r));
      CampaignConfig.Pacing predictive =
          new CampaignConfig.Pacing(
              CampaignConfig.DialMode.PREDICTIVE,
              2.5,
              CampaignConfig.AbandonWindow.BOTH,
              3,
              1.5,
              3);
      change(testKit, r -> new Campaign.ChangePacing(predictive, "sam", r));
      awaitRow(testKit, database, "ACTIVE", "PREDICTIVE");

      change(testKit, r -> new Campaign.Pause("lunch", "sam", r));
      awaitRow(testKit, database, "PAUSED", "PREDICTIVE");
      change(testKit, r -> new Campaign.Finish("done", "sam", r));
      awaitRow(testKit, database, "FINISHED", "PREDICTIVE");
    } finally {
      testKit.shutdownTestKit();
    }
  }

  private static void change(
      ActorTestKit testKit,
      Function<ActorRef<StatusReply<Campaign.Summary>>, Campaign.Command> command) {
    TestProbe<StatusReply<Campaign.Summary>> probe = testKit.createTestProbe();
    ClusterSharding.get(testKit.system())
        .entityRefFor(Campaign.ENTITY_KEY, "camp-1")
        .tell(command.apply(probe.getRef()));
    StatusReply<Campaign.Summary> reply = probe.receiveMessage(TIMEOUT);
    assertTrue(reply.isSuccess(), () -> reply.getError().getMessage());
  }

  private static void awaitRow(
      ActorTestKit testKit, DatabaseSettings db, String status, String mode) {
    TestProbe<Void> probe = testKit.createTestProbe();
    probe.awaitAssert(
        TIMEOUT,
        () -> {
          try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
              PreparedStatement s =
                  c.prepareStatement(
                      "SELECT name, status, dial_mode FROM campaign_view WHERE campaign_id = 'camp-1'")) {
            try (ResultSet rs = s.executeQuery()) {
              assertTrue(rs.next(), "no campaign_view row yet");
              assertEquals("Winter renewals", rs.getString(1));
              assertEquals(status, rs.getString(2));
              assertEquals(mode, rs.getString(3));
            }
          }
          return null;
        });
  }
}
