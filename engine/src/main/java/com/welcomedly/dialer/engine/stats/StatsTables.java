package com.welcomedly.dialer.engine.stats;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The upserts both statistics handlers add their counts with. Column names are this package's own
 * constants, never input.
 */
final class StatsTables {

  private StatsTables() {}

  static Instant hourOf(Instant at) {
    return at.truncatedTo(ChronoUnit.HOURS);
  }

  static void addCampaign(Connection c, String campaignId, Instant at, String column, long delta)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO stats_campaign_hour (campaign_id, hour, "
                + column
                + ") VALUES (?, ?, ?) ON CONFLICT (campaign_id, hour) DO UPDATE SET "
                + column
                + " = stats_campaign_hour."
                + column
                + " + EXCLUDED."
                + column)) {
      s.setString(1, campaignId);
      s.setTimestamp(2, Timestamp.from(hourOf(at)));
      s.setLong(3, delta);
      s.executeUpdate();
    }
  }

  static void addCode(
      Connection c, String campaignId, Instant at, String kind, String code, String category)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO stats_campaign_hour_code (campaign_id, hour, kind, code, category, count)"
                + " VALUES (?, ?, ?, ?, ?, 1) ON CONFLICT (campaign_id, hour, kind, code)"
                + " DO UPDATE SET count = stats_campaign_hour_code.count + 1,"
                + " category = COALESCE(EXCLUDED.category, stats_campaign_hour_code.category)")) {
      s.setString(1, campaignId);
      s.setTimestamp(2, Timestamp.from(hourOf(at)));
      s.setString(3, kind);
      s.setString(4, code);
      s.setString(5, category);
      s.executeUpdate();
    }
  }

  static void addLedger(Connection c, String campaignId, Instant at, long live, long abandons)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO stats_abandon_minute (campaign_id, minute, live_answers, abandons)"
                + " VALUES (?, ?, ?, ?) ON CONFLICT (campaign_id, minute) DO UPDATE SET"
                + " live_answers = stats_abandon_minute.live_answers + EXCLUDED.live_answers,"
                + " abandons = stats_abandon_minute.abandons + EXCLUDED.abandons")) {
      s.setString(1, campaignId);
      s.setTimestamp(2, Timestamp.from(at.truncatedTo(ChronoUnit.MINUTES)));
      s.setLong(3, live);
      s.setLong(4, abandons);
      s.executeUpdate();
    }
  }

  static void addAgent(
      Connection c, String agentId, String campaignId, Instant hour, String column, double delta)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO stats_agent_hour (agent_id, campaign_id, hour, "
                + column
                + ") VALUES (?, ?, ?, ?) ON CONFLICT (agent_id, campaign_id, hour) DO UPDATE SET "
                + column
                + " = stats_agent_hour."
                + column
                + " + EXCLUDED."
                + column)) {
      s.setString(1, agentId);
      s.setString(2, campaignId);
      s.setTimestamp(3, Timestamp.from(hourOf(hour)));
      s.setDouble(4, delta);
      s.executeUpdate();
    }
  }
}
