package com.welcomedly.dialer.engine.evidence;

import static com.welcomedly.dialer.engine.evidence.EvidenceSql.update;

import com.welcomedly.dialer.engine.lead.Lead;
import com.welcomedly.dialer.engine.projection.PooledJdbcSession;
import java.sql.Connection;
import java.sql.SQLException;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;

/**
 * Copies the facts of the Lead events into {@code compliance_lead}, {@code compliance_call} and
 * {@code compliance_refusal}. Exactly-once (committed with the offset); every statement is also
 * idempotent, so a rebuild over rows that survived gives the same tables.
 */
final class ComplianceLeadHandler
    extends JdbcHandler<EventEnvelope<Lead.Event>, PooledJdbcSession> {

  @Override
  public void process(PooledJdbcSession session, EventEnvelope<Lead.Event> envelope)
      throws Exception {
    session.withConnection(
        connection -> {
          apply(connection, envelope.event());
          return null;
        });
  }

  private static void apply(Connection c, Lead.Event event) throws SQLException {
    if (event instanceof Lead.Imported e) {
      update(
          c,
          "INSERT INTO compliance_lead (lead_id, campaign_id, timezone) VALUES (?, ?, ?)"
              + " ON CONFLICT (lead_id) DO NOTHING",
          e.leadId(),
          e.campaignId(),
          e.timezone());
    } else if (event instanceof Lead.TimezoneChanged e) {
      update(
          c,
          "UPDATE compliance_lead SET timezone = ? WHERE lead_id = ?",
          e.newTimezone(),
          e.leadId());
    } else if (event instanceof Lead.Reserved e) {
      update(
          c,
          "INSERT INTO compliance_call (attempt_id, campaign_id, lead_id, number, agent_id,"
              + " reserved_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (attempt_id) DO NOTHING",
          e.attemptId(),
          e.campaignId(),
          e.leadId(),
          e.number(),
          e.agentId(),
          e.at());
    } else if (event instanceof Lead.ReservationReleased e) {
      update(
          c,
          "UPDATE compliance_call SET ended_at = ?, outcome = 'RELEASED' WHERE attempt_id = ?",
          e.at(),
          e.attemptId());
    } else if (event instanceof Lead.DialStarted e) {
      update(
          c,
          "UPDATE compliance_call SET dialed_at = ?, ring_timeout_ms = ?, timezone ="
              + " (SELECT timezone FROM compliance_lead WHERE lead_id = ?) WHERE attempt_id = ?",
          e.at(),
          e.ringTimeout() == null ? null : e.ringTimeout().toMillis(),
          e.leadId(),
          e.attemptId());
    } else if (event instanceof Lead.CallAnswered e) {
      update(
          c,
          "UPDATE compliance_call SET answered_at = ? WHERE attempt_id = ?",
          e.at(),
          e.attemptId());
    } else if (event instanceof Lead.AgentConnected e) {
      update(
          c,
          "UPDATE compliance_call SET connected_at = ?, agent_id = ?, late_connect = ?"
              + " WHERE attempt_id = ?",
          e.at(),
          e.agentId(),
          e.late(),
          e.attemptId());
    } else if (event instanceof Lead.CallEnded e) {
      update(
          c,
          "UPDATE compliance_call SET ended_at = ?, outcome = ?, disposition ="
              + " COALESCE(?, disposition), next_attempt_at = ? WHERE attempt_id = ?",
          e.at(),
          e.outcome().name(),
          e.dispositionCode(),
          e.nextAttemptAt(),
          e.attemptId());
    } else if (event instanceof Lead.DispositionRecorded e) {
      update(
          c,
          "UPDATE compliance_call SET disposition = ?, agent_id = COALESCE(?, agent_id),"
              + " next_attempt_at = ? WHERE attempt_id = ?",
          e.dispositionCode(),
          e.agentId(),
          e.nextAttemptAt(),
          e.attemptId());
    } else if (event instanceof Lead.SafeHarborPlayed e) {
      update(
          c,
          "UPDATE compliance_call SET safe_harbor_result = ?, safe_harbor_started_at = ?,"
              + " safe_harbor_at = ? WHERE attempt_id = ?",
          e.result().name(),
          e.startedAt(),
          e.at(),
          e.attemptId());
    } else if (event instanceof Lead.MarkedDnc e
        && e.source() == Lead.DncSource.SAFE_HARBOR_OPT_OUT) {
      // The opt-out's DNC mark belongs to the latest call whose message recorded the opt-out.
      update(
          c,
          "UPDATE compliance_call SET opt_out_dnc_at = ? WHERE attempt_id = (SELECT attempt_id"
              + " FROM compliance_call WHERE lead_id = ? AND answered_at IS NOT NULL"
              + " ORDER BY reserved_at DESC LIMIT 1)",
          e.at(),
          e.leadId());
    } else if (event instanceof Lead.DialRefused e) {
      update(
          c,
          "INSERT INTO compliance_refusal (lead_id, attempt_id, campaign_id, rule, reason,"
              + " retry_at, at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
          e.leadId(),
          e.attemptId(),
          e.campaignId(),
          e.rule().name(),
          e.reason(),
          e.retryAt(),
          e.at());
    }
  }
}
