package com.welcomedly.dialer.engine.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SchemaMigratorIntegrationTest {

  @Test
  void createsEveryTableAndIsSafeToRunAtEveryStart() throws SQLException {
    DatabaseSettings database = TestDatabase.fresh("schema"); // migrated once already
    SchemaMigrator.migrate(database);
    SchemaMigrator.migrate(database);

    Set<String> tables = new HashSet<>();
    try (Connection c =
            DriverManager.getConnection(database.url(), database.user(), database.password());
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")) {
      while (rs.next()) {
        tables.add(rs.getString(1));
      }
    }
    assertTrue(
        tables.containsAll(
            Set.of(
                "event_journal",
                "event_tag",
                "snapshot",
                "durable_state",
                "pekko_projection_offset_store",
                "pekko_projection_management")),
        "tables: " + tables);
  }

  @Test
  void failsLoudlyWhenTheDatabaseCannotBeReached() {
    DatabaseSettings nowhere =
        new DatabaseSettings(
            "jdbc:postgresql://127.0.0.1:1/none", "postgres", "x", java.util.Optional.empty(), 1);
    IllegalStateException failure =
        assertThrows(IllegalStateException.class, () -> SchemaMigrator.migrate(nowhere));
    assertTrue(failure.getMessage().startsWith("Schema migration failed"), failure.getMessage());
  }

  @Test
  void replacesTheDatabaseNameInAJdbcUrl() {
    assertEquals(
        "jdbc:postgresql://localhost:5432/other?user=a&reWriteBatchedInserts=true",
        TestDatabase.withDatabase(
            "jdbc:postgresql://localhost:5432/postgres?user=a&reWriteBatchedInserts=true",
            "other"));
    assertEquals(
        "jdbc:postgresql://db:5432/other",
        TestDatabase.withDatabase("jdbc:postgresql://db:5432/postgres", "other"));
  }
}
