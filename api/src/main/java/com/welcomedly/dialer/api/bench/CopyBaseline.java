package com.welcomedly.dialer.api.bench;

import com.welcomedly.dialer.engine.persistence.DatabaseSettings;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;

/**
 * The yardstick: PostgreSQL {@code COPY} of the same CSV from this client into a plain table (no
 * index, no key) on the same server, as {@code psql \copy} does; and the hopper's count.
 */
final class CopyBaseline {

  private final DatabaseSettings db;

  CopyBaseline(DatabaseSettings db) {
    this.db = db;
  }

  double copySeconds(Path csv) throws Exception {
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password())) {
      try (Statement s = c.createStatement()) {
        s.execute(
            "DROP TABLE IF EXISTS copy_baseline; CREATE TABLE copy_baseline (id text, phone text,"
                + " phone2 text, timezone text, priority text, name text, segment text)");
      }
      long t0 = System.nanoTime();
      try (Reader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
        c.unwrap(PGConnection.class)
            .getCopyAPI()
            .copyIn("COPY copy_baseline FROM STDIN WITH (FORMAT csv, HEADER true)", in);
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      try (Statement s = c.createStatement()) {
        s.execute("DROP TABLE copy_baseline");
      }
      return seconds;
    }
  }

  long queuedInHopper(String campaignId, String idPrefix) throws SQLException {
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        PreparedStatement s =
            c.prepareStatement(
                "SELECT count(*) FROM hopper_lead WHERE campaign_id = ? AND status = 'QUEUED'"
                    + " AND lead_id LIKE ?")) {
      s.setString(1, campaignId);
      s.setString(2, idPrefix + "%");
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
