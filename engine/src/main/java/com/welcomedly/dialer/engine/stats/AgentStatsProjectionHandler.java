package com.welcomedly.dialer.engine.stats;

import com.welcomedly.dialer.engine.agent.Agent;
import com.welcomedly.dialer.engine.campaign.Disposition;
import com.welcomedly.dialer.engine.projection.PacingSamples;
import com.welcomedly.dialer.engine.projection.PooledJdbcSession;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;

/**
 * Time accounting from the Agent events: every event closes the agent's running stretch (status
 * since the previous event, kept in {@code stats_agent_clock}) into {@code stats_agent_hour}, split
 * at hour boundaries, and opens the next one. An agent's events all carry the same tag, so they
 * arrive here in order.
 */
final class AgentStatsProjectionHandler
    extends JdbcHandler<EventEnvelope<Agent.Event>, PooledJdbcSession> {

  /** Where the agent's running stretch started and what it counts towards. */
  record Clock(Agent.Status status, Instant since, Set<String> campaigns, String callCampaignId) {}

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
    Clock previous = load(c, event.agentId());
    if (previous != null) {
      account(c, event.agentId(), previous, event.at());
      PacingSamples.agentEvent(
          c, event, previous.status(), previous.since(), previous.callCampaignId());
    }
    Clock next = next(previous, event);
    save(c, event.agentId(), next);
    if (event instanceof Agent.CallConnected e) {
      StatsTables.addAgent(c, e.agentId(), e.call().campaignId(), e.at(), "calls_handled", 1);
    }
  }

  /** The stretch after {@code event}; {@code previous} is null for the agent's first event. */
  static Clock next(Clock previous, Agent.Event event) {
    Agent.Status status = previous == null ? Agent.Status.LOGGED_OUT : previous.status();
    Set<String> campaigns = previous == null ? Set.of() : previous.campaigns();
    String call = previous == null ? null : previous.callCampaignId();
    Instant at = event.at();
    if (event instanceof Agent.Configured e) {
      return new Clock(status, at, e.newCampaigns() == null ? Set.of() : e.newCampaigns(), call);
    } else if (event instanceof Agent.LoggedIn e) {
      return new Clock(
          Agent.Status.READY, at, e.campaigns() == null ? campaigns : e.campaigns(), null);
    } else if (event instanceof Agent.LoggedOut) {
      return new Clock(Agent.Status.LOGGED_OUT, at, campaigns, null);
    } else if (event instanceof Agent.BecameReady) {
      return new Clock(Agent.Status.READY, at, campaigns, null);
    } else if (event instanceof Agent.Paused) {
      return new Clock(Agent.Status.PAUSED, at, campaigns, null);
    } else if (event instanceof Agent.Reserved e) {
      return new Clock(Agent.Status.RESERVED, at, campaigns, e.call().campaignId());
    } else if (event instanceof Agent.ReservationCancelled e) {
      return new Clock(e.newStatus(), at, campaigns, null);
    } else if (event instanceof Agent.CallConnected e) {
      return new Clock(Agent.Status.ON_CALL, at, campaigns, e.call().campaignId());
    } else if (event instanceof Agent.CallEnded e) {
      return new Clock(Agent.Status.WRAP_UP, at, campaigns, e.call().campaignId());
    } else if (event instanceof Agent.WrapUpCompleted e) {
      return new Clock(e.newStatus(), at, campaigns, null);
    } else if (event instanceof Agent.HeartbeatLost e) {
      boolean inCall =
          e.newStatus() == Agent.Status.ON_CALL || e.newStatus() == Agent.Status.WRAP_UP;
      return new Clock(e.newStatus(), at, campaigns, inCall ? call : null);
    }
    // PauseRequested and anything without a status change: the stretch simply goes on.
    return new Clock(status, at, campaigns, call);
  }

  /** The time column a status counts towards, or null (logged out counts nowhere). */
  static String column(Agent.Status status) {
    return switch (status) {
      case READY -> "ready_seconds";
      case RESERVED -> "reserved_seconds";
      case ON_CALL -> "talk_seconds";
      case WRAP_UP -> "wrap_seconds";
      case PAUSED -> "paused_seconds";
      case LOGGED_OUT -> null;
    };
  }

  static String column(Disposition.Category category) {
    return switch (category) {
      case SUCCESS -> "success";
      case NO_CONTACT -> "no_contact";
      case FOLLOW_UP -> "follow_up";
      case UNSUCCESSFUL -> "unsuccessful";
    };
  }

  /**
   * Idle time (ready, paused) is the agent's time in each campaign it serves; call time belongs to
   * the call's campaign.
   */
  static List<String> campaignsOf(Clock clock) {
    boolean inCall =
        clock.status() == Agent.Status.RESERVED
            || clock.status() == Agent.Status.ON_CALL
            || clock.status() == Agent.Status.WRAP_UP;
    if (inCall && clock.callCampaignId() != null) {
      return List.of(clock.callCampaignId());
    }
    return clock.campaigns().isEmpty()
        ? List.of("")
        : List.copyOf(new TreeSet<>(clock.campaigns()));
  }

  private static void account(Connection c, String agentId, Clock clock, Instant until)
      throws SQLException {
    String column = column(clock.status());
    if (column == null || !until.isAfter(clock.since())) {
      return;
    }
    List<String> campaigns = campaignsOf(clock);
    Instant from = clock.since();
    while (from.isBefore(until)) {
      Instant hourEnd = from.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
      Instant to = hourEnd.isBefore(until) ? hourEnd : until;
      double seconds = Duration.between(from, to).toNanos() / 1e9;
      for (String campaignId : campaigns) {
        StatsTables.addAgent(c, agentId, campaignId, from, column, seconds);
      }
      from = to;
    }
  }

  private static Clock load(Connection c, String agentId) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT status, since, campaigns, call_campaign_id FROM stats_agent_clock"
                + " WHERE agent_id = ?")) {
      s.setString(1, agentId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? clock(rs) : null;
      }
    }
  }

  /** A row of {@code stats_agent_clock}. */
  static Clock clock(ResultSet rs) throws SQLException {
    String campaigns = rs.getString("campaigns");
    return new Clock(
        Agent.Status.valueOf(rs.getString("status")),
        rs.getTimestamp("since").toInstant(),
        campaigns.isEmpty() ? Set.of() : Set.copyOf(Arrays.asList(campaigns.split(","))),
        rs.getString("call_campaign_id"));
  }

  private static void save(Connection c, String agentId, Clock clock) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO stats_agent_clock (agent_id, status, since, campaigns, call_campaign_id)"
                + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (agent_id) DO UPDATE SET"
                + " status = EXCLUDED.status, since = EXCLUDED.since,"
                + " campaigns = EXCLUDED.campaigns, call_campaign_id = EXCLUDED.call_campaign_id")) {
      s.setString(1, agentId);
      s.setString(2, clock.status().name());
      s.setTimestamp(3, Timestamp.from(clock.since()));
      s.setString(4, String.join(",", new TreeSet<>(clock.campaigns())));
      s.setString(5, clock.callCampaignId());
      s.executeUpdate();
    }
  }
}
