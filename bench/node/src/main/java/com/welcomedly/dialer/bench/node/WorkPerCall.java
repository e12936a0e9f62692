package com.welcomedly.dialer.bench.node;

import com.welcomedly.dialer.engine.persistence.DatabaseSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one call costs the database, for {@code ./bench-load}: between two snapshots of PostgreSQL's
 * own counters, the events the journal stored (by entity and event class), the statements the
 * server ran ({@code pg_stat_statements}, when loaded), the rows each table gained, changed or lost
 * ({@code pg_stat_user_tables}: the read models' writes and the projections' offset updates) and
 * the transactions committed, each divided by the calls dialed meanwhile.
 *
 * <p>Why flows and not one call followed from start to end: a connected call lasts minutes (talk
 * plus wrap-up) and a phase lasts seconds, so few calls start and end inside a phase. At steady
 * state every event type occurs at a rate set by the calls: a type that happens once per dial shows
 * ≈ 1 per dial, one that happens once per connected call ≈ 1 per connect. Both ratios are printed;
 * docs/throughput.md ("Work per call") reads the per-call costs off them.
 */
final class WorkPerCall {
  private static final String LEAD_DIALED = "Lead$DialStarted";
  private static final String LEAD_CONNECTED = "Lead$AgentConnected";

  /** The counters at one instant. */
  record Snapshot(
      long ordering,
      Map<String, Long> tableWrites,
      Map<String, Statements> statements,
      long commits,
      long rollbacks) {}

  /** One normalized statement's text and how often it ran. */
  record Statements(String query, long calls) {}

  private final DatabaseSettings database;
  private final boolean statementsCounted;

  private WorkPerCall(DatabaseSettings database, boolean statementsCounted) {
    this.database = database;
    this.statementsCounted = statementsCounted;
  }

  /** Creates the {@code pg_stat_statements} view if the server has the library loaded. */
  static WorkPerCall on(DatabaseSettings database) throws SQLException {
    try (Connection c = connect(database);
        Statement s = c.createStatement()) {
      try {
        s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        s.executeQuery("SELECT count(*) FROM pg_stat_statements").close();
        return new WorkPerCall(database, true);
      } catch (SQLException e) {
        System.out.println("bench-load: SQL statements not counted (" + e.getMessage() + ")");
        return new WorkPerCall(database, false);
      }
    }
  }

  Snapshot take() throws SQLException {
    try (Connection c = connect(database);
        Statement s = c.createStatement()) {
      long ordering;
      try (ResultSet r = s.executeQuery("SELECT coalesce(max(ordering), 0) FROM event_journal")) {
        r.next();
        ordering = r.getLong(1);
      }
      Map<String, Long> writes = new TreeMap<>();
      try (ResultSet r =
          s.executeQuery(
              "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_user_tables")) {
        while (r.next()) {
          writes.put(r.getString(1), r.getLong(2));
        }
      }
      Map<String, Statements> statements = new HashMap<>();
      if (statementsCounted) {
        try (ResultSet r =
            s.executeQuery(
                "SELECT queryid, min(query), sum(calls) FROM pg_stat_statements"
                    + " WHERE dbid = (SELECT oid FROM pg_database WHERE datname ="
                    + " current_database()) GROUP BY queryid")) {
          while (r.next()) {
            statements.put(r.getString(1), new Statements(oneLine(r.getString(2)), r.getLong(3)));
          }
        }
      }
      long commits;
      long rollbacks;
      try (ResultSet r =
          s.executeQuery(
              "SELECT xact_commit, xact_rollback FROM pg_stat_database"
                  + " WHERE datname = current_database()")) {
        r.next();
        commits = r.getLong(1);
        rollbacks = r.getLong(2);
      }
      return new Snapshot(ordering, writes, statements, commits, rollbacks);
    }
  }

