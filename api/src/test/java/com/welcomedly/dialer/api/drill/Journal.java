package com.welcomedly.dialer.api.drill;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * Reads event times straight from the journal table: what the entities recorded, stamped by the
 * writer, independent of any node's logs or of the drill's own polling.
 */
final class Journal {
  /** A lead's dial started (the originate was sent): the drill's "dialing" signal. */
  static final String DIAL_STARTED = "lead.Lead$DialStarted";

  private final PostgresServer postgres;

  Journal(PostgresServer postgres) {
    this.postgres = postgres;
  }

  /** The write time of the first event of this type written after {@code after}. */
  Optional<Instant> firstAfter(String eventType, Instant after) {
    try (Connection c = postgres.connect();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT min(write_timestamp) FROM event_journal"
                    + " WHERE event_ser_manifest LIKE ? AND write_timestamp > ?")) {
      s.setString(1, "%" + eventType);
      s.setLong(2, after.toEpochMilli());
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        long at = rs.getLong(1);
        return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(at));
      }
    } catch (SQLException e) {
      return Optional.empty(); // the database is away (a drill restarts it): ask again later
    }
  }

  /** How many events of this type were written after {@code after}. */
  long countAfter(String eventType, Instant after) {
    try (Connection c = postgres.connect();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT count(*) FROM event_journal"
                    + " WHERE event_ser_manifest LIKE ? AND write_timestamp > ?")) {
      s.setString(1, "%" + eventType);
      s.setLong(2, after.toEpochMilli());
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new AssertionError("journal not readable: " + e.getMessage(), e);
    }
  }
}
