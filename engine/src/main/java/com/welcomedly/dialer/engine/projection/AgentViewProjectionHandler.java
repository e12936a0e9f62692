package com.welcomedly.dialer.engine.projection;

import com.welcomedly.dialer.engine.agent.Agent;
import com.welcomedly.dialer.engine.agent.Agent.PauseReason;
import com.welcomedly.dialer.engine.agent.Agent.Status;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;

/** Keeps {@code agent_view} in step with the Agent events. */
final class AgentViewProjectionHandler
    extends JdbcHandler<EventEnvelope<Agent.Event>, PooledJdbcSession> {

  @Override
  public void process(PooledJdbcSession session, EventEnvelope<Agent.Event> envelope)
      throws Exception {
    session.withConnection(
        connection -> {
          apply(connection, envelope.event());
          return null;
        });
  }

  private static void apply(Connection c, Agent.Event event) throws SQLException {
    if (event instanceof Agent.Configured e) {
      try (PreparedStatement s =
          c.prepareStatement(
              "INSERT INTO agent_view (agent_id, display_name, phone_endpoint, campaigns, status,"
                  + " updated_at) VALUES (?, ?, ?, ?, 'LOGGED_OUT', ?)"
                  + " ON CONFLICT (agent_id) DO UPDATE SET display_name = EXCLUDED.display_name,"
                  + " phone_endpoint = EXCLUDED.phone_endpoint, campaigns = EXCLUDED.campaigns,"
                  + " updated_at = EXCLUDED.updated_at")) {
        s.setString(1, e.agentId());
        s.setString(2, e.newDisplayName());
        s.setString(3, e.newPhoneEndpoint());
        s.setArray(4, c.createArrayOf("varchar", e.newCampaigns().stream().sorted().toArray()));
        s.setTimestamp(5, Timestamp.from(e.at()));
        s.executeUpdate();
      }
    } else if (event instanceof Agent.LoggedIn e) {
      status(c, e.agentId(), Status.READY, null, e.at());
    } else if (event instanceof Agent.LoggedOut e) {
      status(c, e.agentId(), Status.LOGGED_OUT, null, e.at());
    } else if (event instanceof Agent.BecameReady e) {
      status(c, e.agentId(), Status.READY, null, e.at());
    } else if (event instanceof Agent.Paused e) {
      status(c, e.agentId(), Status.PAUSED, e.reason(), e.at());
    } else if (event instanceof Agent.Reserved e) {
      status(c, e.agentId(), Status.RESERVED, null, e.at());
    } else if (event instanceof Agent.ReservationCancelled e) {
      status(c, e.agentId(), e.newStatus(), e.pauseReason(), e.at());
    } else if (event instanceof Agent.CallConnected e) {
      status(c, e.agentId(), Status.ON_CALL, null, e.at());
    } else if (event instanceof Agent.CallEnded e) {
      status(c, e.agentId(), Status.WRAP_UP, null, e.at());
    } else if (event instanceof Agent.WrapUpCompleted e) {
      status(c, e.agentId(), e.newStatus(), e.pauseReason(), e.at());
    } else if (event instanceof Agent.HeartbeatLost e && e.newStatus() == Status.PAUSED) {
      status(c, e.agentId(), Status.PAUSED, PauseReason.DISCONNECTED, e.at());
    }
    // PauseRequested and a HeartbeatLost during a call change no status until the wrap-up ends.
  }

  private static void status(
      Connection c, String agentId, Status status, PauseReason reason, Instant at)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE agent_view SET status = ?, pause_reason = ?, status_since = ?, updated_at = ?"
                + " WHERE agent_id = ?")) {
      s.setString(1, status.name());
      s.setString(2, reason == null ? null : reason.name());
      s.setTimestamp(3, Timestamp.from(at));
      s.setTimestamp(4, Timestamp.from(at));
      s.setString(5, agentId);
      s.executeUpdate();
    }
  }
}
