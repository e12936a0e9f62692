package com.welcomedly.dialer.engine.stats;

import com.welcomedly.dialer.engine.agent.Agent;
import com.welcomedly.dialer.engine.compliance.AbandonLedger;
import com.welcomedly.dialer.engine.persistence.JdbcPool;
import com.welcomedly.dialer.engine.stats.StatsFigures.AbandonWindow;
import com.welcomedly.dialer.engine.stats.StatsFigures.AgentHour;
import com.welcomedly.dialer.engine.stats.StatsFigures.AgentStats;
import com.welcomedly.dialer.engine.stats.StatsFigures.AgentTime;
import com.welcomedly.dialer.engine.stats.StatsFigures.CampaignHour;
import com.welcomedly.dialer.engine.stats.StatsFigures.CampaignStats;
import com.welcomedly.dialer.engine.stats.StatsFigures.Categories;
import com.welcomedly.dialer.engine.stats.StatsFigures.Funnel;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/**
 * Reads the statistics read model on the JDBC dispatcher. Periods are half-open {@code [from, to)}
 * and whole hours (a bound inside an hour selects the hour it falls in). The read model lags the
 * events by a moment, and agent time is accounted at each status change, so a running stretch shows
 * once it ends.
 */
public final class StatsQuery {

  private static final String FUNNEL_COLUMNS =
      "COALESCE(sum(dials),0) AS dials, COALESCE(sum(answers),0) AS answers,"
          + " COALESCE(sum(live_answers),0) AS live_answers, COALESCE(sum(connects),0) AS connects,"
          + " COALESCE(sum(abandons),0) AS abandons, COALESCE(sum(machines),0) AS machines";
  private static final String TIME_COLUMNS =
      "COALESCE(sum(calls_handled),0) AS calls_handled, COALESCE(sum(ready_seconds),0) AS ready,"
          + " COALESCE(sum(reserved_seconds),0) AS reserved, COALESCE(sum(talk_seconds),0) AS talk,"
          + " COALESCE(sum(wrap_seconds),0) AS wrap, COALESCE(sum(paused_seconds),0) AS paused";
  private static final String AGENT_CATEGORY_COLUMNS =
      "COALESCE(sum(success),0) AS success, COALESCE(sum(no_contact),0) AS no_contact,"
          + " COALESCE(sum(follow_up),0) AS follow_up,"
          + " COALESCE(sum(unsuccessful),0) AS unsuccessful";

  private final JdbcPool pool;

  public StatsQuery(JdbcPool pool) {
    this.pool = pool;
  }

