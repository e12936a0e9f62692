package com.welcomedly.dialer.bench.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.welcomedly.dialer.api.Main;
import com.welcomedly.dialer.api.demo.Demo;
import com.welcomedly.dialer.api.demo.DemoOptions;
import com.welcomedly.dialer.engine.persistence.DatabaseSettings;
import com.welcomedly.dialer.engine.persistence.EmbeddedDatabase;
import com.welcomedly.dialer.engine.persistence.SchemaMigrator;
import com.welcomedly.dialer.sim.AmiSimulator;
import com.welcomedly.dialer.sim.SimulatorSettings;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The benchmarks' production node ({@code ./bench-system}, {@code ./bench-load}): the AMI
 * simulator, the database (embedded unless {@code DIALER_DB_URL}), the schema, and one node ({@code
 * Main.init}: dialer, entities, projections, HTTP) on free ports, talking to the simulator over
 * TCP.
 */
record BenchNode(
    AmiSimulator simulator,
    ActorSystem<Void> system,
    Optional<EmbeddedDatabase> embedded,
    DatabaseSettings database)
    implements AutoCloseable {

  /** {@code overrides}: node settings on top of the demo's (e.g. the dialer's tick). */
  static BenchNode start(SimulatorSettings simulated, DemoOptions options, Config overrides)
      throws Exception {
    AmiSimulator simulator = AmiSimulator.start(simulated);
    DatabaseSettings requested = DatabaseSettings.fromConfig(ConfigFactory.load());
    // pg_stat_statements lets ./bench-load count the SQL statements per call (WorkPerCall); it
    // must be loaded at server start. An external database is counted if it has it loaded.
    Optional<EmbeddedDatabase> embedded =
        requested.isEmbedded()
            ? Optional.of(
                EmbeddedDatabase.start(
                    requested, Map.of("shared_preload_libraries", "pg_stat_statements")))
            : Optional.empty();
    DatabaseSettings database = embedded.map(EmbeddedDatabase::settings).orElse(requested);
    SchemaMigrator.migrate(database);
    // Free ports: other nodes (a ./dialer) may run on this machine.
    Config node =
        ConfigFactory.load(
            overrides
                .withFallback(Demo.amiConfig(simulator))
                .withFallback(Demo.compressedTime(options))
                .withFallback(
                    ConfigFactory.parseMap(
                        Map.of(
                            // One node: no bootstrap discovery (it would wait for contact points).
                            "dialer.cluster.join", "self",
                            // The benchmark prints its figures after the node stopped.
                            "pekko.coordinated-shutdown.exit-jvm", "off",
                            "dialer.management.port", 0,
                            "dialer.http.port", 0,
                            "dialer.cluster.port", 0,
                            "dialer.metrics.port", 0)))
                .withFallback(database.asConfigOverrides())
                .withFallback(ConfigFactory.defaultApplication()));
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "dialer", node);
    BenchNode started = new BenchNode(simulator, system, embedded, database);
    try {
      Main.init(system).toCompletableFuture().get(120, TimeUnit.SECONDS);
      return started;
    } catch (Exception e) {
      started.close();
      throw e;
    }
  }

  @Override
  public void close() throws Exception {
    try {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } finally {
      simulator.close();
      embedded.ifPresent(EmbeddedDatabase::close);
    }
  }
}
