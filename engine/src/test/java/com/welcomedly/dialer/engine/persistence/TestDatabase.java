package com.welcomedly.dialer.engine.persistence;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real PostgreSQL for tests. One server per test JVM (the embedded one, or the server named by
 * {@code DIALER_DB_URL}), and a fresh database with the production schema for each caller, so test
 * classes never see each other's events. There is no fallback: if no server can be had the test
 * fails with the reason, it never skips.
 */
public final class TestDatabase {

  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  private TestDatabase() {}

  /** A new, empty, migrated database on the test server. */
  public static DatabaseSettings fresh(String name) {
    DatabaseSettings server = Server.SETTINGS;
    String database =
        (name.replaceAll("[^A-Za-z0-9]", "_")
                + "_"
                + ProcessHandle.current().pid()
                + "_"
                + SEQUENCE.incrementAndGet())
            .toLowerCase();
    try (Connection admin =
            DriverManager.getConnection(server.url(), server.user(), server.password());
        Statement statement = admin.createStatement()) {
      statement.execute("CREATE DATABASE " + database);
    } catch (SQLException e) {
      throw new IllegalStateException("Could not create test database " + database, e);
    }
    DatabaseSettings settings =
        server.withConnection(
            withDatabase(server.url(), database), server.user(), server.password());
    SchemaMigrator.migrate(settings);
    return settings;
  }

  /** Drops a database at once, closing its connections: simulates the database going away. */
  public static void drop(DatabaseSettings database) {
    DatabaseSettings server = Server.SETTINGS;
    String name = databaseName(database.url());
    try (Connection admin =
            DriverManager.getConnection(server.url(), server.user(), server.password());
        Statement statement = admin.createStatement()) {
      statement.execute("DROP DATABASE " + name + " WITH (FORCE)");
    } catch (SQLException e) {
      throw new IllegalStateException("Could not drop test database " + name, e);
    }
  }

  /** The engine's test config ({@code application-test.conf}) pointed at the given database. */
  public static Config config(DatabaseSettings database) {
    return config(database, ConfigFactory.empty());
  }

  /** As {@link #config(DatabaseSettings)}, with test-specific overrides on top. */
  public static Config config(DatabaseSettings database, Config overrides) {
    return ConfigFactory.load(
        overrides
            .withFallback(database.asConfigOverrides())
            .withFallback(ConfigFactory.parseResources("application-test.conf")));
  }

  static String withDatabase(String url, String database) {
    int hostStart = url.indexOf("//") + 2;
    int slash = url.indexOf('/', hostStart);
    int query = url.indexOf('?', hostStart);
    String prefix =
        slash < 0 ? (query < 0 ? url : url.substring(0, query)) : url.substring(0, slash);
    String params = query < 0 ? "" : url.substring(query);
    return prefix + "/" + database + params;
  }

  private static String databaseName(String url) {
    int hostStart = url.indexOf("//") + 2;
    int slash = url.indexOf('/', hostStart);
    int query = url.indexOf('?', slash);
    return query < 0 ? url.substring(slash + 1) : url.substring(slash + 1, query);
  }

  /** Lazily started on first use, stopped when the test JVM exits. */
  private static final class Server {
    static final DatabaseSettings SETTINGS = start();

    private static DatabaseSettings start() {
      DatabaseSettings configured = DatabaseSettings.fromConfig(ConfigFactory.load());
      if (!configured.isEmbedded()) {
        return configured;
      }
      EmbeddedDatabase embedded = EmbeddedDatabase.start(configured);
      Runtime.getRuntime().addShutdownHook(new Thread(embedded::close, "embedded-postgres-stop"));
      return embedded.settings();
    }
  }
}
