package com.welcomedly.dialer.api;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import com.welcomedly.dialer.engine.identity.User;
import com.welcomedly.dialer.engine.persistence.TestDatabase;
import com.welcomedly.dialer.sim.AmiSimulator;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/** Waiting for a test node to be fully started, without side effects on it. */
public final class TestNodes {

  private TestNodes() {}

  /**
   * A test system on a fresh database {@code database} whose AMI gateway logs in to {@code
   * simulator} (user and secret {@code dialer}, the simulator's defaults).
   */
  public static ActorTestKit withSimulator(String database, AmiSimulator simulator) {
    return ActorTestKit.create(
        "dialer",
        TestDatabase.config(
            TestDatabase.fresh(database),
            ConfigFactory.parseMap(
                Map.of(
                    "dialer.telephony.ami.port", simulator.port(),
                    "dialer.telephony.ami.username", "dialer",
                    "dialer.telephony.ami.secret", "dialer"))));
  }

  /** Runs {@code Main.init} on the test system, waits for the bootstrap admin; the HTTP port. */
  public static int start(ActorTestKit testKit) throws Exception {
    int port =
        Main.init(testKit.system())
            .toCompletableFuture()
            .get(20, TimeUnit.SECONDS)
            .localAddress()
            .getPort();
    awaitBootstrapAdmin(testKit);
    return port;
  }

  /**
   * Waits until the bootstrap admin (created asynchronously at start) exists. Asks the User entity
   * instead of trying to log in: failed logins would count against the login throttle.
   */
  public static void awaitBootstrapAdmin(ActorTestKit testKit) {
    TestProbe<Optional<User.Summary>> probe = testKit.createTestProbe();
    probe.awaitAssert(
        Duration.ofSeconds(30),
        Duration.ofMillis(200),
        () -> {
          ClusterSharding.get(testKit.system())
              .entityRefFor(User.ENTITY_KEY, "admin")
              .tell(new User.Get(probe.getRef()));
          assertTrue(probe.receiveMessage(Duration.ofSeconds(5)).isPresent(), "no admin yet");
          return null;
        });
  }
}
