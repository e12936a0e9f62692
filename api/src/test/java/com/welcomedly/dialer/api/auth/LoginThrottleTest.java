package com.welcomedly.dialer.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
  private static final ActorTestKit TEST_KIT = ActorTestKit.create();
  private static final LoginThrottle.Limits LIMITS =
      new LoginThrottle.Limits(3, Duration.ofMinutes(5), Duration.ofMinutes(10));

  /** A clock the test moves by hand; read only by the actor under test. */
  private static final class SteppingClock extends Clock {
    private volatile Instant now = Instant.parse("2026-11-22T08:00:00Z");

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  @AfterAll
  static void shutdown() {
    TEST_KIT.shutdownTestKit();
  }

  private static Optional<Duration> check(ActorRef<LoginThrottle.Command> throttle, String user) {
    TestProbe<LoginThrottle.Verdict> probe = TEST_KIT.createTestProbe();
    throttle.tell(new LoginThrottle.Check(user, probe.getRef()));
    return probe.receiveMessage().retryAfter();
  }

  @Test
  void locksAUserAfterTooManyFailuresInTheWindowThenUnlocks() {
    SteppingClock clock = new SteppingClock();
    ActorRef<LoginThrottle.Command> throttle = TEST_KIT.spawn(LoginThrottle.create(LIMITS, clock));
    throttle.tell(new LoginThrottle.Failed("ann"));
    throttle.tell(new LoginThrottle.Failed("ann"));
    assertTrue(check(throttle, "ann").isEmpty());
    throttle.tell(new LoginThrottle.Failed("ann"));
    assertEquals(Optional.of(Duration.ofMinutes(10)), check(throttle, "ann"));
    assertTrue(check(throttle, "bob").isEmpty());
    clock.advance(Duration.ofMinutes(10));
    assertTrue(check(throttle, "ann").isEmpty());
  }

  @Test
  void failuresOutsideTheWindowDoNotCount() {
    SteppingClock clock = new SteppingClock();
    ActorRef<LoginThrottle.Command> throttle = TEST_KIT.spawn(LoginThrottle.create(LIMITS, clock));
    throttle.tell(new LoginThrottle.Failed("cat"));
    throttle.tell(new LoginThrottle.Failed("cat"));
    // A round trip: both failures are stamped with the old time before the clock moves.
    assertTrue(check(throttle, "cat").isEmpty());
    clock.advance(Duration.ofMinutes(6));
    throttle.tell(new LoginThrottle.Failed("cat"));
    assertTrue(check(throttle, "cat").isEmpty());
  }

  @Test
  void aSuccessfulLoginClearsTheFailures() {
    SteppingClock clock = new SteppingClock();
    ActorRef<LoginThrottle.Command> throttle = TEST_KIT.spawn(LoginThrottle.create(LIMITS, clock));
    throttle.tell(new LoginThrottle.Failed("dan"));
    throttle.tell(new LoginThrottle.Failed("dan"));
    throttle.tell(new LoginThrottle.Succeeded("dan"));
    throttle.tell(new LoginThrottle.Failed("dan"));
    throttle.tell(new LoginThrottle.Failed("dan"));
    assertTrue(check(throttle, "dan").isEmpty());
  }
}
