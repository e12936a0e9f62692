package com.welcomedly.dialer.engine.gamification;

import com.welcomedly.dialer.engine.persistence.JdbcPool;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;

/** Reads the gamification read model on the JDBC pool's dispatcher. */
public final class LeaderboardQuery {

  /** today = the current UTC day; week = the ISO week (Monday on) containing it; campaign = all. */
  public enum Period {
    TODAY,
    WEEK,
    CAMPAIGN
  }

  /** One agent's place. Agents with equal points share a rank (1, 2, 2, 4). */
  public record Standing(
      int rank,
      String agentId,
      long points,
      long contacts,
      long successes,
      long talkSeconds,
      long onTimeWrapUps,
      long wrapUpTimeouts,
      List<String> badges) {
    public Standing {
      badges = List.copyOf(badges);
    }
  }

  private final JdbcPool pool;

  public LeaderboardQuery(JdbcPool pool) {
    this.pool = pool;
  }

  /** The first UTC day the period counts, or null for the whole campaign. */
  static LocalDate firstDay(Period period, Instant now) {
    LocalDate today = GamificationProjectionHandler.dayOf(now);
    return switch (period) {
      case TODAY -> today;
      case WEEK -> today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
      case CAMPAIGN -> null;
    };
  }

  /** Standings by points (then agent id); badges are those earned in the campaign so far. */
  public CompletionStage<List<Standing>> leaderboard(
      String campaignId, Period period, Instant now) {
    LocalDate from = firstDay(period, now);
    return pool.withConnection(
        c -> {
          Map<String, TreeSet<String>> badges = new HashMap<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT agent_id, badge FROM gamification_badge WHERE campaign_id = ?")) {
            s.setString(1, campaignId);
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                badges.computeIfAbsent(rs.getString(1), k -> new TreeSet<>()).add(rs.getString(2));
              }
            }
          }
          List<Standing> standings = new ArrayList<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT agent_id, SUM(points), SUM(contacts), SUM(successes), SUM(talk_seconds),"
                      + " SUM(on_time_wrap_ups), SUM(wrap_up_timeouts)"
                      + " FROM gamification_agent_day WHERE campaign_id = ?"
                      + (from == null ? "" : " AND day >= ?")
                      + " GROUP BY agent_id ORDER BY SUM(points) DESC, agent_id")) {
            s.setString(1, campaignId);
            if (from != null) {
              s.setObject(2, from);
            }
            try (ResultSet rs = s.executeQuery()) {
              long previousPoints = Long.MIN_VALUE;
              int rank = 0;
              while (rs.next()) {
                long points = rs.getLong(2);
                int position = standings.size() + 1;
                rank = points == previousPoints ? rank : position;
                previousPoints = points;
                String agent = rs.getString(1);
                standings.add(
                    new Standing(
                        rank,
                        agent,
                        points,
                        rs.getLong(3),
                        rs.getLong(4),
                        rs.getLong(5),
                        rs.getLong(6),
                        rs.getLong(7),
                        List.copyOf(badges.getOrDefault(agent, new TreeSet<>()))));
              }
            }
          }
          return standings;
        });
  }
}
