package com.welcomedly.dialer.engine.dialing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.welcomedly.dialer.engine.Engine;
import com.welcomedly.dialer.engine.lead.Attempt;
import com.welcomedly.dialer.engine.lead.Lead;
import com.welcomedly.dialer.engine.persistence.DatabaseSettings;
import com.welcomedly.dialer.engine.persistence.TestDatabase;
import com.welcomedly.dialer.sim.AmiSimulator;
import com.welcomedly.dialer.sim.SimulatorSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Node loss mid-campaign: two cluster nodes in this JVM on one database, each with its own AMI
 * gateway connected to the same simulator. While calls are up, the ActorSystem hosting the
 * campaign's dialer is terminated without leaving the cluster (as a crash would), and the survivor
 * downs it by hand ({@code Cluster.manager().tell(Down)}, standing in for the split-brain resolver,
 * whose 2-node keep-majority decision is not what this test is about). The campaign goes on on the
 * survivor to the end: the new dialer adopts the calls left in flight, every lead ends final, no
 * attempt is lost and none overlaps another of its lead.
 */
@ExtendWith(LogCapturingExtension.class)
class CampaignFailoverIntegrationTest {

  private static final String CAMPAIGN = "c-failover";
  private static final Set<String> AGENTS = Set.of("f-1", "f-2", "f-3");

  private static AmiSimulator simulator;
  private static ActorTestKit first;
  private static ActorTestKit second;

  @BeforeAll
  static void start() throws Exception {
    simulator =
        AmiSimulator.start(
            SimulatorSettings.defaults().withPort(0).withScriptPrefix("12127").withSeed(13));
    DatabaseSettings database = TestDatabase.fresh("dialer_failover");
    first = DialingSteps.startNode("failover", database, simulator.port(), crashable());
    Cluster firstCluster = Cluster.get(first.system());
    firstCluster.manager().tell(Join.create(firstCluster.selfMember().address()));
    DialingSteps.awaitUp(first);
    second = DialingSteps.startNode("failover", database, simulator.port(), crashable());
    Cluster.get(second.system()).manager().tell(Join.create(firstCluster.selfMember().address()));
    DialingSteps.awaitUp(second);
    first
        .createTestProbe()
        .awaitAssert(
            DialingSteps.TIMEOUT,
            () -> {
              assertEquals(2, firstCluster.state().members().size());
              return null;
            });
    Engine.init(first.system());
    Engine.init(second.system());
  }

  /**
   * Terminating the system must not leave the cluster gracefully (that would hand shards over): it
   * has to look like a crash. The resolver waits long enough for the test to down by hand; the
   * removal margin (by default the resolver's stable-after, during which sharding keeps the dead
   * node's shards) is short, so the shards move as soon as the dead node is removed; a rebalance
   * that the crash interrupts (shards still move to the second node after it joined) gives up after
   * the hand-off timeout, 5 s here instead of a minute.
   */
  private static Config crashable() {
    return ConfigFactory.parseString(
        "pekko.coordinated-shutdown.run-by-actor-system-terminate = off\n"
            + "pekko.cluster.split-brain-resolver.stable-after = 120s\n"
            + "pekko.cluster.down-removal-margin = 1s\n"
            + "pekko.cluster.sharding.handoff-timeout = 5s");
  }

  @AfterAll
  static void stop() {
    for (ActorTestKit node : List.of(first, second)) {
      if (!node.system().whenTerminated().isCompleted()) {
        node.shutdownTestKit();
      }
    }
    simulator.close();
  }

