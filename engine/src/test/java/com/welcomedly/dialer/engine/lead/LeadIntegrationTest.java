package com.welcomedly.dialer.engine.lead;

import static com.welcomedly.dialer.engine.compliance.DomainTestSupport.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.welcomedly.dialer.engine.campaign.CampaignConfig;
import com.welcomedly.dialer.engine.compliance.CallingWindow;
import com.welcomedly.dialer.engine.compliance.DialPolicy;
import com.welcomedly.dialer.engine.compliance.DomainTestSupport;
import com.welcomedly.dialer.engine.persistence.DatabaseSettings;
import com.welcomedly.dialer.engine.persistence.TestDatabase;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A lead and its attempt history, persisted through sharding on PostgreSQL, survive a restart. */
@ExtendWith(LogCapturingExtension.class)
class LeadIntegrationTest {

  private static final CampaignConfig CAMPAIGN =
      CampaignConfig.defaults("PJSIP/{number}@carrier", "+15550100");

  @Test
  void attemptHistoryAndRetryTimeSurviveARestart() {
    DatabaseSettings database = TestDatabase.fresh("lead_recovery");
    // The sharded entity runs on the real clock: a window open all day keeps the test time-proof.
    DialPolicy anyTime =
        new DialPolicy(
            CallingWindow.everyDay(LocalTime.MIN, LocalTime.MAX),
            List.of(),
            Duration.ofHours(72),
            Duration.ofSeconds(30),
            DialPolicy.NumberRotation.ROTATE,
            Duration.ZERO);
    Lead.Summary before;

    ActorTestKit first = DomainTestSupport.startNode("lead1", database);
    try {
      EntityRef<Lead.Command> lead = lead(first, "l-42");
      TestProbe<StatusReply<Lead.Summary>> replies = first.createTestProbe();
      lead.tell(
          new Lead.Import(
              "c-1", List.of("+12127363100"), "UTC", 3, Map.of("plan", "gold"), replies.getRef()));
      assertTrue(replies.receiveMessage(TIMEOUT).isSuccess());
      TestProbe<StatusReply<Lead.Reservation>> reservations = first.createTestProbe();
      lead.tell(new Lead.ReserveForDial("att-1", anyTime, null, reservations.getRef()));
      assertTrue(reservations.receiveMessage(TIMEOUT).isSuccess());
      lead.tell(new Lead.MarkDialing("att-1", Duration.ofSeconds(60), replies.getRef()));
      assertTrue(replies.receiveMessage(TIMEOUT).isSuccess());
      lead.tell(
          new Lead.RecordCallEnd(
              "att-1",
              Lead.CallOutcome.NO_ANSWER,
              CAMPAIGN.disposition("NO_ANSWER").orElseThrow(),
              null,
              replies.getRef()));
      before = replies.receiveMessage(TIMEOUT).getValue();
      assertEquals(Lead.Status.QUEUED, before.status());
    } finally {
      first.shutdownTestKit();
    }

    ActorTestKit second = DomainTestSupport.startNode("lead2", database);
    try {
      EntityRef<Lead.Command> lead = lead(second, "l-42");
      TestProbe<Lead.Summary> summary = second.createTestProbe();
      lead.tell(new Lead.GetSummary(summary.getRef()));
      assertEquals(before, summary.receiveMessage(TIMEOUT));

      TestProbe<StatusReply<Lead.Reservation>> reservations = second.createTestProbe();
      lead.tell(new Lead.ReserveForDial("att-2", anyTime, null, reservations.getRef()));
      assertTrue(
          reservations
              .receiveMessage(TIMEOUT)
              .getError()
              .getMessage()
              .startsWith("next attempt not before"));
    } finally {
      second.shutdownTestKit();
    }
  }

  private static EntityRef<Lead.Command> lead(ActorTestKit node, String id) {
    return ClusterSharding.get(node.system()).entityRefFor(Lead.ENTITY_KEY, id);
  }
}
