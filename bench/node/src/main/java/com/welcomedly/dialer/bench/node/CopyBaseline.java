package com.welcomedly.dialer.bench.node;

import com.welcomedly.dialer.engine.persistence.DatabaseSettings;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
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
import org.postgresql.copy.CopyManager;

/**
 * The yardsticks, on the same server: PostgreSQL {@code COPY} of the same CSV from this client into
 * a plain table (no index, no key), as {@code psql \copy} does; COPY of the rows as the import
 * stored them into copies of its own tables with their keys and indexes; and the hopper's count.
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

  /**
   * The fair floor for the bulk path: the rows exactly as the import stored them (read back from
   * {@code lead_intake} and {@code hopper_lead}, untimed) loaded by COPY into fresh tables with the
   * same columns, keys and indexes ({@code LIKE ... INCLUDING ALL}), one transaction per table as a
   * COPY client would; answers the seconds of the two COPYs. What it leaves out is exactly what the
   * import adds: reading, checking and admitting the CSV, and skipping leads that exist.
   */
  double copyIntoStagingSeconds(String idPrefix) throws Exception {
    Path intake = Files.createTempFile("bench-intake-", ".copy");
    Path hopper = Files.createTempFile("bench-hopper-", ".copy");
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password())) {
      CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
      String like = idPrefix + "%"; // the benchmark's own prefixes hold no LIKE wildcard
      copyOut(copy, "lead_intake", like, intake);
      copyOut(copy, "hopper_lead", like, hopper);
      try (Statement s = c.createStatement()) {
        s.execute(
            "DROP TABLE IF EXISTS copy_intake, copy_hopper;"
                + " CREATE TABLE copy_intake (LIKE lead_intake INCLUDING ALL);"
                + " CREATE TABLE copy_hopper (LIKE hopper_lead INCLUDING ALL)");
      }
      long t0 = System.nanoTime();
      try (InputStream in = new BufferedInputStream(Files.newInputStream(intake), 1 << 16)) {
        copy.copyIn("COPY copy_intake FROM STDIN", in);
      }
      try (InputStream in = new BufferedInputStream(Files.newInputStream(hopper), 1 << 16)) {
        copy.copyIn("COPY copy_hopper FROM STDIN", in);
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      try (Statement s = c.createStatement()) {
        s.execute("DROP TABLE copy_intake, copy_hopper");
      }
      return seconds;
    } finally {
      Files.deleteIfExists(intake);
      Files.deleteIfExists(hopper);
    }
  }

  private static void copyOut(CopyManager copy, String table, String like, Path file)
      throws Exception {
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      copy.copyOut(
          "COPY (SELECT * FROM " + table + " WHERE lead_id LIKE '" + like + "') TO STDOUT", out);
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
