package com.welcomedly.dialer.engine.fencing;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The SQL of the {@code cluster_lease} table (db/06-cluster-lease.sql). Every statement is one
 * atomic conditional write judged with the database's clock ({@code now()}), so two contenders can
 * never both win and node clocks never matter. Blocking: called on the lease dispatcher only.
 */
final class LeaseTable {

  /** Who holds a lease, as the database saw it when a claim was refused. */
  record Holder(String owner, long renewedAtMillis, long expiresInMillis) {}

  /** An unexpired lease and its holder. */
  record Held(String name, Holder holder) {}

  private static final String CLAIM =
      "INSERT INTO cluster_lease AS l (name, owner, expires_at, acquired_at, renewed_at, version)"
          + " VALUES (?, ?, now() + ? * interval '1 millisecond', now(), now(), 1)"
          + " ON CONFLICT (name) DO UPDATE SET owner = excluded.owner,"
          + " expires_at = excluded.expires_at, renewed_at = now(),"
          + " acquired_at = CASE WHEN l.owner = excluded.owner THEN l.acquired_at ELSE now() END,"
          + " version = CASE WHEN l.owner = excluded.owner THEN l.version ELSE l.version + 1 END"
          + " WHERE l.owner = excluded.owner OR l.expires_at < now()"
          + " RETURNING version";

  private static final String TAKE_OVER =
      "UPDATE cluster_lease SET owner = ?, expires_at = now() + ? * interval '1 millisecond',"
          + " renewed_at = now(), acquired_at = now(), version = version + 1"
          + " WHERE name = ? AND owner = ? RETURNING version";

  private static final String HOLDER =
      "SELECT owner, (extract(epoch FROM renewed_at) * 1000)::bigint,"
          + " (extract(epoch FROM expires_at - now()) * 1000)::bigint"
          + " FROM cluster_lease WHERE name = ?";

  private static final String RENEW =
      "UPDATE cluster_lease SET expires_at = now() + ? * interval '1 millisecond',"
          + " renewed_at = now() WHERE owner = ? AND name = ANY(?) RETURNING name";

  private static final String RELEASE = "DELETE FROM cluster_lease WHERE name = ? AND owner = ?";

  private static final String RELEASE_ALL = "DELETE FROM cluster_lease WHERE owner = ?";

  private static final String HOLDERS_LIKE =
      "SELECT name, owner, (extract(epoch FROM renewed_at) * 1000)::bigint,"
          + " (extract(epoch FROM expires_at - now()) * 1000)::bigint"
          + " FROM cluster_lease WHERE name LIKE ? AND expires_at > now()";

  private final Duration ttl;
  private final int timeoutSeconds;

  LeaseTable(Duration ttl, Duration operationTimeout) {
    this.ttl = ttl;
    this.timeoutSeconds = (int) Math.max(1, (operationTimeout.toMillis() + 999) / 1000);
  }

  /** Takes the lease if it is free, expired or already ours; the fencing version if we hold it. */
  Optional<Long> claim(Connection c, String name, String owner) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(CLAIM)) {
      st.setQueryTimeout(timeoutSeconds);
      st.setString(1, name);
      st.setString(2, owner);
      st.setLong(3, ttl.toMillis());
      return singleLong(st);
    }
  }

  /** Takes the lease from {@code expectedHolder} only if it still holds it (no lost update). */
  Optional<Long> takeOver(Connection c, String name, String owner, String expectedHolder)
      throws SQLException {
    try (PreparedStatement st = c.prepareStatement(TAKE_OVER)) {
      st.setQueryTimeout(timeoutSeconds);
      st.setString(1, owner);
      st.setLong(2, ttl.toMillis());
      st.setString(3, name);
      st.setString(4, expectedHolder);
      return singleLong(st);
    }
  }

  Optional<Holder> holder(Connection c, String name) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(HOLDER)) {
      st.setQueryTimeout(timeoutSeconds);
      st.setString(1, name);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next()
            ? Optional.of(new Holder(rs.getString(1), rs.getLong(2), rs.getLong(3)))
            : Optional.empty();
      }
    }
  }

  /** Extends the given leases of {@code owner}; the names still ours (the others were lost). */
  Set<String> renew(Connection c, String owner, Collection<String> names) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(RENEW)) {
      st.setQueryTimeout(timeoutSeconds);
      st.setLong(1, ttl.toMillis());
      st.setString(2, owner);
      Array array = c.createArrayOf("text", names.toArray());
      st.setArray(3, array);
      Set<String> renewed = new HashSet<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          renewed.add(rs.getString(1));
        }
      }
      return renewed;
    }
  }

  boolean release(Connection c, String name, String owner) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(RELEASE)) {
      st.setQueryTimeout(timeoutSeconds);
      st.setString(1, name);
      st.setString(2, owner);
      return st.executeUpdate() > 0;
    }
  }

  int releaseAll(Connection c, String owner) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(RELEASE_ALL)) {
      st.setQueryTimeout(timeoutSeconds);
      st.setString(1, owner);
      return st.executeUpdate();
    }
  }

  /** Unexpired leases whose name matches the SQL {@code LIKE} pattern. */
  List<Held> holdersLike(Connection c, String pattern) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(HOLDERS_LIKE)) {
      st.setQueryTimeout(timeoutSeconds);
      st.setString(1, pattern);
      List<Held> rows = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          rows.add(
              new Held(rs.getString(1), new Holder(rs.getString(2), rs.getLong(3), rs.getLong(4))));
        }
      }
      return rows;
    }
  }

  private static Optional<Long> singleLong(PreparedStatement st) throws SQLException {
    try (ResultSet rs = st.executeQuery()) {
      return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
    }
  }
}
