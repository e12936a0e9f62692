package com.welcomedly.dialer.engine.dialing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.welcomedly.dialer.engine.Engine;
import com.welcomedly.dialer.engine.agent.Agent;
import com.welcomedly.dialer.engine.campaign.Campaign;
import com.welcomedly.dialer.engine.campaign.CampaignConfig;
import com.welcomedly.dialer.engine.campaign.Disposition;
import com.welcomedly.dialer.engine.compliance.CallingWindow;
import com.welcomedly.dialer.engine.lead.Attempt;
import com.welcomedly.dialer.engine.lead.Lead;
import com.welcomedly.dialer.engine.persistence.DatabaseSettings;
import com.welcomedly.dialer.engine.persistence.TestDatabase;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.pattern.StatusReply;

/**
 * What the dialing end-to-end tests do to a node: create campaigns, import leads, drive agents, and
 * read leads and dialers back — all through the entities, as the API would. Bound to the testkit of
 * the node the steps go through (any node of the cluster reaches every entity).
 */
final class DialingSteps {

  static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final ActorTestKit testKit;

  /** A node on {@code database} whose gateway talks to the simulator on {@code amiPort}. */
  static ActorTestKit startNode(
      String name, DatabaseSettings database, int amiPort, Config overrides) {
    return ActorTestKit.create(
        name,
        TestDatabase.config(
            database,
            overrides.withFallback(
                ConfigFactory.parseMap(
                    Map.of(
                        "dialer.telephony.ami.port", amiPort,
                        "dialer.telephony.ami.username", "dialer",
                        "dialer.telephony.ami.secret", "dialer")))));
  }

  /**
   * A one-node cluster on a fresh database with the engine started, its gateway talking to the
   * simulator on {@code amiPort}.
   */
  static ActorTestKit startSingleNode(String name, int amiPort) {
    return startSingleNode(name, TestDatabase.fresh("dialer_" + name), amiPort);
  }

  /** As {@link #startSingleNode(String, int)} on {@code database} (e.g. a node started again). */
  static ActorTestKit startSingleNode(String name, DatabaseSettings database, int amiPort) {
    return startSingleNode(name, database, amiPort, ConfigFactory.empty());
  }

