package com.welcomedly.dialer.engine.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The embedded PostgreSQL is durable by default (fsync, full-page writes and synchronous commit on:
 * an acknowledged journal write survives a crash), and {@code dialer.db.embedded.fsync = off}
 * ({@code DIALER_DB_EMBEDDED_FSYNC}) turns fsync off for throwaway runs.
 */
class EmbeddedDatabaseDurabilityTest {

  @Test
  void theDefaultServerFlushesEveryCommit() throws SQLException {
    DatabaseSettings defaults = DatabaseSettings.fromConfig(ConfigFactory.load());
    try (EmbeddedDatabase db = EmbeddedDatabase.start(defaults)) {
      assertEquals(
          Map.of("fsync", "on", "full_page_writes", "on", "synchronous_commit", "on"),
          durability(db.settings()));
    }
  }

  @Test
  void fsyncCanBeTurnedOffForThrowawayRuns() throws SQLException {
    DatabaseSettings off =
        DatabaseSettings.fromConfig(
            ConfigFactory.parseMap(Map.of("dialer.db.embedded.fsync", "off"))
                .withFallback(ConfigFactory.load()));
    try (EmbeddedDatabase db = EmbeddedDatabase.start(off)) {
      assertEquals("off", durability(db.settings()).get("fsync"));
    }
  }

  private static Map<String, String> durability(DatabaseSettings db) throws SQLException {
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        Statement s = c.createStatement()) {
      return Map.of(
          "fsync", show(s, "fsync"),
          "full_page_writes", show(s, "full_page_writes"),
          "synchronous_commit", show(s, "synchronous_commit"));
    }
  }

  private static String show(Statement statement, String setting) throws SQLException {
    try (ResultSet rs = statement.executeQuery("SHOW " + setting)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
