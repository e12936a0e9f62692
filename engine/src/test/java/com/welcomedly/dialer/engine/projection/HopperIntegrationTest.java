package com.welcomedly.dialer.engine.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.welcomedly.dialer.engine.campaign.Disposition;
import com.welcomedly.dialer.engine.compliance.CallingWindow;
import com.welcomedly.dialer.engine.compliance.DialPolicy;
import com.welcomedly.dialer.engine.compliance.DomainTestSupport;
import com.welcomedly.dialer.engine.lead.Lead;
import com.welcomedly.dialer.engine.persistence.JdbcPool;
import com.welcomedly.dialer.engine.persistence.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The hopper read model fed by real Lead entities on real PostgreSQL: ordering (due callbacks,
 * priority, fewest attempts), and filters (due time, calling window in the lead's local time, DNC,
 * agent-only callbacks, the dialer's own exclusions, campaign).
 */
@ExtendWith(LogCapturingExtension.class)
class HopperIntegrationTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final String NEW_YORK = "America/New_York";
  private static final String TOKYO = "Asia/Tokyo";
  private static final DialPolicy ALWAYS_OPEN =
      new DialPolicy(
          CallingWindow.everyDay(LocalTime.MIN, LocalTime.MAX),
          List.of(),
          Duration.ofHours(72),
          Duration.ofSeconds(30),
          DialPolicy.NumberRotation.ROTATE,
          Duration.ZERO);
  private static final Disposition BUSY_RETRY_NOW =
      new Disposition(
          Disposition.BUSY,
          "Busy",
          Disposition.Category.NO_CONTACT,
          false,
          false,
          false,
          false,
          false,
          false,
          false,
          new Disposition.RetryRule(Duration.ZERO, 6));

  private static ActorTestKit testKit;
  private static HopperQuery hopper;
  // A time after every callback below is due, when New York (08-21 local) is open and Tokyo is not.
  private static Instant queryAt;

  @BeforeAll
  static void setUp() {
    testKit = DomainTestSupport.startNode("hopper", TestDatabase.fresh("hopper"));
    hopper = new HopperQuery(JdbcPool.get(testKit.system()));
    Instant soon = Instant.now().plus(Duration.ofHours(1));
    Instant fifteen = soon.truncatedTo(ChronoUnit.DAYS).plus(Duration.ofHours(15));
    queryAt = fifteen.isAfter(soon) ? fifteen : fifteen.plus(Duration.ofDays(1));

    importLead("low", "c1", NEW_YORK, 1, "+12127363100");
    importLead("high", "c1", NEW_YORK, 5, "+12127363101");
    importLead("tokyo", "c1", TOKYO, 9, "+12127363102");
    importLead("dnc", "c1", NEW_YORK, 9, "+12127363103");
    importLead("retried", "c1", NEW_YORK, 5, "+12127363104");
    importLead("callback", "c1", NEW_YORK, 0, "+12127363105");
    importLead("agent-callback", "c1", NEW_YORK, 0, "+12127363106");
    importLead("elsewhere", "c2", NEW_YORK, 9, "+12127363107");

    change("dnc", r -> new Lead.MarkDnc(Lead.DncSource.API, "supervisor", r));
    // One BUSY attempt that may be retried at once: back in the queue with one attempt counted.
    TestProbe<StatusReply<Lead.Reservation>> reserved = testKit.createTestProbe();
    lead("retried").tell(new Lead.ReserveForDial("att-1", ALWAYS_OPEN, null, reserved.getRef()));
    assertTrue(reserved.receiveMessage(TIMEOUT).isSuccess());
    change("retried", r -> new Lead.MarkDialing("att-1", Duration.ofMinutes(1), r));
    change(
        "retried",
        r ->
            new Lead.RecordCallEnd(
                "att-1", Lead.CallOutcome.BUSY, BUSY_RETRY_NOW, Duration.ZERO, r));
    LocalDateTime inAMinute =
        LocalDateTime.ofInstant(Instant.now().plus(Duration.ofMinutes(1)), ZoneId.of(NEW_YORK));
    change(
        "callback",
        r -> new Lead.ScheduleCallback(inAMinute, null, Duration.ZERO, "supervisor", r));
    change(
        "agent-callback",
        r ->
            new Lead.ScheduleCallback(
                inAMinute.plusSeconds(1), "a-9", Duration.ZERO, "supervisor", r));
  }

  @AfterAll
  static void tearDown() {
    testKit.shutdownTestKit();
  }

  @Test
  void ordersDueCallbacksFirstThenPriorityThenFewestAttempts() {
    awaitCandidates(Set.of(), Set.of(), List.of("callback", "high", "retried", "low"));
  }

  @Test
  void anAgentOnlyCallbackGoesOnlyToItsAgent() {
    awaitCandidates(
        Set.of("a-9"), Set.of(), List.of("callback", "agent-callback", "high", "retried", "low"));
  }

  @Test
  void leadsTheDialerAlreadyHoldsAreNotHandedOutAgain() {
    awaitCandidates(Set.of(), Set.of("high", "callback"), List.of("retried", "low"));
  }

  @Test
  void theCallingWindowIsTheLeadsLocalTime() throws Exception {
    // 01:00 UTC: 20:00 in New York (open until 21:00), 10:00 in Tokyo (open).
    Instant lateInNewYork = queryAt.truncatedTo(ChronoUnit.DAYS).plus(Duration.ofHours(25));
    TestProbe<Void> probe = testKit.createTestProbe();
    probe.awaitAssert(
        TIMEOUT,
        () -> {
          List<String> ids =
              hopper
                  .candidates("c1", lateInNewYork, CallingWindow.standard(), Set.of(), Set.of(), 10)
                  .toCompletableFuture()
                  .get()
                  .stream()
                  .map(HopperQuery.Candidate::leadId)
                  .toList();
          assertEquals(List.of("callback", "tokyo", "high", "retried", "low"), ids);
          return null;
        });
    // Closed on Tokyo's weekday: only New York leads remain.
    java.time.DayOfWeek tokyoDay = lateInNewYork.atZone(ZoneId.of(TOKYO)).getDayOfWeek();
    List<String> ids =
        hopper
            .candidates(
                "c1",
                lateInNewYork,
                CallingWindow.standard().closedOn(tokyoDay),
                Set.of(),
                Set.of(),
                10)
            .toCompletableFuture()
            .get()
            .stream()
            .map(HopperQuery.Candidate::leadId)
            .toList();
    assertEquals(List.of("callback", "high", "retried", "low"), ids);
  }

  @Test
  void liveAnswersAreKeptForTheAbandonLedgerOldestFirst() {
    importLead("connected", "c3", NEW_YORK, 1, "+12127363110");
    importLead("abandoned", "c3", NEW_YORK, 1, "+12127363111");
    importLead("machine", "c3", NEW_YORK, 1, "+12127363112");
    importLead("late", "c3", NEW_YORK, 1, "+12127363113");
    for (String id : List.of("connected", "abandoned", "machine", "late")) {
      TestProbe<StatusReply<Lead.Reservation>> reserved = testKit.createTestProbe();
      lead(id).tell(new Lead.ReserveForDial(id + "-1", ALWAYS_OPEN, null, reserved.getRef()));
      assertTrue(reserved.receiveMessage(TIMEOUT).isSuccess());
      change(id, r -> new Lead.MarkDialing(id + "-1", Duration.ofMinutes(1), r));
      change(id, r -> new Lead.MarkAnswered(id + "-1", r));
    }
    Instant start = Instant.now();
    change("connected", r -> new Lead.MarkConnected("connected-1", "a-1", r));
    // Bridged after the connect deadline: an abandon for the ledger a restarted dialer seeds.
    change("late", r -> new Lead.MarkConnected("late-1", "a-2", true, r));
    change(
        "abandoned",
        r ->
            new Lead.RecordCallEnd(
                "abandoned-1",
                Lead.CallOutcome.ABANDONED,
                Disposition.DEFAULTS.stream()
                    .filter(d -> d.code().equals(Disposition.DROPPED))
                    .findFirst()
                    .orElseThrow(),
                Duration.ZERO,
                r));
    // A machine is no live answer.
    change(
        "machine",
        r ->
            new Lead.RecordCallEnd(
                "machine-1", Lead.CallOutcome.MACHINE, BUSY_RETRY_NOW, Duration.ZERO, r));
    testKit
        .createTestProbe()
        .awaitAssert(
            TIMEOUT,
            () -> {
              List<HopperQuery.LiveAnswer> answers =
                  hopper
                      .liveAnswers("c3", start.minusSeconds(60), Instant.now().plusSeconds(60))
                      .toCompletableFuture()
                      .get();
              assertEquals(
                  List.of(false, true, true),
                  answers.stream().map(HopperQuery.LiveAnswer::abandoned).toList());
              assertTrue(!answers.get(0).at().isAfter(answers.get(1).at()));
              assertTrue(!answers.get(1).at().isAfter(answers.get(2).at()));
              return null;
            });
  }

  private static void awaitCandidates(
      Set<String> readyAgents, Set<String> exclude, List<String> expected) {
    TestProbe<Void> probe = testKit.createTestProbe();
    probe.awaitAssert(
        TIMEOUT,
        () -> {
          List<HopperQuery.Candidate> candidates =
              hopper
                  .candidates("c1", queryAt, CallingWindow.standard(), readyAgents, exclude, 10)
                  .toCompletableFuture()
                  .get();
          assertEquals(expected, candidates.stream().map(HopperQuery.Candidate::leadId).toList());
          return null;
        });
  }

  private static void importLead(
      String id, String campaign, String zone, int priority, String number) {
    change(id, r -> new Lead.Import(campaign, List.of(number), zone, priority, Map.of(), r));
  }

  private static void change(
      String id, Function<ActorRef<StatusReply<Lead.Summary>>, Lead.Command> command) {
    TestProbe<StatusReply<Lead.Summary>> probe = testKit.createTestProbe();
    lead(id).tell(command.apply(probe.getRef()));
    StatusReply<Lead.Summary> reply = probe.receiveMessage(TIMEOUT);
    assertTrue(reply.isSuccess(), () -> id + ": " + reply.getError().getMessage());
  }

  private static org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef<Lead.Command> lead(
      String id) {
    return ClusterSharding.get(testKit.system()).entityRefFor(Lead.ENTITY_KEY, id);
  }
}