  @Test
  void theCampaignGoesOnOnTheSurvivorWithNoLostOrDuplicatedAttempt() throws Exception {
    DialingSteps steps = new DialingSteps(first);
    steps.createCampaign(
        CAMPAIGN, "Failover", DialingSteps.fastConfig(AGENTS, false, Duration.ofSeconds(1)));
    Map<String, String> leads = new LinkedHashMap<>();
    for (int i = 0; i < 6; i++) {
      leads.put("fo-live-" + i, "+121271050" + (80 + i)); // answers after 0.5 s, talks 8 s
    }
    leads.put("fo-slow-live", "+12127130090"); // answers after 3 s, talks 9 s
    leads.put("fo-busy", "+12127300004");
    leads.put("fo-no-answer", "+12127420004"); // gives up after 2 s
    leads.put("fo-invalid", "+12127600004");
    leads.forEach(
        (id, number) -> steps.importLead(CAMPAIGN, id, number, id.contains("live") ? 5 : 1));
    for (String agent : AGENTS) {
      steps.logIn(agent, CAMPAIGN);
    }
    steps.startCampaign(CAMPAIGN);

    // Kill the dialer's node while calls are connected to agents.
    first
        .createTestProbe()
        .awaitAssert(
            DialingSteps.TIMEOUT,
            Duration.ofMillis(100),
            () -> {
              long connected =
                  leads.keySet().stream()
                      .filter(id -> steps.lead(id).status() == Lead.Status.CONNECTED)
                      .count();
              assertTrue(connected >= 2, connected + " connected");
              return null;
            });
    // The calls connected now: a CONNECTED lead has no timer of its own, so only the new dialer
    // adopting the call can end these attempts.
    Map<String, String> connectedAtKill = new LinkedHashMap<>();
    for (String id : leads.keySet()) {
      Lead.Summary lead = steps.lead(id);
      if (lead.status() == Lead.Status.CONNECTED) {
        connectedAtKill.put(id, lead.attempts().get(lead.attempts().size() - 1).attemptId());
      }
    }
    ActorTestKit victim = hostOfDialer(first) ? first : second;
    ActorTestKit survivor = victim == first ? second : first;
    int inFlight = new DialingSteps(victim).dialerStatus(CAMPAIGN).callsInFlight();
    assertTrue(inFlight > 0, "calls in flight when the node dies");
    Address dead = Cluster.get(victim.system()).selfMember().address();
    victim.system().terminate();
    victim.system().getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    Cluster.get(survivor.system()).manager().tell(new Down(dead));
    survivor
        .createTestProbe()
        .awaitAssert(
            DialingSteps.TIMEOUT,
            () -> {
              assertEquals(1, Cluster.get(survivor.system()).state().members().size());
              assertEquals(MemberStatus.up(), Cluster.get(survivor.system()).selfMember().status());
              return null;
            });

    // Everything ends on the survivor: every lead final, every attempt closed.
    DialingSteps after = new DialingSteps(survivor);
    Duration toTheEnd = Duration.ofSeconds(60);
    Set<String> attemptIds = new HashSet<>();
    List<String> histories = new ArrayList<>();
    for (String id : leads.keySet()) {
      Lead.Summary lead =
          survivor
              .createTestProbe()
              .awaitAssert(
                  toTheEnd,
                  Duration.ofMillis(250),
                  () -> {
                    Lead.Summary summary = after.lead(id);
                    assertTrue(
                        Set.of(Lead.Status.DONE, Lead.Status.EXHAUSTED).contains(summary.status()),
                        id + " is " + summary.status());
                    return summary;
                  });
      histories.add(id + " " + DialingSteps.outcomes(lead));
      DialingSteps.assertAllClosed(lead);
      DialingSteps.assertNoOverlap(lead);
      for (Attempt attempt : lead.attempts()) {
        assertTrue(attemptIds.add(attempt.attemptId()), "attempt ids unique across leads");
        assertTrue(
            attempt.outcome() != null || attempt.releasedReason() != null,
            id + ": every attempt has a result");
      }
      if (connectedAtKill.containsKey(id)) {
        Attempt adopted =
            lead.attempts().stream()
                .filter(a -> a.attemptId().equals(connectedAtKill.get(id)))
                .findFirst()
                .orElseThrow();
        assertEquals(Lead.CallOutcome.COMPLETED, adopted.outcome(), id + " call up at the kill");
      }
      if (id.contains("live")) {
        assertEquals(Lead.Status.DONE, lead.status(), id);
        Attempt last = lead.attempts().get(lead.attempts().size() - 1);
        assertEquals(Lead.CallOutcome.COMPLETED, last.outcome(), id + " " + histories);
        assertNotNull(last.agentId(), id);
      }
    }
    // The dialer lives on the survivor now and holds nothing.
    survivor
        .createTestProbe()
        .awaitAssert(
            DialingSteps.TIMEOUT,
            () -> {
              assertEquals(0, after.dialerStatus(CAMPAIGN).callsInFlight());
              assertTrue(hostOfDialer(survivor), "dialer on the survivor");
              return null;
            });
  }

  /** Whether {@code node}'s shard region hosts the campaign's dialer entity. */
  private static boolean hostOfDialer(ActorTestKit node) {
    TestProbe<ShardRegion.CurrentShardRegionState> probe = node.createTestProbe();
    ClusterSharding.get(node.system())
        .shardState()
        .tell(new GetShardRegionState(CampaignDialer.ENTITY_KEY, probe.getRef()));
    return probe.receiveMessage(DialingSteps.TIMEOUT).getShards().stream()
        .anyMatch(shard -> shard.getEntityIds().contains(CAMPAIGN));
  }
}
