package com.welcomedly.dialer.engine.agent;

import static com.welcomedly.dialer.engine.compliance.DomainTestSupport.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.welcomedly.dialer.engine.compliance.DomainTestSupport;
import com.welcomedly.dialer.engine.persistence.DatabaseSettings;
import com.welcomedly.dialer.engine.persistence.TestDatabase;
import java.time.Duration;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** An agent on a call, persisted through sharding on PostgreSQL, is still on it after a restart. */
@ExtendWith(LogCapturingExtension.class)
class AgentIntegrationTest {

  private static final Agent.CallRef CALL = new Agent.CallRef("att-1", "l-1", "c-1");

  @Test
  void anAgentOnACallIsStillOnItAfterARestart() {
    DatabaseSettings database = TestDatabase.fresh("agent_recovery");
    ActorTestKit first = DomainTestSupport.startNode("agent1", database);
    try {
      EntityRef<Agent.Command> agent = agent(first, "a-42");
      TestProbe<StatusReply<Agent.Summary>> replies = first.createTestProbe();
      agent.tell(new Agent.Configure("Ann", "PJSIP/ann", Set.of("c-1"), "admin", replies.getRef()));
      assertTrue(replies.receiveMessage(TIMEOUT).isSuccess());
      agent.tell(new Agent.LogIn(Duration.ofMinutes(5), replies.getRef()));
      assertTrue(replies.receiveMessage(TIMEOUT).isSuccess());
      agent.tell(
          new Agent.Reserve(
              CALL, new Agent.WrapUpPolicy(Duration.ofMinutes(1), "HUNG_UP"), replies.getRef()));
      assertTrue(replies.receiveMessage(TIMEOUT).isSuccess());
      agent.tell(new Agent.ConnectCall("att-1", replies.getRef()));
      assertEquals(Agent.Status.ON_CALL, replies.receiveMessage(TIMEOUT).getValue().status());
    } finally {
      first.shutdownTestKit();
    }

    ActorTestKit second = DomainTestSupport.startNode("agent2", database);
    try {
      EntityRef<Agent.Command> agent = agent(second, "a-42");
      TestProbe<Agent.Summary> summary = second.createTestProbe();
      agent.tell(new Agent.GetSummary(summary.getRef()));
      Agent.Summary after = summary.receiveMessage(TIMEOUT);
      assertEquals(Agent.Status.ON_CALL, after.status());
      assertEquals(CALL, after.call());
      assertEquals("PJSIP/ann", after.phoneEndpoint());
      assertTrue(after.session().timeInStatus().containsKey(Agent.Status.READY));

      TestProbe<StatusReply<Agent.Summary>> replies = second.createTestProbe();
      agent.tell(new Agent.EndCall("att-1", replies.getRef()));
      assertEquals(Agent.Status.WRAP_UP, replies.receiveMessage(TIMEOUT).getValue().status());
    } finally {
      second.shutdownTestKit();
    }
  }

  private static EntityRef<Agent.Command> agent(ActorTestKit node, String id) {
    return ClusterSharding.get(node.system()).entityRefFor(Agent.ENTITY_KEY, id);
  }
}
