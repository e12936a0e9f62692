package com.welcomedly.dialer.engine.dialing;

import com.typesafe.config.Config;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.pattern.StatusReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.concurrent.ExecutionContext;

/**
 * Delivers the steps a dialer owes its agents and leads (end a call, record a call's end, mark a
 * dial...) until they land. A step whose ask fails — the entity could not persist while the
 * database was away, its shard was moving, the ask timed out — is sent again with exponential
 * backoff; the entity commands are idempotent for a repeated step of the same attempt, so a retry
 * after a lost reply is harmless. A refusal is the entity's decision and is not retried.
 *
 * <p>Steps to one entity are delivered in the order they were sent: a step waits until the one
 * before it to the same entity landed (or was refused, or given up), so an EndCall can never
 * overtake the ConnectCall it follows while that one is being retried.
 *
 * <p>Thread-safe: called from the dialer and from ask callbacks; holds no actor state.
 */
final class RetriedSteps {
  private static final Logger log = LoggerFactory.getLogger(RetriedSteps.class);

  /** How a step ended. */
  enum Outcome {
    LANDED,
    REFUSED,
    GAVE_UP
  }

  /** Backoff between attempts and the time after which a step is dropped (logged as an error). */
  record Settings(Duration minBackoff, Duration maxBackoff, Duration giveUpAfter) {
    static Settings fromConfig(Config config) {
      Config c = config.getConfig("dialer.dialing.step-retry");
      return new Settings(
          c.getDuration("min-backoff"),
          c.getDuration("max-backoff"),
          c.getDuration("give-up-after"));
    }

    Duration backoff(int failures) {
      long millis = minBackoff.toMillis() << Math.min(failures, 16);
      return Duration.ofMillis(Math.min(Math.max(millis, 1), maxBackoff.toMillis()));
    }
  }

  private final Scheduler scheduler;
  private final ExecutionContext executor;
  private final Settings settings;
  private final Executor callbacks;
  private final ConcurrentMap<String, CompletableFuture<Outcome>> tails = new ConcurrentHashMap<>();

  RetriedSteps(Scheduler scheduler, ExecutionContext executor, Settings settings) {
    this.scheduler = scheduler;
    this.executor = executor;
    this.settings = settings;
    this.callbacks = executor instanceof Executor e ? e : Runnable::run;
  }

  /**
   * Sends a step to {@code entity} (e.g. {@code "Agent ag02"}) once the previous step to the same
   * entity is done, retrying {@code ask} until it answers. The stage completes with the outcome.
   */
  CompletionStage<Outcome> send(
      String entity, String step, Supplier<CompletionStage<? extends StatusReply<?>>> ask) {
    CompletableFuture<Outcome> done = new CompletableFuture<>();
    CompletableFuture<Outcome> previous = tails.put(entity, done);
    Runnable start =
        () -> attempt(entity, step, ask, 0, Instant.now().plus(settings.giveUpAfter()), done);
    if (previous == null) {
      start.run();
    } else {
      previous.whenComplete((o, e) -> start.run());
    }
    done.whenComplete((o, e) -> tails.remove(entity, done));
    return done;
  }

  /** Steps still waiting or being retried, for tests and the dialer's status. */
  int pending() {
    return tails.size();
  }

  private void attempt(
      String entity,
      String step,
      Supplier<CompletionStage<? extends StatusReply<?>>> ask,
      int failures,
      Instant giveUpAt,
      CompletableFuture<Outcome> done) {
    CompletionStage<? extends StatusReply<?>> reply;
    try {
      reply = ask.get();
    } catch (RuntimeException e) {
      reply = CompletableFuture.failedFuture(e);
    }
    // On the actor system's dispatcher: an ask's answer would otherwise run its callback on the
    // JVM's default executor (a new thread per callback when the common pool has one thread).
    reply.whenCompleteAsync(
        (answer, failure) -> {
          if (failure == null && answer.isSuccess()) {
            if (failures > 0) {
              log.info("{} step {} landed after {} retries", entity, step, failures);
            }
            done.complete(Outcome.LANDED);
          } else if (failure == null) {
            log.warn("{} step {} refused: {}", entity, step, answer.getError().getMessage());
            done.complete(Outcome.REFUSED);
          } else if (Instant.now().isAfter(giveUpAt)) {
            log.error(
                "{} step {} given up after {} attempts: {}",
                entity,
                step,
                failures + 1,
                failure.getMessage());
            done.complete(Outcome.GAVE_UP);
          } else {
            Duration delay = settings.backoff(failures);
            log.warn(
                "{} step {} failed ({}), retry {} in {} ms",
                entity,
                step,
                failure.getMessage(),
                failures + 1,
                delay.toMillis());
            scheduler.scheduleOnce(
                delay, () -> attempt(entity, step, ask, failures + 1, giveUpAt, done), executor);
          }
        },
        callbacks);
  }
}
