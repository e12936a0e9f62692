package com.welcomedly.dialer.engine.projection;

import com.welcomedly.dialer.engine.agent.Agent;
import com.welcomedly.dialer.engine.lead.Lead;
import com.welcomedly.dialer.engine.pacing.PacingObserver;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The campaign's pacing history in {@code pacing_sample}: written by the projections (dial
 * resolutions from the Lead events, talk and wrap-up periods from the Agent events), read by a
 * starting dialer to seed its pacing model ({@link PacingObserver#seed}).
 */
public final class PacingSamples {

  /** How far back, and how many of each, a starting dialer replays (the estimator's windows). */
  public static final Duration HISTORY = Duration.ofDays(7);

  static final int DIALS = 3000;
  static final int DURATIONS = 4000;
  static final int OUTCOMES = 5000;

  private PacingSamples() {}

  /**
   * The DIAL sample of an attempt that ended: live if a person answered (connected or abandoned),
   * resolved at its answer (live or machine) or at its end (busy, no answer, failure). Reads the
   * dial and answer times the hopper row holds for the current attempt; call before that row's
   * update clears them.
   */
  static void dialEnded(Connection c, Lead.CallEnded e) throws SQLException {
    boolean live =
        e.outcome() == Lead.CallOutcome.COMPLETED || e.outcome() == Lead.CallOutcome.ABANDONED;
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO pacing_sample (sample_id, campaign_id, kind, at, seconds, live)"
                + " SELECT ?, ?, 'DIAL', COALESCE(answered_at, ?),"
                + " GREATEST(0, EXTRACT(EPOCH FROM (COALESCE(answered_at, ?) - dialed_at))), ?"
                + " FROM hopper_lead WHERE lead_id = ? AND dialed_at IS NOT NULL"
                + " ON CONFLICT (sample_id) DO NOTHING")) {
      Timestamp at = Timestamp.from(e.at());
      s.setString(1, "DIAL:" + e.attemptId());
      s.setString(2, e.campaignId());
      s.setTimestamp(3, at);
      s.setTimestamp(4, at);
      s.setBoolean(5, live);
      s.setString(6, e.leadId());
      s.executeUpdate();
    }
  }

  /**
   * A talk period (ON_CALL → wrap-up) or a wrap-up period (→ ready or paused) that {@code event}
   * closes, from the agent's previous status and its start.
   */
  public static void agentEvent(
      Connection c, Agent.Event event, Agent.Status previous, Instant since, String callCampaign)
      throws SQLException {
    if (event instanceof Agent.CallEnded e && previous == Agent.Status.ON_CALL) {
      insert(c, "TALK", e.agentId(), e.call().campaignId(), since, e.at());
    } else if (event instanceof Agent.WrapUpCompleted e
        && previous == Agent.Status.WRAP_UP
        && callCampaign != null) {
      insert(c, "WRAP", e.agentId(), callCampaign, since, e.at());
    }
  }

  private static void insert(
      Connection c, String kind, String agentId, String campaignId, Instant from, Instant to)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO pacing_sample (sample_id, campaign_id, kind, at, seconds, live)"
                + " VALUES (?, ?, ?, ?, ?, NULL) ON CONFLICT (sample_id) DO NOTHING")) {
      s.setString(1, kind + ":" + agentId + ":" + to);
      s.setString(2, campaignId);
      s.setString(3, kind);
      s.setTimestamp(4, Timestamp.from(to));
      s.setDouble(5, Duration.between(from, to).toNanos() / 1e9);
      s.executeUpdate();
    }
  }

  /** The campaign's latest history in {@code [from, to)}, oldest first in each list. */
  static PacingObserver.History read(Connection c, String campaignId, Instant from, Instant to)
      throws SQLException {
    List<PacingObserver.Resolution> dials = new ArrayList<>();
    List<Double> talks = new ArrayList<>();
    List<Double> wraps = new ArrayList<>();
    String sql =
        "SELECT seconds, live FROM pacing_sample WHERE campaign_id = ? AND kind = ? AND at >= ?"
            + " AND at < ? ORDER BY at DESC LIMIT ?";
    for (String kind : List.of("DIAL", "TALK", "WRAP")) {
      try (PreparedStatement s = c.prepareStatement(sql)) {
        s.setString(1, campaignId);
        s.setString(2, kind);
        s.setTimestamp(3, Timestamp.from(from));
        s.setTimestamp(4, Timestamp.from(to));
        s.setInt(5, kind.equals("DIAL") ? DIALS : DURATIONS);
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            double seconds = rs.getDouble(1);
            switch (kind) {
              case "DIAL" -> dials.add(new PacingObserver.Resolution(seconds, rs.getBoolean(2)));
              case "TALK" -> talks.add(seconds);
              default -> wraps.add(seconds);
            }
          }
        }
      }
    }
    List<Boolean> outcomes = new ArrayList<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT abandoned FROM campaign_live_answer WHERE campaign_id = ? AND at >= ?"
                + " AND at < ? ORDER BY at DESC LIMIT ?")) {
      s.setString(1, campaignId);
      s.setTimestamp(2, Timestamp.from(from));
      s.setTimestamp(3, Timestamp.from(to));
      s.setInt(4, OUTCOMES);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          outcomes.add(rs.getBoolean(1));
        }
      }
    }
    Collections.reverse(dials);
    Collections.reverse(talks);
    Collections.reverse(wraps);
    Collections.reverse(outcomes);
    return new PacingObserver.History(dials, talks, wraps, outcomes);
  }
}
