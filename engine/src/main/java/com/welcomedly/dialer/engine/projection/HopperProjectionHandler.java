package com.welcomedly.dialer.engine.projection;

import com.welcomedly.dialer.engine.lead.Callback;
import com.welcomedly.dialer.engine.lead.Lead;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;

/**
 * Keeps {@code hopper_lead} in step with the Lead events. Each event carries what its row needs
 * (new status, next-attempt time, callback), so the handler never reads an entity.
 */
final class HopperProjectionHandler
    extends JdbcHandler<EventEnvelope<Lead.Event>, PooledJdbcSession> {

  /** In a call: a DNC mark waits for the call to end (the entity keeps the status too). */
  private static final String IN_CALL = "('RESERVED','DIALING','CONNECTED','WRAP_UP')";

  private final HopperZones zones = new HopperZones();

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
    if (event instanceof Lead.Imported e) {
      try (PreparedStatement s =
          c.prepareStatement(
              "INSERT INTO hopper_lead (lead_id, campaign_id, status, priority, attempts, timezone,"
                  + " updated_at) VALUES (?, ?, ?, ?, 0, ?, ?) ON CONFLICT (lead_id) DO NOTHING")) {
        s.setString(1, e.leadId());
        s.setString(2, e.campaignId());
        s.setString(3, e.notDialableReason() == null ? "QUEUED" : "NEW");
        s.setInt(4, e.priority());
        s.setString(5, zones.sqlZone(c, e.timezone()));
        s.setTimestamp(6, ts(e.at()));
        s.executeUpdate();
      }
    } else if (event instanceof Lead.TimezoneChanged e) {
      update(
          c,
          "UPDATE hopper_lead SET timezone = ?, status = CASE WHEN status = 'NEW' THEN 'QUEUED'"
              + " ELSE status END, updated_at = ? WHERE lead_id = ?",
          zones.sqlZone(c, e.newTimezone()),
          e.at(),
          e.leadId());
    } else if (event instanceof Lead.Reserved e) {
      status(c, e.leadId(), "RESERVED", e.at());
    } else if (event instanceof Lead.ReservationReleased e) {
      status(c, e.leadId(), e.newStatus().name(), e.at());
    } else if (event instanceof Lead.DialStarted e) {
      update(
          c,
          "UPDATE hopper_lead SET status = 'DIALING', attempts = attempts + 1, dialed_at = ?,"
              + " answered_at = NULL, updated_at = ? WHERE lead_id = ?",
          e.at(),
          e.at(),
          e.leadId());
    } else if (event instanceof Lead.CallAnswered e) {
      update(
          c,
          "UPDATE hopper_lead SET answered_at = ?, updated_at = ? WHERE lead_id = ?",
          e.at(),
          e.at(),
          e.leadId());
    } else if (event instanceof Lead.AgentConnected e) {
      status(c, e.leadId(), "CONNECTED", e.at());
      // A late connect is an abandon for the ledger a moved or restarted dialer seeds from.
      liveAnswer(c, e.attemptId(), e.campaignId(), e.at(), e.late());
    } else if (event instanceof Lead.CallEnded e) {
      if (e.outcome() == Lead.CallOutcome.ABANDONED) {
        liveAnswer(c, e.attemptId(), e.campaignId(), e.at(), true);
      }
      PacingSamples.dialEnded(c, e);
      update(
          c,
          "UPDATE hopper_lead SET status = ?, next_attempt_at = ?, dialed_at = NULL,"
              + " answered_at = NULL, updated_at = ? WHERE lead_id = ?",
          e.newStatus().name(),
          e.nextAttemptAt(),
          e.at(),
          e.leadId());
    } else if (event instanceof Lead.DispositionRecorded e) {
      Callback cb = e.callback();
      update(
          c,
          "UPDATE hopper_lead SET status = ?, next_attempt_at = ?, callback_due_at = ?,"
              + " callback_agent_id = ?, updated_at = ? WHERE lead_id = ?",
          e.newStatus().name(),
          e.nextAttemptAt(),
          cb == null ? null : cb.dueAt(),
          cb == null ? null : cb.agentId(),
          e.at(),
          e.leadId());
    } else if (event instanceof Lead.MarkedDnc e) {
      update(
          c,
          "UPDATE hopper_lead SET status = CASE WHEN status IN "
              + IN_CALL
              + " THEN status ELSE 'DNC' END, updated_at = ? WHERE lead_id = ?",
          e.at(),
          e.leadId());
    } else if (event instanceof Lead.CallbackScheduled e) {
      update(
          c,
          "UPDATE hopper_lead SET status = 'CALLBACK', next_attempt_at = NULL, callback_due_at = ?,"
              + " callback_agent_id = ?, updated_at = ? WHERE lead_id = ?",
          e.callback().dueAt(),
          e.callback().agentId(),
          e.at(),
          e.leadId());
    } else if (event instanceof Lead.DialRefused e && e.retryAt() != null) {
      // A rule the hopper cannot see (attempt cap, lockout, a fixed-offset zone's window) refused
      // the lead: offer it again only when the rule may allow it, not on every tick.
      update(
          c,
          "UPDATE hopper_lead SET next_attempt_at = CASE WHEN status = 'QUEUED' THEN"
              + " GREATEST(COALESCE(next_attempt_at, ?), ?) ELSE next_attempt_at END,"
              + " callback_due_at = CASE WHEN status = 'CALLBACK' THEN"
              + " GREATEST(COALESCE(callback_due_at, ?), ?) ELSE callback_due_at END,"
              + " updated_at = ? WHERE lead_id = ?",
          e.retryAt(),
          e.retryAt(),
          e.retryAt(),
          e.retryAt(),
          e.at(),
          e.leadId());
    } else if (event instanceof Lead.CallbackOpenedToAnyone e) {
      update(
          c,
          "UPDATE hopper_lead SET callback_agent_id = NULL, updated_at = ? WHERE lead_id = ?",
          e.at(),
          e.leadId());
    }
  }

  private static void status(Connection c, String leadId, String status, Instant at)
      throws SQLException {
    update(
        c,
        "UPDATE hopper_lead SET status = ?, updated_at = ? WHERE lead_id = ?",
        status,
        at,
        leadId);
  }

  /** A live answer for the campaign's abandon ledger; a replayed event changes nothing. */
  private static void liveAnswer(
      Connection c, String attemptId, String campaignId, Instant at, boolean abandoned)
      throws SQLException {
    update(
        c,
        "INSERT INTO campaign_live_answer (attempt_id, campaign_id, at, abandoned)"
            + " VALUES (?, ?, ?, ?) ON CONFLICT (attempt_id) DO NOTHING",
        attemptId,
        campaignId,
        at,
        abandoned);
  }

  private static void update(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        Object p = params[i];
        if (p == null) {
          s.setNull(i + 1, Types.NULL);
        } else if (p instanceof Instant instant) {
          s.setTimestamp(i + 1, ts(instant));
        } else {
          s.setObject(i + 1, p);
        }
      }
      s.executeUpdate();
    }
  }

  private static Timestamp ts(Instant instant) {
    return Timestamp.from(instant);
  }
}
