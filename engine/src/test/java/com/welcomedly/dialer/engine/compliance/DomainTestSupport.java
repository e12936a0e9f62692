package com.welcomedly.dialer.engine.compliance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.welcomedly.dialer.engine.Engine;
import com.welcomedly.dialer.engine.persistence.DatabaseSettings;
import com.welcomedly.dialer.engine.persistence.TestDatabase;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;

/** Shared set-up of the domain entity tests: testkit config, controlled time, a real node. */
public final class DomainTestSupport {

  public static final Duration TIMEOUT = Duration.ofSeconds(20);

  private DomainTestSupport() {}

  /**
   * In-memory journal of the entity testkit, manual scheduler for timers, our Jackson binding and
   * every message serialized, so the entity tests also prove CBOR round-trips.
   */
  public static Config entityTestConfig() {
    return ManualTime.config()
        .withFallback(EventSourcedBehaviorTestKit.config())
        .withFallback(
            ConfigFactory.parseString(
                "pekko.actor.serialize-messages = on\n"
                    + "pekko.actor.serialize-creators = off\n"
                    + "pekko.loglevel = WARNING\n"
                    + "pekko.loggers = [\"org.apache.pekko.event.slf4j.Slf4jLogger\"]"))
        .withFallback(ConfigFactory.parseResources("serialization.conf"));
  }

  /** Moves the entity clock and the timers' scheduler forward together. */
  public static void advance(ManualClock clock, ManualTime time, Duration duration) {
    clock.advance(duration);
    time.timePasses(duration);
  }

  /** A one-node cluster on the given real PostgreSQL with the engine (all entities) started. */
  public static ActorTestKit startNode(String name, DatabaseSettings database) {
    ActorTestKit testKit = ActorTestKit.create(name, TestDatabase.config(database));
    Cluster cluster = Cluster.get(testKit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    TestProbe<Void> waiter = testKit.createTestProbe();
    waiter.awaitAssert(
        TIMEOUT,
        () -> {
          assertEquals(MemberStatus.up(), cluster.selfMember().status());
          return null;
        });
    Engine.init(testKit.system());
    return testKit;
  }
}
