package com.welcomedly.dialer.engine.projection;

import com.welcomedly.dialer.engine.agent.Agent;
import com.welcomedly.dialer.engine.persistence.JdbcPool;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Pages through {@code agent_view} by agent id, optionally only one status or one campaign's
 * agents. The read model lags the entities by a moment; one agent is read from its entity.
 */
public final class AgentViewQuery {

  /** One row of the read model. */
  public record Row(
      String agentId,
      String displayName,
      String phoneEndpoint,
      Set<String> campaigns,
      Agent.Status status,
      Agent.PauseReason pauseReason,
      Instant statusSince,
      Instant updatedAt) {}

  /** One page and the number of rows matching the filter. */
  public record Page(List<Row> rows, long total) {}

  private static final String FILTER =
      " WHERE (?::varchar IS NULL OR status = ?) AND (?::varchar IS NULL OR ? = ANY(campaigns))";

  private final JdbcPool pool;

  public AgentViewQuery(JdbcPool pool) {
    this.pool = pool;
  }

  public CompletionStage<Page> list(
      Optional<Agent.Status> status, Optional<String> campaignId, int limit, int offset) {
    String statusFilter = status.map(Enum::name).orElse(null);
    String campaignFilter = campaignId.orElse(null);
    return pool.withConnection(
        c -> {
          List<Row> rows = new ArrayList<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT * FROM agent_view" + FILTER + " ORDER BY agent_id LIMIT ? OFFSET ?")) {
            bindFilter(s, statusFilter, campaignFilter);
            s.setInt(5, limit);
            s.setInt(6, offset);
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                rows.add(row(rs));
              }
            }
          }
          try (PreparedStatement s =
              c.prepareStatement("SELECT count(*) FROM agent_view" + FILTER)) {
            bindFilter(s, statusFilter, campaignFilter);
            try (ResultSet rs = s.executeQuery()) {
              rs.next();
              return new Page(rows, rs.getLong(1));
            }
          }
        });
  }

  private static void bindFilter(PreparedStatement s, String status, String campaign)
      throws SQLException {
    s.setString(1, status);
    s.setString(2, status);
    s.setString(3, campaign);
    s.setString(4, campaign);
  }

  private static Row row(ResultSet rs) throws SQLException {
    Array campaigns = rs.getArray("campaigns");
    String reason = rs.getString("pause_reason");
    return new Row(
        rs.getString("agent_id"),
        rs.getString("display_name"),
        rs.getString("phone_endpoint"),
        Set.of((String[]) campaigns.getArray()),
        Agent.Status.valueOf(rs.getString("status")),
        reason == null ? null : Agent.PauseReason.valueOf(reason),
        instant(rs.getTimestamp("status_since")),
        instant(rs.getTimestamp("updated_at")));
  }

  private static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }
}