  /**
   * The report for the phase between {@code from} and {@code to}; {@code asks}: the dialer's asks
   * to leads and agents in the phase, by step.
   */
  String report(Snapshot from, Snapshot to, Map<String, Long> asks) throws SQLException {
    Map<String, Long> events = new TreeMap<>();
    try (Connection c = connect(database);
        var q =
            c.prepareStatement(
                "SELECT split_part(persistence_id, '|', 1), event_ser_manifest, count(*)"
                    + " FROM event_journal WHERE ordering > ? AND ordering <= ? GROUP BY 1, 2")) {
      q.setLong(1, from.ordering());
      q.setLong(2, to.ordering());
      try (ResultSet r = q.executeQuery()) {
        while (r.next()) {
          String type = r.getString(2);
          events.put(
              r.getString(1) + " " + type.substring(type.lastIndexOf('.') + 1), r.getLong(3));
        }
      }
    }
    long dials = events.getOrDefault("Lead " + LEAD_DIALED, 0L);
    long connects = events.getOrDefault("Lead " + LEAD_CONNECTED, 0L);
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "work per call: %d dials, %d connects in the phase (Lead DialStarted, AgentConnected)%n",
            dials,
            connects));
    if (dials == 0) {
      return b.append("work per call: no dial in the phase, nothing to divide\n").toString();
    }
    long eventTotal = events.values().stream().mapToLong(Long::longValue).sum();
    b.append("| persisted event | count | per dial | per connect |\n|---|---|---|---|\n");
    events.forEach((type, n) -> b.append(rowOf(type, n, dials, connects)));
    b.append(rowOf("**all events**", eventTotal, dials, connects));

    b.append(
        "\n| the dialer's asks (dialer_step_seconds, by step) | count | per dial | per connect |\n");
    b.append("|---|---|---|---|\n");
    asks.forEach((step, n) -> b.append(rowOf(step, n, dials, connects)));
    b.append(
        rowOf(
            "**all the dialer's asks**",
            asks.values().stream().mapToLong(Long::longValue).sum(),
            dials,
            connects));

    b.append(
        "\n| table written (rows inserted + updated + deleted) | count | per dial | per connect |\n");
    b.append("|---|---|---|---|\n");
    for (Map.Entry<String, Long> t : to.tableWrites().entrySet()) {
      long n = t.getValue() - from.tableWrites().getOrDefault(t.getKey(), 0L);
      if (n > 0) {
        b.append(rowOf(t.getKey(), n, dials, connects));
      }
    }
    b.append(rowOf("transactions committed", to.commits() - from.commits(), dials, connects));
    b.append(rowOf("transactions rolled back", to.rollbacks() - from.rollbacks(), dials, connects));

    if (statementsCounted) {
      List<Statements> ran = new ArrayList<>();
      long total = 0;
      for (Map.Entry<String, Statements> e : to.statements().entrySet()) {
        Statements before = from.statements().get(e.getKey());
        long n = e.getValue().calls() - (before == null ? 0 : before.calls());
        if (n > 0) {
          ran.add(new Statements(e.getValue().query(), n));
          total += n;
        }
      }
      ran.sort((x, y) -> Long.compare(y.calls(), x.calls()));
      b.append("\n| SQL statement (pg_stat_statements) | count | per dial | per connect |\n");
      b.append("|---|---|---|---|\n");
      for (Statements st : ran.subList(0, Math.min(25, ran.size()))) {
        b.append(rowOf("`" + st.query() + "`", st.calls(), dials, connects));
      }
      b.append(rowOf("**all statements**", total, dials, connects));
    }
    return b.toString();
  }

  private static String rowOf(String what, long n, long dials, long connects) {
    return String.format(
        Locale.ROOT,
        "| %s | %d | %.2f | %s |%n",
        what,
        n,
        (double) n / dials,
        connects == 0 ? "-" : String.format(Locale.ROOT, "%.2f", (double) n / connects));
  }

  private static String oneLine(String query) {
    String flat = query.replaceAll("\\s+", " ").replace("|", "\\|").trim();
    return flat.length() <= 110 ? flat : flat.substring(0, 107) + "...";
  }

  private static Connection connect(DatabaseSettings database) throws SQLException {
    return DriverManager.getConnection(database.url(), database.user(), database.password());
  }
}
