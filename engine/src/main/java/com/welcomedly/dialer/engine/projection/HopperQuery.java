package com.welcomedly.dialer.engine.projection;

import com.welcomedly.dialer.engine.compliance.CallingWindow;
import com.welcomedly.dialer.engine.pacing.PacingObserver;
import com.welcomedly.dialer.engine.persistence.JdbcPool;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.DayOfWeek;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Pulls dialing candidates from the hopper, best first: due callbacks, then priority, then fewest
 * attempts, then the longest-waiting next-attempt time; only leads due now and inside the calling
 * window in their own local time. A candidate is a suggestion: the dialer still reserves each one
 * through its Lead entity and skips refusals (the read model may lag the entity by a moment).
 */
public final class HopperQuery {

  /** One lead worth trying; {@code callbackAgentId} set for an agent-only callback. */
  public record Candidate(String leadId, boolean callback, String callbackAgentId) {}

  private final JdbcPool pool;

  public HopperQuery(JdbcPool pool) {
    this.pool = pool;
  }

  /**
   * @param readyAgentIds agent-only callbacks are returned only when their agent is among these
   * @param exclude leads the dialer already holds (reserved or in a call), so a lagging read model
   *     cannot hand them out twice
   */
  public CompletionStage<List<Candidate>> candidates(
      String campaignId,
      Instant now,
      CallingWindow window,
      Collection<String> readyAgentIds,
      Collection<String> exclude,
      int limit) {
    // Measured on a 5,000-agent hopper (docs/throughput.md, "The hopper query"): the calling
    // window is evaluated once per time zone of the campaign (a handful), not per lead; the
    // materialized CTE keeps PostgreSQL from pushing it back into the per-row scan. The leads the
    // dialer holds are a hashed NOT IN over the unnested array: `NOT (lead_id = ANY(?))` is only
    // hashed in a custom plan, and after five executions pgjdbc's server-side statement let
    // PostgreSQL pick a generic plan that compared every row with every held id (7.4 s per query
    // with 10,000 held leads).
    String sql =
        "WITH zones AS MATERIALIZED (SELECT DISTINCT timezone AS tz FROM hopper_lead"
            + "   WHERE campaign_id = ? AND status IN ('QUEUED', 'CALLBACK') AND timezone IS NOT NULL),"
            + " open_zones AS (SELECT z.tz FROM zones z"
            + "   CROSS JOIN LATERAL (SELECT (?::timestamptz AT TIME ZONE z.tz) AS local_ts) l"
            + "   WHERE "
            + windowPredicate(window)
            + ")"
            + " SELECT lead_id, status, callback_agent_id FROM hopper_lead"
            + " WHERE campaign_id = ?"
            + " AND ((status = 'QUEUED' AND (next_attempt_at IS NULL OR next_attempt_at <= ?))"
            + "   OR (status = 'CALLBACK' AND callback_due_at <= ?"
            + "       AND (callback_agent_id IS NULL OR callback_agent_id = ANY(?))))"
            + " AND (timezone IS NULL OR timezone IN (SELECT tz FROM open_zones))"
            + " AND lead_id NOT IN (SELECT unnest(?::varchar[]))"
            + " ORDER BY (status = 'CALLBACK') DESC, callback_due_at ASC NULLS LAST,"
            + " priority DESC, attempts ASC, next_attempt_at ASC NULLS FIRST, lead_id"
            + " LIMIT ?";
    return pool.withConnection(
        c -> {
          try (PreparedStatement s = c.prepareStatement(sql)) {
            Timestamp at = Timestamp.from(now);
            Array agents = c.createArrayOf("varchar", readyAgentIds.toArray());
            Array excluded = c.createArrayOf("varchar", exclude.toArray());
            s.setString(1, campaignId);
            s.setTimestamp(2, at);
            s.setString(3, campaignId);
            s.setTimestamp(4, at);
            s.setTimestamp(5, at);
            s.setArray(6, agents);
            s.setArray(7, excluded);
            s.setInt(8, limit);
            List<Candidate> candidates = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                candidates.add(
                    new Candidate(
                        rs.getString(1), "CALLBACK".equals(rs.getString(2)), rs.getString(3)));
              }
            }
            return candidates;
          }
        });
  }

  /** One live answer of a campaign: connected to an agent, or abandoned. */
  public record LiveAnswer(Instant at, boolean abandoned) {}

  /** The campaign's live answers in {@code [from, to)}, oldest first (for the abandon ledger). */
  public CompletionStage<List<LiveAnswer>> liveAnswers(
      String campaignId, Instant from, Instant to) {
    String sql =
        "SELECT at, abandoned FROM campaign_live_answer WHERE campaign_id = ? AND at >= ?"
            + " AND at < ? ORDER BY at";
    return pool.withConnection(
        c -> {
          try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, campaignId);
            s.setTimestamp(2, Timestamp.from(from));
            s.setTimestamp(3, Timestamp.from(to));
            List<LiveAnswer> answers = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                answers.add(new LiveAnswer(rs.getTimestamp(1).toInstant(), rs.getBoolean(2)));
              }
            }
            return answers;
          }
        });
  }

  /**
   * The campaign's recent pacing history before {@code to} (dial resolutions, talk and wrap-up
   * periods, live-answer outcomes of the last {@link PacingSamples#HISTORY}), for a starting
   * dialer's pacing model.
   */
  public CompletionStage<PacingObserver.History> pacingHistory(String campaignId, Instant to) {
    return pool.withConnection(
        c -> PacingSamples.read(c, campaignId, to.minus(PacingSamples.HISTORY), to));
  }

  /**
   * Leads of the campaign that the read model shows in a call (reserved, dialing or connected),
   * other than {@code exclude}: what a new dialer instance checks for calls a previous one left.
   */
  public CompletionStage<List<String>> inCall(String campaignId, Collection<String> exclude) {
    String sql =
        "SELECT lead_id FROM hopper_lead WHERE campaign_id = ?"
            + " AND status IN ('RESERVED', 'DIALING', 'CONNECTED')"
            + " AND lead_id NOT IN (SELECT unnest(?::varchar[]))"; // hashed, as in candidates
    return pool.withConnection(
        c -> {
          try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, campaignId);
            s.setArray(2, c.createArrayOf("varchar", exclude.toArray()));
            List<String> leads = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                leads.add(rs.getString(1));
              }
            }
            return leads;
          }
        });
  }

  /**
   * The calling window as SQL over a zone's local time ({@code local_ts}). Times come from typed
   * {@code LocalTime}s, never from input text, so inlining them is safe; a day without hours is
   * closed.
   */
  private static String windowPredicate(CallingWindow window) {
    StringBuilder sql = new StringBuilder("CASE EXTRACT(ISODOW FROM local_ts)::int");
    for (DayOfWeek day : DayOfWeek.values()) {
      CallingWindow.Hours hours = window.days().get(day);
      if (hours != null) {
        sql.append(" WHEN ")
            .append(day.getValue())
            .append(" THEN (local_ts::time >= TIME '")
            .append(hours.start())
            .append("' AND local_ts::time < TIME '")
            .append(hours.end())
            .append("')");
      }
    }
    return sql.append(" ELSE false END").toString();
  }
}
