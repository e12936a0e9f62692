package com.welcomedly.dialer.engine.campaign;

import static com.welcomedly.dialer.engine.compliance.DomainTestSupport.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.welcomedly.dialer.engine.compliance.DomainTestSupport;
import com.welcomedly.dialer.engine.persistence.DatabaseSettings;
import com.welcomedly.dialer.engine.persistence.TestDatabase;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A campaign persisted through sharding on real PostgreSQL survives a full restart. */
@ExtendWith(LogCapturingExtension.class)
class CampaignIntegrationTest {

  @Test
  void configLifecycleAndPacingHistorySurviveARestart() {
    DatabaseSettings database = TestDatabase.fresh("campaign_recovery");
    CampaignConfig config = CampaignConfig.defaults("PJSIP/{number}@carrier", "+15550100");
    CampaignConfig.Pacing power =
        new CampaignConfig.Pacing(
            CampaignConfig.DialMode.POWER, 2.0, CampaignConfig.AbandonWindow.UK_24H, 3, 2.5, 2);
    Campaign.Summary before;

    ActorTestKit first = DomainTestSupport.startNode("campaign1", database);
    try {
      EntityRef<Campaign.Command> campaign = campaign(first, "c-42");
      TestProbe<StatusReply<Campaign.Summary>> replies = first.createTestProbe();
      campaign.tell(new Campaign.Create("Renewals", config, "sup-1", replies.getRef()));
      assertTrue(replies.receiveMessage(TIMEOUT).isSuccess());
      campaign.tell(new Campaign.Start("sup-1", replies.getRef()));
      assertTrue(replies.receiveMessage(TIMEOUT).isSuccess());
      campaign.tell(new Campaign.ChangePacing(power, "sup-2", replies.getRef()));
      before = replies.receiveMessage(TIMEOUT).getValue();
    } finally {
      first.shutdownTestKit();
    }

    ActorTestKit second = DomainTestSupport.startNode("campaign2", database);
    try {
      EntityRef<Campaign.Command> campaign = campaign(second, "c-42");
      TestProbe<Campaign.Summary> summary = second.createTestProbe();
      campaign.tell(new Campaign.GetSummary(summary.getRef()));
      Campaign.Summary after = summary.receiveMessage(TIMEOUT);
      assertEquals(before, after);
      assertEquals(Campaign.Status.ACTIVE, after.status());
      assertEquals(power, after.config().pacing());

      TestProbe<StatusReply<Campaign.Summary>> replies = second.createTestProbe();
      campaign.tell(new Campaign.Start("sup-1", replies.getRef()));
      assertTrue(replies.receiveMessage(TIMEOUT).isError());
      campaign.tell(new Campaign.Pause("break", "sup-1", replies.getRef()));
      assertEquals(Campaign.Status.PAUSED, replies.receiveMessage(TIMEOUT).getValue().status());
    } finally {
      second.shutdownTestKit();
    }
  }

  private static EntityRef<Campaign.Command> campaign(ActorTestKit node, String id) {
    return ClusterSharding.get(node.system()).entityRefFor(Campaign.ENTITY_KEY, id);
  }
}
