package com.welcomedly.dialer.engine.dialing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link RetriedSteps} against a real actor that stays silent (as an entity whose journal write
 * failed does) for its first messages: the step is asked again until it lands, steps to one entity
 * arrive in order, a refusal is final.
 */
@ExtendWith(LogCapturingExtension.class)
class RetriedStepsTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final Duration ASK = Duration.ofMillis(300);

  @AfterAll
  static void tearDown() {
    testKit.shutdownTestKit();
  }

  /** A step message: its name, whether to refuse it, and where to answer. */
  private record Step(String name, boolean refuse, ActorRef<StatusReply<String>> replyTo)
      implements com.welcomedly.dialer.engine.CborSerializable {}

  /** Ignores its first {@code silent} messages, then answers each one; records what it applied. */
  private static Behavior<Step> entity(int silent, List<String> applied) {
    AtomicInteger seen = new AtomicInteger();
    return Behaviors.receiveMessage(
        step -> {
          if (seen.incrementAndGet() > silent) {
            if (step.refuse()) {
              step.replyTo().tell(StatusReply.error("not now"));
            } else {
              synchronized (applied) {
                applied.add(step.name());
              }
              step.replyTo().tell(StatusReply.success(step.name()));
            }
          }
          return Behaviors.same();
        });
  }

  private static RetriedSteps steps() {
    return new RetriedSteps(
        testKit.system().scheduler(),
        testKit.system().executionContext(),
        new RetriedSteps.Settings(
            Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofMinutes(1)));
  }

  private static java.util.concurrent.CompletionStage<RetriedSteps.Outcome> send(
      RetriedSteps steps, ActorRef<Step> to, String name, boolean refuse) {
    return steps.send(
        "Agent test",
        name,
        () ->
            AskPattern.<Step, StatusReply<String>>ask(
                to, r -> new Step(name, refuse, r), ASK, testKit.system().scheduler()));
  }

  @Test
  void aStepWhoseAskTimesOutIsRetriedUntilItLands() throws Exception {
    List<String> applied = new ArrayList<>();
    ActorRef<Step> agent = testKit.spawn(entity(3, applied));
    RetriedSteps.Outcome outcome =
        send(steps(), agent, "EndCall", false).toCompletableFuture().get(20, TimeUnit.SECONDS);
    assertEquals(RetriedSteps.Outcome.LANDED, outcome);
    assertEquals(List.of("EndCall"), applied);
  }

  @Test
  void stepsToOneEntityLandInTheOrderTheyWereSent() throws Exception {
    List<String> applied = new ArrayList<>();
    ActorRef<Step> agent = testKit.spawn(entity(2, applied));
    RetriedSteps steps = steps();
    var connect = send(steps, agent, "ConnectCall", false);
    var end = send(steps, agent, "EndCall", false);
    assertEquals(RetriedSteps.Outcome.LANDED, end.toCompletableFuture().get(20, TimeUnit.SECONDS));
    assertEquals(
        RetriedSteps.Outcome.LANDED, connect.toCompletableFuture().get(1, TimeUnit.SECONDS));
    assertEquals(List.of("ConnectCall", "EndCall"), applied);
    assertEquals(0, steps.pending());
  }

  @Test
  void aRefusalIsTheEntitysDecisionAndIsNotRetried() throws Exception {
    List<String> applied = new ArrayList<>();
    ActorRef<Step> agent = testKit.spawn(entity(0, applied));
    RetriedSteps steps = steps();
    assertEquals(
        RetriedSteps.Outcome.REFUSED,
        send(steps, agent, "EndCall", true).toCompletableFuture().get(20, TimeUnit.SECONDS));
    assertEquals(
        RetriedSteps.Outcome.LANDED,
        send(steps, agent, "Ready", false).toCompletableFuture().get(20, TimeUnit.SECONDS));
    assertEquals(List.of("Ready"), applied);
  }

  @Test
  void theBackoffGrowsToItsCap() {
    var settings =
        new RetriedSteps.Settings(
            Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofMinutes(1));
    assertEquals(Duration.ofMillis(200), settings.backoff(0));
    assertEquals(Duration.ofMillis(800), settings.backoff(2));
    assertEquals(Duration.ofSeconds(2), settings.backoff(10));
    assertEquals(Duration.ofSeconds(2), settings.backoff(100));
  }
}
