package com.welcomedly.dialer.engine.projection;

import com.welcomedly.dialer.engine.campaign.Campaign;
import com.welcomedly.dialer.engine.persistence.JdbcPool;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Pages through {@code campaign_view}, newest first. The read model lags the entities by a moment,
 * which is fine for listings; a single campaign is read from its entity instead.
 */
public final class CampaignViewQuery {

  /** One row of the read model. */
  public record Row(
      String campaignId,
      String name,
      Campaign.Status status,
      String dialMode,
      Instant createdAt,
      Instant updatedAt) {}

  /** One page and the number of rows matching the filter, so clients can page on. */
  public record Page(List<Row> rows, long total) {}

  private final JdbcPool pool;

  public CampaignViewQuery(JdbcPool pool) {
    this.pool = pool;
  }

  public CompletionStage<Page> list(Optional<Campaign.Status> status, int limit, int offset) {
    // count(*) OVER () gives the total of the filtered set in the same round trip; an offset past
    // the end returns no row, so the total is then counted separately.
    String sql =
        "SELECT campaign_id, name, status, dial_mode, created_at, updated_at,"
            + " count(*) OVER () AS total FROM campaign_view"
            + " WHERE (?::varchar IS NULL OR status = ?)"
            + " ORDER BY created_at DESC, campaign_id LIMIT ? OFFSET ?";
    String filter = status.map(Enum::name).orElse(null);
    return pool.withConnection(
        c -> {
          List<Row> rows = new ArrayList<>();
          long total = -1;
          try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, filter);
            s.setString(2, filter);
            s.setInt(3, limit);
            s.setInt(4, offset);
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                rows.add(row(rs));
                total = rs.getLong("total");
              }
            }
          }
          return new Page(rows, total >= 0 ? total : count(c, filter));
        });
  }

  private static Row row(ResultSet rs) throws SQLException {
    return new Row(
        rs.getString("campaign_id"),
        rs.getString("name"),
        Campaign.Status.valueOf(rs.getString("status")),
        rs.getString("dial_mode"),
        rs.getTimestamp("created_at").toInstant(),
        rs.getTimestamp("updated_at").toInstant());
  }

  private static long count(java.sql.Connection c, String filter) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT count(*) FROM campaign_view WHERE (?::varchar IS NULL OR status = ?)")) {
      s.setString(1, filter);
      s.setString(2, filter);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
