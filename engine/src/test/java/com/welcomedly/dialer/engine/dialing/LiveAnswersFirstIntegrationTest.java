package com.welcomedly.dialer.engine.dialing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.welcomedly.dialer.engine.lead.Attempt;
import com.welcomedly.dialer.engine.lead.Lead;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Live answers first (issue 18), through the real dialer on a node with its real mailbox and
 * dispatcher: a live answer queued behind a backlog of the dialer's other messages is routed to an
 * agent before the backlog is handled; and a dialer that the node's relay tells directly, once
 * handed off, still gets its calls' events in its next instance. The backlog is made without
 * sleeps: the dialer's dispatcher is held (every one of its threads parked on a latch) while the
 * messages are put straight into the dialer's mailbox, the backlog first, the answer last; then it
 * is let go. Each message of the backlog is a status request, whose answer shows what the dialer
 * had done by then.
 */
@ExtendWith(LogCapturingExtension.class)
class LiveAnswersFirstIntegrationTest {

  // Rings until the Originate's timeout (scripted numbers, sim/README.md): the only answer this
  // call gets is the one the test puts in the dialer's mailbox.
  private static final String RINGS = "+12127400000";
  private static final int BACKLOG = 200;
  // Answers after 9.9 s, talks 5 s: time for a handed-off dialer's next instance to adopt it.
  private static final String ANSWERS_LATE = "+12127199050";

  private static SimulatedNode node;
  private static ActorTestKit testKit;
  private static DialingSteps steps;

  @BeforeAll
  static void start() throws Exception {
    node = SimulatedNode.start("live_first", 21);
    testKit = node.testKit();
    steps = node.steps();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void aLiveAnswerIsRoutedBeforeTheBacklogQueuedAheadOfIt() throws Exception {
    String campaign = "c-first";
    steps.createCampaign(campaign, "Live first", DialingSteps.config(Set.of("lf-1"), false));
    steps.importLead(campaign, "lf-ring", RINGS, 1);
    steps.logIn("lf-1", campaign);
    steps.startCampaign(campaign);
    steps.eventually(
        () -> {
          CampaignDialer.Status status = steps.dialerStatus(campaign);
          assertEquals(List.of("DIALING"), List.copyOf(status.calls().values()));
          assertEquals(1, status.agentsReady());
        });
    String attemptId = steps.dialerStatus(campaign).calls().keySet().iterator().next();
    ActorRef<CampaignDialer.Command> dialer = dialerRef(campaign);

    TestProbe<CampaignDialer.Status> replies = testKit.createTestProbe();
    try (HeldDispatcher held = HeldDispatcher.hold()) {
      for (int i = 0; i < BACKLOG; i++) {
        dialer.tell(new CampaignDialer.GetStatus(replies.getRef()));
      }
      dialer.tell(
          new CampaignDialer.FromCall(
              new TelephonyGateway.Answered(attemptId, "Local/test-answer", Instant.now())));
    }

    List<Map<String, String>> seen = new ArrayList<>();
    for (int i = 0; i < BACKLOG; i++) {
      seen.add(replies.receiveMessage(DialingSteps.TIMEOUT).calls());
    }
    // Handled before the first message of the backlog: the answer was routed (bridge sent to the
    // only ready agent), not still ringing as when the backlog was queued.
    assertEquals("BRIDGING", seen.get(0).get(attemptId), "phase at the backlog's first message");
    assertTrue(seen.stream().noneMatch(calls -> "DIALING".equals(calls.get(attemptId))));
  }

  @Test
  void aDialerHandedOffGetsItsCallsEventsInItsNextInstance() throws Exception {
    String campaign = "c-handoff";
    steps.createCampaign(campaign, "Hand-off", DialingSteps.config(Set.of("lf-2"), false));
    steps.importLead(campaign, "lf-late", ANSWERS_LATE, 1);
    steps.logIn("lf-2", campaign);
    steps.startCampaign(campaign);
    steps.eventually(
        () ->
            assertEquals(
                List.of("DIALING"), List.copyOf(steps.dialerStatus(campaign).calls().values())));
    ActorRef<CampaignDialer.Command> first = dialerRef(campaign);
    TestProbe<Object> watcher = testKit.createTestProbe();
    testKit.spawn(watching(first, watcher.getRef()));

    // What sharding sends an entity it hands off or passivates; the next message starts the next
    // instance (here the supervisor's wake), which adopts the call still ringing.
    ClusterSharding.get(testKit.system())
        .entityRefFor(CampaignDialer.ENTITY_KEY, campaign)
        .tell(CampaignDialer.HandOff.INSTANCE);
    watcher.expectMessage(DialingSteps.TIMEOUT, "terminated");

    // The answer, the bridge and the hang-up reach the next instance: connected, then wrap-up.
    Lead.Summary lead = steps.awaitLead("lf-late", Lead.Status.WRAP_UP);
    Attempt attempt = lead.attempts().get(0);
    assertEquals("lf-2", attempt.agentId());
    assertNotNull(attempt.connectedAt());
    ActorRef<CampaignDialer.Command> next = dialerRef(campaign);
    assertNotEquals(first, next);
    assertEquals(1, steps.dialerStatus(campaign).totals().connects(), "by the next instance");
  }

  /** Tells {@code probe} "terminated" when {@code dialer} has stopped. */
  private static Behavior<Void> watching(
      ActorRef<CampaignDialer.Command> dialer, ActorRef<Object> probe) {
    return Behaviors.setup(
        ctx -> {
          ctx.watch(dialer);
          return Behaviors.receive(Void.class)
              .onSignal(
                  Terminated.class,
                  t -> {
                    probe.tell("terminated");
                    return Behaviors.stopped();
                  })
              .build();
        });
  }

  /** The campaign's dialer actor itself (its mailbox), found under this node's sharding. */
  private static ActorRef<CampaignDialer.Command> dialerRef(String campaign) throws Exception {
    return Adapter.toTyped(
        testKit
            .system()
            .classicSystem()
            .actorSelection("/system/sharding/CampaignDialer/*/" + campaign)
            .resolveOne(DialingSteps.TIMEOUT)
            .toCompletableFuture()
            .get(60, TimeUnit.SECONDS));
  }

  /**
   * Every thread of the dialers' dispatcher parked until closed: meanwhile messages queue in the
   * dialer's mailbox and none is handled.
   */
  private record HeldDispatcher(CountDownLatch release) implements AutoCloseable {
    static HeldDispatcher hold() throws InterruptedException {
      int threads =
          testKit
              .system()
              .settings()
              .config()
              .getInt(CampaignDialer.DISPATCHER + ".thread-pool-executor.fixed-pool-size");
      Executor dispatcher =
          testKit
              .system()
              .dispatchers()
              .lookup(DispatcherSelector.fromConfig(CampaignDialer.DISPATCHER));
      CountDownLatch parked = new CountDownLatch(threads);
      CountDownLatch release = new CountDownLatch(1);
      for (int i = 0; i < threads; i++) {
        dispatcher.execute(
            () -> {
              parked.countDown();
              try {
                release.await(DialingSteps.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
      }
      assertTrue(parked.await(DialingSteps.TIMEOUT.toSeconds(), TimeUnit.SECONDS));
      return new HeldDispatcher(release);
    }

    @Override
    public void close() {
      release.countDown();
    }
  }
}