  /** As {@link #startSingleNode(String, DatabaseSettings, int)} with settings of the test's own. */
  static ActorTestKit startSingleNode(
      String name, DatabaseSettings database, int amiPort, Config overrides) {
    ActorTestKit node = startNode(name, database, amiPort, overrides);
    Cluster cluster = Cluster.get(node.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    awaitUp(node);
    Engine.init(node.system());
    return node;
  }

  static void awaitUp(ActorTestKit node) {
    Cluster cluster = Cluster.get(node.system());
    node.createTestProbe()
        .awaitAssert(
            TIMEOUT,
            () -> {
              assertEquals(MemberStatus.up(), cluster.selfMember().status());
              return null;
            });
  }

  DialingSteps(ActorTestKit testKit) {
    this.testKit = testKit;
  }

  /** The defaults, dialing the simulator's customers around the clock, with these agents. */
  static CampaignConfig config(Set<String> agents, boolean amd) {
    CampaignConfig d = CampaignConfig.defaults("Local/{number}@sim-customer", "+12127363100");
    return d.toBuilder()
        .callingWindow(CallingWindow.everyDay(LocalTime.MIN, LocalTime.MAX))
        .amd(new CampaignConfig.Amd(amd, CampaignConfig.MachineReaction.HANG_UP))
        .assignedAgents(agents)
        .build();
  }

  /**
   * A campaign that runs to completion in test time: every retry after {@code retryDelay} and at
   * most twice per ending, a short abandon lockout and reservation, and a wrap-up that times out
   * after a second into the final NOT_INTERESTED, so no test has to dispose calls.
   */
  static CampaignConfig fastConfig(Set<String> agents, boolean amd, Duration retryDelay) {
    CampaignConfig d = config(agents, amd);
    List<Disposition> dispositions = new ArrayList<>();
    for (Disposition x : d.dispositions()) {
      dispositions.add(
          x.retry() == null
              ? x
              : new Disposition(
                  x.code(),
                  x.label(),
                  x.category(),
                  x.humanAnswered(),
                  x.contact(),
                  x.success(),
                  x.dnc(),
                  x.callback(),
                  x.finalOutcome(),
                  x.machine(),
                  new Disposition.RetryRule(retryDelay, 2)));
    }
    return d.toBuilder()
        .postAbandonLockout(Duration.ofSeconds(1))
        .wrapUpTimeout(Duration.ofSeconds(1))
        .wrapUpTimeoutDisposition("NOT_INTERESTED")
        .assignedAgents(agents)
        .dispositions(dispositions)
        .reservationTimeout(Duration.ofSeconds(3))
        .build();
  }

  void createCampaign(String campaignId, String name, CampaignConfig config) {
    campaign(campaignId, r -> new Campaign.Create(name, config, "sam", r));
  }

  void startCampaign(String campaignId) {
    campaign(campaignId, r -> new Campaign.Start("sam", r));
  }

  void importLead(String campaignId, String id, String number, int priority) {
    leadStep(
        id,
        r ->
            new Lead.Import(
                campaignId, List.of(number), "America/New_York", priority, Map.of(), r));
  }

  /** Configures the agent for the campaign and logs it in: READY. */
  void logIn(String agentId, String campaignId) {
    agent(
        agentId,
        r -> new Agent.Configure(agentId, "PJSIP/" + agentId, Set.of(campaignId), "sam", r));
    agent(agentId, r -> new Agent.LogIn(Duration.ofHours(1), r));
  }

  CampaignDialer.Status dialerStatus(String campaignId) {
    TestProbe<CampaignDialer.Status> probe = testKit.createTestProbe();
    entity(CampaignDialer.ENTITY_KEY, campaignId)
        .tell(new CampaignDialer.GetStatus(probe.getRef()));
    return probe.receiveMessage(TIMEOUT);
  }

  /** Retries {@code assertion} every 100 ms until it passes, for at most {@link #TIMEOUT}. */
  void eventually(Runnable assertion) {
    testKit
        .createTestProbe()
        .awaitAssert(
            TIMEOUT,
            Duration.ofMillis(100),
            () -> {
              assertion.run();
              return null;
            });
  }

  Lead.Summary awaitLead(String id, Lead.Status status) {
    return awaitAttempts(id, status, -1);
  }

  /** Waits for the lead in {@code status} with that many attempts ({@code -1}: any number). */
  Lead.Summary awaitAttempts(String id, Lead.Status status, int attempts) {
    return testKit
        .createTestProbe()
        .awaitAssert(
            TIMEOUT,
            Duration.ofMillis(200),
            () -> {
              Lead.Summary summary = lead(id);
              assertEquals(status, summary.status(), id);
              if (attempts >= 0) {
                assertEquals(attempts, summary.attempts().size(), id);
              }
              return summary;
            });
  }

  Lead.Summary lead(String id) {
    TestProbe<Lead.Summary> probe = testKit.createTestProbe();
    entity(Lead.ENTITY_KEY, id).tell(new Lead.GetSummary(probe.getRef()));
    return probe.receiveMessage(TIMEOUT);
  }

  Agent.Summary agentSummary(String id) {
    TestProbe<Agent.Summary> probe = testKit.createTestProbe();
    entity(Agent.ENTITY_KEY, id).tell(new Agent.GetSummary(probe.getRef()));
    return probe.receiveMessage(TIMEOUT);
  }

  void leadStep(String id, Function<ActorRef<StatusReply<Lead.Summary>>, Lead.Command> command) {
    step(Lead.ENTITY_KEY, id, command);
  }

  void agent(String id, Function<ActorRef<StatusReply<Agent.Summary>>, Agent.Command> command) {
    step(Agent.ENTITY_KEY, id, command);
  }

  void campaign(
      String campaignId,
      Function<ActorRef<StatusReply<Campaign.Summary>>, Campaign.Command> command) {
    step(Campaign.ENTITY_KEY, campaignId, command);
  }

  /** Sends the command to the entity and expects a success reply. */
  <C, R> void step(EntityTypeKey<C> key, String id, Function<ActorRef<StatusReply<R>>, C> command) {
    TestProbe<StatusReply<R>> probe = testKit.createTestProbe();
    entity(key, id).tell(command.apply(probe.getRef()));
    expectSuccess(probe.receiveMessage(TIMEOUT));
  }

  static void expectSuccess(StatusReply<?> reply) {
    assertTrue(reply.isSuccess(), () -> reply.getError().getMessage());
  }

  <M> EntityRef<M> entity(EntityTypeKey<M> key, String id) {
    return ClusterSharding.get(testKit.system()).entityRefFor(key, id);
  }

  // ---- attempt history invariants ----

  /**
   * No lead was ever in two calls at once: its attempts are closed one after the other (each
   * reserved after the previous one ended), every attempt but possibly the last is closed, and
   * attempt ids are unique.
   */
  static void assertNoOverlap(Lead.Summary lead) {
    List<Attempt> attempts =
        lead.attempts().stream().sorted(Comparator.comparing(Attempt::reservedAt)).toList();
    assertEquals(
        attempts.size(),
        attempts.stream().map(Attempt::attemptId).distinct().count(),
        lead.leadId() + ": attempt ids unique");
    for (int i = 1; i < attempts.size(); i++) {
      Attempt previous = attempts.get(i - 1);
      Attempt next = attempts.get(i);
      assertTrue(previous.endedAt() != null, lead.leadId() + ": attempt " + i + " closed");
      assertTrue(
          !next.reservedAt().isBefore(previous.endedAt()),
          lead.leadId() + ": attempt " + (i + 1) + " reserved after the previous one ended");
    }
  }

  /** A final lead holds no lock: every attempt has ended. */
  static void assertAllClosed(Lead.Summary lead) {
    for (Attempt attempt : lead.attempts()) {
      assertTrue(attempt.endedAt() != null, lead.leadId() + ": " + attempt + " still open");
    }
  }

  static List<String> outcomes(Lead.Summary lead) {
    return lead.attempts().stream()
        .map(a -> a.outcome() == null ? "RELEASED" : a.outcome().name())
        .toList();
  }

  static List<String> dispositions(Lead.Summary lead) {
    return lead.attempts().stream().map(Attempt::dispositionCode).toList();
  }
}
