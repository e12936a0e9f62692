package com.welcomedly.dialer.engine.dialing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Live answers first (issue 18), through the real dialer on a node with its real mailbox and
 * dispatcher: a live answer queued behind a backlog of the dialer's other messages is routed to an
 * agent before the backlog is handled. The backlog is made without sleeps: the dialer's dispatcher
 * is held (every one of its threads parked on a latch) while the messages are put straight into the
 * dialer's mailbox, the backlog first, the answer last; then it is let go. Each message of the
 * backlog is a status request, whose answer shows what the dialer had done by then.
 */
@ExtendWith(LogCapturingExtension.class)
class LiveAnswersFirstIntegrationTest {

  // Rings until the Originate's timeout (scripted numbers, sim/README.md): the only answer this
  // call gets is the one the test puts in the dialer's mailbox.
  private static final String RINGS = "+12127400000";
  private static final int BACKLOG = 200;

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
