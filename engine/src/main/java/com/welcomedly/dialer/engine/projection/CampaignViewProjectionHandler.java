package com.welcomedly.dialer.engine.projection;

import com.welcomedly.dialer.engine.campaign.Campaign;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;

/** Keeps {@code campaign_view} in step with the Campaign events. */
final class CampaignViewProjectionHandler
    extends JdbcHandler<EventEnvelope<Campaign.Event>, PooledJdbcSession> {

  @Override
  public void process(PooledJdbcSession session, EventEnvelope<Campaign.Event> envelope)
      throws Exception {
    session.withConnection(
        connection -> {
          apply(connection, envelope.event());
          return null;
        });
  }

  private static void apply(Connection c, Campaign.Event event) throws SQLException {
    if (event instanceof Campaign.Created e) {
      try (PreparedStatement s =
          c.prepareStatement(
              "INSERT INTO campaign_view (campaign_id, name, status, dial_mode, created_at,"
                  + " updated_at) VALUES (?, ?, 'DRAFT', ?, ?, ?)"
                  + " ON CONFLICT (campaign_id) DO NOTHING")) {
        s.setString(1, e.campaignId());
        s.setString(2, e.name());
        s.setString(3, e.config().pacing().mode().name());
        s.setTimestamp(4, Timestamp.from(e.at()));
        s.setTimestamp(5, Timestamp.from(e.at()));
        s.executeUpdate();
      }
    } else if (event instanceof Campaign.ConfigChanged e) {
      update(c, e.campaignId(), "dial_mode", e.newConfig().pacing().mode().name(), e.at());
    } else if (event instanceof Campaign.PacingChanged e) {
      update(c, e.campaignId(), "dial_mode", e.newPacing().mode().name(), e.at());
    } else if (event instanceof Campaign.Started e) {
      update(c, e.campaignId(), "status", Campaign.Status.ACTIVE.name(), e.at());
    } else if (event instanceof Campaign.Paused e) {
      update(c, e.campaignId(), "status", Campaign.Status.PAUSED.name(), e.at());
    } else if (event instanceof Campaign.Resumed e) {
      update(c, e.campaignId(), "status", Campaign.Status.ACTIVE.name(), e.at());
    } else if (event instanceof Campaign.Finished e) {
      update(c, e.campaignId(), "status", Campaign.Status.FINISHED.name(), e.at());
    }
  }

  /** {@code column} is one of this class's own constants, never input. */
  private static void update(
      Connection c, String campaignId, String column, String value, Instant at)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE campaign_view SET " + column + " = ?, updated_at = ? WHERE campaign_id = ?")) {
      s.setString(1, value);
      s.setTimestamp(2, Timestamp.from(at));
      s.setString(3, campaignId);
      s.executeUpdate();
    }
  }
}
