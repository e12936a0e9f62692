package com.welcomedly.dialer.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
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
  // A plain local system: the throttle is one actor, and a bare cluster node (no database, no
  // formation) would try to start the split-brain resolver's PostgreSQL lease.
  private static final ActorTestKit TEST_KIT =
      ActorTestKit.create(
          ConfigFactory.parseString("pekko.actor.provider = local")
              .withFallback(ConfigFactory.load("application-test")));
  private static final LoginThrottle.Limits LIMITS =
      new LoginThrottle.Limits(3, Duration.ofMinutes(5), Duration.ofMinutes(10), 5);

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

  private static final String HOME = "10.0.0.1";

  private static Optional<Duration> check(ActorRef<LoginThrottle.Command> throttle, String user) {
    return check(throttle, user, HOME);
  }

  private static Optional<Duration> check(
      ActorRef<LoginThrottle.Command> throttle, String user, String address) {
    TestProbe<LoginThrottle.Verdict> probe = TEST_KIT.createTestProbe();
    throttle.tell(new LoginThrottle.Check(user, address, probe.getRef()));
    return probe.receiveMessage().retryAfter();
  }

  @Test
  void locksAUserAfterTooManyFailuresInTheWindowThenUnlocks() {
    SteppingClock clock = new SteppingClock();
    ActorRef<LoginThrottle.Command> throttle = TEST_KIT.spawn(LoginThrottle.create(LIMITS, clock));
    throttle.tell(new LoginThrottle.Failed("ann", HOME));
    throttle.tell(new LoginThrottle.Failed("ann", HOME));
    assertTrue(check(throttle, "ann").isEmpty());
    throttle.tell(new LoginThrottle.Failed("ann", HOME));
    assertEquals(Optional.of(Duration.ofMinutes(10)), check(throttle, "ann"));
    assertTrue(check(throttle, "bob").isEmpty());
    clock.advance(Duration.ofMinutes(10));
    assertTrue(check(throttle, "ann").isEmpty());
  }

  @Test
  void failuresOutsideTheWindowDoNotCount() {
    SteppingClock clock = new SteppingClock();
    ActorRef<LoginThrottle.Command> throttle = TEST_KIT.spawn(LoginThrottle.create(LIMITS, clock));
    throttle.tell(new LoginThrottle.Failed("cat", HOME));
    throttle.tell(new LoginThrottle.Failed("cat", HOME));
    // A round trip: both failures are stamped with the old time before the clock moves.
    assertTrue(check(throttle, "cat").isEmpty());
    clock.advance(Duration.ofMinutes(6));
    throttle.tell(new LoginThrottle.Failed("cat", HOME));
    assertTrue(check(throttle, "cat").isEmpty());
  }

  @Test
  void aSuccessfulLoginClearsTheFailures() {
    SteppingClock clock = new SteppingClock();
    ActorRef<LoginThrottle.Command> throttle = TEST_KIT.spawn(LoginThrottle.create(LIMITS, clock));
    throttle.tell(new LoginThrottle.Failed("dan", HOME));
    throttle.tell(new LoginThrottle.Failed("dan", HOME));
    throttle.tell(new LoginThrottle.Succeeded("dan", HOME));
    throttle.tell(new LoginThrottle.Failed("dan", HOME));
    throttle.tell(new LoginThrottle.Failed("dan", HOME));
    assertTrue(check(throttle, "dan").isEmpty());
  }

  @Test
  void aStrangerElsewhereCannotLockTheUserOut() {
    SteppingClock clock = new SteppingClock();
    ActorRef<LoginThrottle.Command> throttle = TEST_KIT.spawn(LoginThrottle.create(LIMITS, clock));
    for (int i = 0; i < 3; i++) {
      throttle.tell(new LoginThrottle.Failed("admin", "203.0.113.9"));
    }
    assertTrue(check(throttle, "admin", "203.0.113.9").isPresent());
    assertTrue(check(throttle, "admin", HOME).isEmpty());
  }

  @Test
  void anAddressSprayingManyUsersIsLockedOut() {
    SteppingClock clock = new SteppingClock();
    ActorRef<LoginThrottle.Command> throttle = TEST_KIT.spawn(LoginThrottle.create(LIMITS, clock));
    for (int i = 0; i < 5; i++) {
      throttle.tell(new LoginThrottle.Failed("user" + i, "198.51.100.7"));
    }
    assertEquals(
        Optional.of(Duration.ofMinutes(10)), check(throttle, "someone-else", "198.51.100.7"));
    assertTrue(check(throttle, "someone-else", HOME).isEmpty());
  }
}
