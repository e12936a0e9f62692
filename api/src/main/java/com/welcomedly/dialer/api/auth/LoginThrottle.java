package com.welcomedly.dialer.api.auth;

import com.welcomedly.dialer.engine.CborSerializable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Slows password guessing: after {@code maxFailures} failed logins for one username inside {@code
 * window}, logins for that username are refused for {@code lockout}. One instance per node (an
 * attacker spreading guesses over N nodes gets N times the budget, still far too little for
 * bcrypt-protected passwords); state is in the actor, not a global.
 */
public final class LoginThrottle extends AbstractBehavior<LoginThrottle.Command> {

  public sealed interface Command extends CborSerializable {}

  /** Asks whether a login for this username may be attempted now. */
  public record Check(String username, ActorRef<Verdict> replyTo) implements Command {}

  public record Failed(String username) implements Command {}

  public record Succeeded(String username) implements Command {}

  private enum Sweep implements Command {
    INSTANCE
  }

  /** The answer to {@link Check}: empty retryAfter = allowed. */
  public record Verdict(Optional<Duration> retryAfter) implements CborSerializable {
    public boolean allowed() {
      return retryAfter.isEmpty();
    }
  }

  /** Limits, from {@code dialer.auth.login-throttle}. */
  public record Limits(int maxFailures, Duration window, Duration lockout) {}

  private final Limits limits;
  private final Clock clock;
  private final Map<String, Deque<Instant>> failures = new HashMap<>();
  private final Map<String, Instant> lockedUntil = new HashMap<>();

  public static Behavior<Command> create(Limits limits, Clock clock) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> {
                  // Forget old failures so the maps stay bounded by recent attackers only.
                  timers.startTimerWithFixedDelay(Sweep.INSTANCE, limits.window());
                  return new LoginThrottle(ctx, limits, clock);
                }));
  }

  private LoginThrottle(ActorContext<Command> context, Limits limits, Clock clock) {
    super(context);
    this.limits = limits;
    this.clock = clock;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Check.class, this::onCheck)
        .onMessage(Failed.class, this::onFailed)
        .onMessage(Succeeded.class, this::onSucceeded)
        .onMessageEquals(Sweep.INSTANCE, this::onSweep)
        .build();
  }

  private Behavior<Command> onCheck(Check check) {
    Instant now = clock.instant();
    Instant until = lockedUntil.get(check.username());
    Optional<Duration> retryAfter =
        until != null && until.isAfter(now)
            ? Optional.of(Duration.between(now, until))
            : Optional.empty();
    check.replyTo().tell(new Verdict(retryAfter));
    return this;
  }

  private Behavior<Command> onFailed(Failed failed) {
    Instant now = clock.instant();
    Deque<Instant> recent = failures.computeIfAbsent(failed.username(), u -> new ArrayDeque<>());
    recent.addLast(now);
    dropOlderThan(recent, now.minus(limits.window()));
    if (recent.size() >= limits.maxFailures()) {
      lockedUntil.put(failed.username(), now.plus(limits.lockout()));
      recent.clear();
    }
    return this;
  }

  private Behavior<Command> onSucceeded(Succeeded succeeded) {
    failures.remove(succeeded.username());
    lockedUntil.remove(succeeded.username());
    return this;
  }

  private Behavior<Command> onSweep() {
    Instant now = clock.instant();
    failures.values().forEach(recent -> dropOlderThan(recent, now.minus(limits.window())));
    failures.values().removeIf(Deque::isEmpty);
    lockedUntil.values().removeIf(until -> !until.isAfter(now));
    return this;
  }

  private static void dropOlderThan(Deque<Instant> recent, Instant cutoff) {
    while (!recent.isEmpty() && recent.peekFirst().isBefore(cutoff)) {
      recent.removeFirst();
    }
  }
}
