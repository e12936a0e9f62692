package com.welcomedly.dialer.engine.persistence;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Applies the schema under {@code db/} (journal, snapshots, projection offsets, read models) in
 * order. Every script is idempotent ({@code IF NOT EXISTS}), so this runs at every start; unlike
 * Pekko's {@code SchemaUtils.createIfNotExists} it fails loudly on any SQL error.
 */
public final class SchemaMigrator {

  /** Applied in this order; each file is kept once, here, and deploy scripts load the same. */
  public static final List<String> SCRIPTS =
      List.of(
          "db/01-journal.sql",
          "db/02-projection-offsets.sql",
          "db/03-read-models.sql",
          "db/04-stats.sql",
          "db/05-compliance.sql",
          "db/06-cluster-lease.sql",
          "db/07-gamification.sql",
          "db/08-bulk-import.sql",
          "db/09-latebridge-late-connect.sql");

  private SchemaMigrator() {}

  /** Blocking: call before the ActorSystem starts, or on a blocking dispatcher. */
  public static void migrate(DatabaseSettings db) {
    try (Connection connection = DriverManager.getConnection(db.url(), db.user(), db.password())) {
      connection.setAutoCommit(false);
      // Serialises concurrent starts of several nodes against one database.
      try (Statement lock = connection.createStatement()) {
        lock.execute("SELECT pg_advisory_xact_lock(4711000)");
      }
      for (String script : SCRIPTS) {
        apply(connection, script);
      }
      connection.commit();
    } catch (SQLException e) {
      throw new IllegalStateException("Schema migration failed: " + e.getMessage(), e);
    }
  }

  private static void apply(Connection connection, String script) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(read(script));
    } catch (SQLException e) {
      throw new SQLException(script + ": " + e.getMessage(), e.getSQLState(), e);
    }
  }

  private static String read(String resource) {
    try (InputStream in = SchemaMigrator.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("Schema script missing from the classpath: " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
