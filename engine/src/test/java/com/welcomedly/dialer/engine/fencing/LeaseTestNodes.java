package com.welcomedly.dialer.engine.fencing;

import com.typesafe.config.ConfigFactory;
import com.welcomedly.dialer.engine.persistence.DatabaseSettings;
import com.welcomedly.dialer.engine.persistence.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;

/** What the lease tests share: nodes on one real PostgreSQL with short leases, and its SQL. */
final class LeaseTestNodes {
  private LeaseTestNodes() {}

  // A short TTL keeps the expiry tests quick; the ratios are those of production.
  private static final String SHORT_LEASES =
      """
      dialer.lease.heartbeat-timeout = 2s
      dialer.lease.heartbeat-interval = 300ms
      dialer.lease.lease-operation-timeout = 900ms
      dialer.lease.safety-margin = 200ms
      """;

  /** A node (ActorSystem "dialer") on {@code database}; {@code more}: HOCON over the defaults. */
  static ActorTestKit node(DatabaseSettings database, String more) {
    return ActorTestKit.create(
        "dialer", TestDatabase.config(database, ConfigFactory.parseString(SHORT_LEASES + more)));
  }

  static boolean await(CompletionStage<Boolean> stage) throws Exception {
    return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  static void execute(DatabaseSettings database, String sql) throws SQLException {
    try (Connection c = connect(database)) {
      c.createStatement().execute(sql);
    }
  }

  static Connection connect(DatabaseSettings database) throws SQLException {
    return DriverManager.getConnection(database.url(), database.user(), database.password());
  }
}
