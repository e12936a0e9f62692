package com.welcomedly.dialer.engine.gamification;

import com.typesafe.config.Config;
import com.welcomedly.dialer.engine.campaign.Disposition;
import com.welcomedly.dialer.engine.lead.Lead;
import com.welcomedly.dialer.engine.projection.PooledJdbcSession;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;

/**
 * Scores the Lead events of connected calls: talk time when the call ends (from the agent's
 * connect, kept in {@code gamification_open_call}), contact, success and wrap-up adherence at the
 * agent's disposition, and the badges those earn. A lead's events share one tag, so they arrive
 * here in order. Days are UTC days of the event's time, never of the processing time, so a rebuild
 * gives the same rows.
 */
final class GamificationProjectionHandler
    extends JdbcHandler<EventEnvelope<Lead.Event>, PooledJdbcSession> {

  private final Config config;

  GamificationProjectionHandler(Config config) {
    this.config = config;
  }

  @Override
  public void process(PooledJdbcSession session, EventEnvelope<Lead.Event> envelope)
      throws Exception {
    session.withConnection(
        connection -> {
          apply(connection, envelope.event());
          return null;
        });
  }

  private void apply(Connection c, Lead.Event event) throws SQLException {
    if (event instanceof Lead.AgentConnected e) {
      try (PreparedStatement s =
          c.prepareStatement(
              "INSERT INTO gamification_open_call (attempt_id, agent_id, connected_at)"
                  + " VALUES (?, ?, ?) ON CONFLICT (attempt_id) DO NOTHING")) {
        s.setString(1, e.attemptId());
        s.setString(2, e.agentId());
        s.setTimestamp(3, Timestamp.from(e.at()));
        s.executeUpdate();
      }
    } else if (event instanceof Lead.CallEnded e) {
      talkEnded(c, e);
    } else if (event instanceof Lead.DispositionRecorded e && e.agentId() != null) {
      dispositioned(c, e);
    }
  }

  private void talkEnded(Connection c, Lead.CallEnded e) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "DELETE FROM gamification_open_call WHERE attempt_id = ?"
                + " RETURNING agent_id, connected_at")) {
      s.setString(1, e.attemptId());
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return;
        }
        String agentId = rs.getString("agent_id");
        Duration talk = Duration.between(rs.getTimestamp("connected_at").toInstant(), e.at());
        PointRules rules = PointRules.forCampaign(config, e.campaignId());
        add(
            c,
            agentId,
            e.campaignId(),
            e.at(),
            new Delta(rules.forTalk(talk), 0, 0, Math.max(0, talk.toSeconds()), 0, 0));
      }
    }
  }

  private void dispositioned(Connection c, Lead.DispositionRecorded e) throws SQLException {
    PointRules rules = PointRules.forCampaign(config, e.campaignId());
    boolean contact = e.category() != null && e.category() != Disposition.Category.NO_CONTACT;
    boolean success = e.category() == Disposition.Category.SUCCESS;
    long contactsToday =
        add(
            c,
            e.agentId(),
            e.campaignId(),
            e.at(),
            new Delta(
                rules.forDisposition(contact, success, e.byTimeout()),
                contact ? 1 : 0,
                success ? 1 : 0,
                0,
                e.byTimeout() ? 0 : 1,
                e.byTimeout() ? 1 : 0));
    if (success) {
      award(c, e.agentId(), e.campaignId(), Badge.FIRST_SALE, e.at());
    }
    if (contact && contactsToday >= rules.contactsPerDayBadge()) {
      award(c, e.agentId(), e.campaignId(), Badge.CONTACTS_IN_A_DAY, e.at());
    }
  }

  private record Delta(
      long points, long contacts, long successes, long talkSeconds, long onTime, long timeouts) {}

  /** Adds to the agent's day; returns the day's contacts after the addition. */
  private static long add(Connection c, String agentId, String campaignId, Instant at, Delta d)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO gamification_agent_day (agent_id, campaign_id, day, points, contacts,"
                + " successes, talk_seconds, on_time_wrap_ups, wrap_up_timeouts)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (agent_id, campaign_id, day) DO UPDATE SET"
                + " points = gamification_agent_day.points + EXCLUDED.points,"
                + " contacts = gamification_agent_day.contacts + EXCLUDED.contacts,"
                + " successes = gamification_agent_day.successes + EXCLUDED.successes,"
                + " talk_seconds = gamification_agent_day.talk_seconds + EXCLUDED.talk_seconds,"
                + " on_time_wrap_ups = gamification_agent_day.on_time_wrap_ups"
                + " + EXCLUDED.on_time_wrap_ups,"
                + " wrap_up_timeouts = gamification_agent_day.wrap_up_timeouts"
                + " + EXCLUDED.wrap_up_timeouts"
                + " RETURNING contacts")) {
      s.setString(1, agentId);
      s.setString(2, campaignId);
      s.setObject(3, dayOf(at));
      s.setLong(4, d.points());
      s.setLong(5, d.contacts());
      s.setLong(6, d.successes());
      s.setLong(7, d.talkSeconds());
      s.setLong(8, d.onTime());
      s.setLong(9, d.timeouts());
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static void award(
      Connection c, String agentId, String campaignId, Badge badge, Instant at)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO gamification_badge (agent_id, campaign_id, badge, awarded_at)"
                + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
      s.setString(1, agentId);
      s.setString(2, campaignId);
      s.setString(3, badge.name());
      s.setTimestamp(4, Timestamp.from(at));
      s.executeUpdate();
    }
  }

  static LocalDate dayOf(Instant at) {
    return at.atOffset(ZoneOffset.UTC).toLocalDate();
  }
}
