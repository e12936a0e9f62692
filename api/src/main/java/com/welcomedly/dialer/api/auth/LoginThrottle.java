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
 * Slows password guessing without handing strangers a lock-out button. Two budgets:
 *
 * <ul>
 *   <li>per (username, client address): after {@code maxFailures} failed logins inside {@code
 *       window}, that pair is refused for {@code lockout}. The real user at another address is not
 *       affected, so nobody can lock {@code admin} out by guessing from elsewhere;
 *   <li>per client address: after {@code maxFailuresPerAddress} failures for any usernames inside
 *       the window, the address is refused for the lockout (spraying one password over many
 *       accounts).
 * </ul>
 *
 * One instance per node (an attacker spreading guesses over N nodes gets N times the budget, still
 * far too little for bcrypt-protected passwords and the password policy); state is in the actor.
 */
public final class LoginThrottle extends AbstractBehavior<LoginThrottle.Command> {

  public sealed interface Command extends CborSerializable {}

  /** Asks whether a login for this username from this address may be attempted now. */
  public record Check(String username, String address, ActorRef<Verdict> replyTo)
      implements Command {}

  public record Failed(String username, String address) implements Command {}

  public record Succeeded(String username, String address) implements Command {}

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
  public record Limits(
      int maxFailures, Duration window, Duration lockout, int maxFailuresPerAddress) {}

  private record UserAtAddress(String username, String address) {}

  /** Recent failures and lock-outs of one kind of key; touched by the actor only. */
  private static final class Budget<K> {
    private final int maxFailures;
    private final Limits limits;
    private final Map<K, Deque<Instant>> failures = new HashMap<>();
    private final Map<K, Instant> lockedUntil = new HashMap<>();

    Budget(int maxFailures, Limits limits) {
      this.maxFailures = maxFailures;
      this.limits = limits;
    }

    Optional<Duration> retryAfter(K key, Instant now) {
      Instant until = lockedUntil.get(key);
      return until != null && until.isAfter(now)
          ? Optional.of(Duration.between(now, until))
          : Optional.empty();
    }

    void failed(K key, Instant now) {
      Deque<Instant> recent = failures.computeIfAbsent(key, u -> new ArrayDeque<>());
      recent.addLast(now);
      dropOlderThan(recent, now.minus(limits.window()));
      if (recent.size() >= maxFailures) {
        lockedUntil.put(key, now.plus(limits.lockout()));
        recent.clear();
      }
    }

    void clear(K key) {
      failures.remove(key);
      lockedUntil.remove(key);
    }

    void sweep(Instant now) {
      failures.values().forEach(recent -> dropOlderThan(recent, now.minus(limits.window())));
      failures.values().removeIf(Deque::isEmpty);
      lockedUntil.values().removeIf(until -> !until.isAfter(now));
    }
  }

  private final Clock clock;
  private final Budget<UserAtAddress> perUser;
  private final Budget<String> perAddress;

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
    this.clock = clock;
    this.perUser = new Budget<>(limits.maxFailures(), limits);
    this.perAddress = new Budget<>(limits.maxFailuresPerAddress(), limits);
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
    Optional<Duration> user =
        perUser.retryAfter(new UserAtAddress(check.username(), check.address()), now);
    Optional<Duration> address = perAddress.retryAfter(check.address(), now);
    Optional<Duration> longer =
        user.isPresent() && address.isPresent()
            ? Optional.of(user.get().compareTo(address.get()) >= 0 ? user.get() : address.get())
            : user.or(() -> address);
    check.replyTo().tell(new Verdict(longer));
    return this;
  }

  private Behavior<Command> onFailed(Failed failed) {
    Instant now = clock.instant();
    perUser.failed(new UserAtAddress(failed.username(), failed.address()), now);
    perAddress.failed(failed.address(), now);
    return this;
  }

  private Behavior<Command> onSucceeded(Succeeded succeeded) {
    perUser.clear(new UserAtAddress(succeeded.username(), succeeded.address()));
    return this;
  }

  private Behavior<Command> onSweep() {
    Instant now = clock.instant();
    perUser.sweep(now);
    perAddress.sweep(now);
    return this;
  }

  private static void dropOlderThan(Deque<Instant> recent, Instant cutoff) {
    while (!recent.isEmpty() && recent.peekFirst().isBefore(cutoff)) {
      recent.removeFirst();
    }
  }
}