  /**
   * The campaign since it began, with the abandon rate of both ledger windows ending at {@code
   * now}.
   */
  public CompletionStage<CampaignStats> campaign(String campaignId, Instant now) {
    return pool.withConnection(
        c -> {
          Funnel totals = Funnel.ZERO;
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT " + FUNNEL_COLUMNS + " FROM stats_campaign_hour WHERE campaign_id = ?")) {
            s.setString(1, campaignId);
            try (ResultSet rs = s.executeQuery()) {
              if (rs.next()) {
                totals = funnel(rs);
              }
            }
          }
          AgentTime time = AgentTime.ZERO;
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT " + TIME_COLUMNS + " FROM stats_agent_hour WHERE campaign_id = ?")) {
            s.setString(1, campaignId);
            try (ResultSet rs = s.executeQuery()) {
              if (rs.next()) {
                time = agentTime(rs);
              }
            }
          }
          for (AgentTime stretch : running(c, campaignId, now).values()) {
            time = time.plus(stretch);
          }
          Map<String, Long> dispositions = new TreeMap<>();
          Map<String, Long> outcomes = new TreeMap<>();
          Map<String, Long> categories = new TreeMap<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT kind, code, max(category) AS category, sum(count) AS count"
                      + " FROM stats_campaign_hour_code WHERE campaign_id = ? GROUP BY kind, code")) {
            s.setString(1, campaignId);
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                long count = rs.getLong("count");
                if (CampaignStatsProjectionHandler.OUTCOME.equals(rs.getString("kind"))) {
                  outcomes.put(rs.getString("code"), count);
                } else {
                  dispositions.put(rs.getString("code"), count);
                  String category = rs.getString("category");
                  if (category != null) {
                    categories.merge(category, count, Long::sum);
                  }
                }
              }
            }
          }
          return new CampaignStats(
              campaignId,
              now,
              totals,
              window(c, campaignId, now, AbandonLedger.UK_WINDOW),
              window(c, campaignId, now, AbandonLedger.US_WINDOW),
              time,
              categories(categories),
              dispositions,
              outcomes);
        });
  }

  /** The campaign's hours in {@code [from, to)} that saw any activity, oldest first. */
  public CompletionStage<List<CampaignHour>> hourly(String campaignId, Instant from, Instant to) {
    Instant start = StatsTables.hourOf(from);
    return pool.withConnection(
        c -> {
          Map<Instant, Funnel> funnels = new TreeMap<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT hour, "
                      + FUNNEL_COLUMNS
                      + " FROM stats_campaign_hour WHERE campaign_id = ? AND hour >= ? AND hour < ?"
                      + " GROUP BY hour")) {
            bind(s, campaignId, start, to);
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                funnels.put(rs.getTimestamp("hour").toInstant(), funnel(rs));
              }
            }
          }
          Map<Instant, Map<String, Long>> categories = new TreeMap<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT hour, category, sum(count) AS count FROM stats_campaign_hour_code"
                      + " WHERE campaign_id = ? AND hour >= ? AND hour < ? AND kind = ?"
                      + " AND category IS NOT NULL GROUP BY hour, category")) {
            bind(s, campaignId, start, to);
            s.setString(4, CampaignStatsProjectionHandler.DISPOSITION);
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                categories
                    .computeIfAbsent(rs.getTimestamp("hour").toInstant(), h -> new TreeMap<>())
                    .put(rs.getString("category"), rs.getLong("count"));
              }
            }
          }
          Map<Instant, AgentTime> times = new TreeMap<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT hour, "
                      + TIME_COLUMNS
                      + " FROM stats_agent_hour WHERE campaign_id = ? AND hour >= ? AND hour < ?"
                      + " GROUP BY hour")) {
            bind(s, campaignId, start, to);
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                times.put(rs.getTimestamp("hour").toInstant(), agentTime(rs));
              }
            }
          }
          TreeSet<Instant> hours = new TreeSet<>(funnels.keySet());
          hours.addAll(categories.keySet());
          hours.addAll(times.keySet());
          List<CampaignHour> rows = new ArrayList<>();
          for (Instant hour : hours) {
            rows.add(
                new CampaignHour(
                    hour,
                    funnels.getOrDefault(hour, Funnel.ZERO),
                    categories(categories.getOrDefault(hour, Map.of())),
                    times.getOrDefault(hour, AgentTime.ZERO)));
          }
          return rows;
        });
  }

  /** Each agent's hours in the campaign within {@code [from, to)}, by agent then hour. */
  public CompletionStage<List<AgentHour>> agentHours(String campaignId, Instant from, Instant to) {
    return pool.withConnection(
        c -> {
          List<AgentHour> rows = new ArrayList<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT agent_id, hour, "
                      + TIME_COLUMNS
                      + ", "
                      + AGENT_CATEGORY_COLUMNS
                      + " FROM stats_agent_hour WHERE campaign_id = ? AND hour >= ? AND hour < ?"
                      + " GROUP BY agent_id, hour ORDER BY agent_id, hour")) {
            bind(s, campaignId, StatsTables.hourOf(from), to);
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                rows.add(
                    new AgentHour(
                        rs.getString("agent_id"),
                        rs.getTimestamp("hour").toInstant(),
                        agentTime(rs),
                        agentCategories(rs)));
              }
            }
          }
          return rows;
        });
  }

  /**
   * Each agent's figures in the campaign since it began, by agent id, including the stretch each
   * agent is in at {@code now}.
   */
  public CompletionStage<List<AgentStats>> agents(String campaignId, Instant now) {
    return pool.withConnection(
        c -> {
          Map<String, AgentTime> running = running(c, campaignId, now);
          List<AgentStats> rows = new ArrayList<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT agent_id, "
                      + TIME_COLUMNS
                      + ", "
                      + AGENT_CATEGORY_COLUMNS
                      + " FROM stats_agent_hour WHERE campaign_id = ?"
                      + " GROUP BY agent_id ORDER BY agent_id")) {
            s.setString(1, campaignId);
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                String agentId = rs.getString("agent_id");
                AgentTime stretch = running.getOrDefault(agentId, AgentTime.ZERO);
                rows.add(new AgentStats(agentId, agentTime(rs).plus(stretch), agentCategories(rs)));
              }
            }
          }
          // Agents still in their first stretch have no hour row yet.
          Set<String> listed = rows.stream().map(AgentStats::agentId).collect(Collectors.toSet());
          running.forEach(
              (agentId, stretch) -> {
                if (!listed.contains(agentId)) {
                  rows.add(new AgentStats(agentId, stretch, Categories.ZERO));
                }
              });
          rows.sort(Comparator.comparing(AgentStats::agentId));
          return rows;
        });
  }

  /**
   * The time each logged-in agent of the campaign has spent in its current status up to {@code
   * now}: the read model accounts a stretch only when it ends, and live figures should not wait for
   * a long call to end.
   */
  private static Map<String, AgentTime> running(Connection c, String campaignId, Instant now)
      throws SQLException {
    Map<String, AgentTime> running = new TreeMap<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT agent_id, status, since, campaigns, call_campaign_id FROM stats_agent_clock"
                + " WHERE status <> 'LOGGED_OUT' AND (call_campaign_id = ?"
                + " OR ',' || campaigns || ',' LIKE '%,' || ? || ',%')")) {
      s.setString(1, campaignId);
      s.setString(2, campaignId);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          AgentStatsProjectionHandler.Clock clock = AgentStatsProjectionHandler.clock(rs);
          double seconds = Duration.between(clock.since(), now).toNanos() / 1e9;
          if (seconds > 0 && AgentStatsProjectionHandler.campaignsOf(clock).contains(campaignId)) {
            running.put(rs.getString("agent_id"), stretch(clock.status(), seconds));
          }
        }
      }
    }
    return running;
  }

  private static AgentTime stretch(Agent.Status status, double seconds) {
    return switch (status) {
      case READY -> new AgentTime(0, seconds, 0, 0, 0, 0);
      case RESERVED -> new AgentTime(0, 0, seconds, 0, 0, 0);
      case ON_CALL -> new AgentTime(0, 0, 0, seconds, 0, 0);
      case WRAP_UP -> new AgentTime(0, 0, 0, 0, seconds, 0);
      case PAUSED -> new AgentTime(0, 0, 0, 0, 0, seconds);
      case LOGGED_OUT -> AgentTime.ZERO;
    };
  }

  /**
   * One ledger window ending at {@code now}, with the ledger's rounding: a minute counts until all
   * of it has left the window, so the window may hold up to a minute more, never less.
   */
  private static AbandonWindow window(Connection c, String campaignId, Instant now, Duration length)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT COALESCE(sum(live_answers),0), COALESCE(sum(abandons),0)"
                + " FROM stats_abandon_minute WHERE campaign_id = ? AND minute > ? AND minute <= ?")) {
      s.setString(1, campaignId);
      s.setTimestamp(2, Timestamp.from(now.minus(length).minus(Duration.ofMinutes(1))));
      s.setTimestamp(3, Timestamp.from(now));
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return new AbandonWindow(length, rs.getLong(1), rs.getLong(2));
      }
    }
  }

  private static void bind(PreparedStatement s, String campaignId, Instant from, Instant to)
      throws SQLException {
    s.setString(1, campaignId);
    s.setTimestamp(2, Timestamp.from(from));
    s.setTimestamp(3, Timestamp.from(to));
  }

  private static Funnel funnel(ResultSet rs) throws SQLException {
    return new Funnel(
        rs.getLong("dials"),
        rs.getLong("answers"),
        rs.getLong("live_answers"),
        rs.getLong("connects"),
        rs.getLong("abandons"),
        rs.getLong("machines"));
  }

  private static AgentTime agentTime(ResultSet rs) throws SQLException {
    return new AgentTime(
        rs.getLong("calls_handled"),
        rs.getDouble("ready"),
        rs.getDouble("reserved"),
        rs.getDouble("talk"),
        rs.getDouble("wrap"),
        rs.getDouble("paused"));
  }

  private static Categories agentCategories(ResultSet rs) throws SQLException {
    return new Categories(
        rs.getLong("success"),
        rs.getLong("no_contact"),
        rs.getLong("follow_up"),
        rs.getLong("unsuccessful"));
  }

  private static Categories categories(Map<String, Long> byCategory) {
    return new Categories(
        byCategory.getOrDefault("SUCCESS", 0L),
        byCategory.getOrDefault("NO_CONTACT", 0L),
        byCategory.getOrDefault("FOLLOW_UP", 0L),
        byCategory.getOrDefault("UNSUCCESSFUL", 0L));
  }
}
