package com.welcomedly.dialer.engine.evidence;

import static com.welcomedly.dialer.engine.evidence.EvidenceSql.bind;
import static com.welcomedly.dialer.engine.evidence.EvidenceSql.instant;
import static com.welcomedly.dialer.engine.evidence.EvidenceSql.nullableLong;

import com.welcomedly.dialer.engine.campaign.CampaignConfig;
import com.welcomedly.dialer.engine.compliance.AbandonLedger;
import com.welcomedly.dialer.engine.compliance.CallingWindow;
import com.welcomedly.dialer.engine.evidence.AbandonWindows.LiveAnswer;
import com.welcomedly.dialer.engine.evidence.ComplianceReport.AbandonedCall;
import com.welcomedly.dialer.engine.evidence.ComplianceReport.CallingWindowCheck;
import com.welcomedly.dialer.engine.evidence.ComplianceReport.Lockout;
import com.welcomedly.dialer.engine.evidence.ComplianceReport.PacingChange;
import com.welcomedly.dialer.engine.evidence.ComplianceReport.Refusal;
import com.welcomedly.dialer.engine.evidence.ComplianceReport.RingTimeCheck;
import com.welcomedly.dialer.engine.evidence.ComplianceReport.WindowInForce;
import com.welcomedly.dialer.engine.evidence.ComplianceReport.WindowViolation;
import com.welcomedly.dialer.engine.persistence.JdbcPool;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;

/**
 * Builds a {@link ComplianceReport} from the compliance read model on the JDBC dispatcher. The
 * rules are evaluated here, at query time, against the facts and the campaign rules in force when
 * each fact happened, so the same journal always gives the same report for the same period.
 */
public final class ComplianceQuery {

  private final JdbcPool pool;

  public ComplianceQuery(JdbcPool pool) {
    this.pool = pool;
  }

  /** The report for {@code [from, to)}. */
  public CompletionStage<ComplianceReport> report(String campaignId, Instant from, Instant to) {
    return pool.withConnection(c -> build(c, campaignId, from, to));
  }

  private static ComplianceReport build(Connection c, String campaignId, Instant from, Instant to)
      throws SQLException {
    List<Change> changes = changes(c, campaignId);
    List<LiveAnswer> answers = liveAnswers(c, campaignId, from.minus(AbandonLedger.US_WINDOW), to);
    List<Dial> dials = dials(c, campaignId, from, to);
    List<Refusal> refusals = refusals(c, campaignId, from, to);
    Map<String, Long> byRule = new TreeMap<>();
    refusals.forEach(r -> byRule.merge(r.rule(), 1L, Long::sum));
    List<AbandonedCall> abandoned = abandonedCalls(c, campaignId, from, to);
    List<Lockout> lockouts =
        abandoned.stream()
            .filter(a -> a.lockedOutUntil() != null)
            .map(a -> new Lockout(a.leadId(), a.attemptId(), a.endedAt(), a.lockedOutUntil()))
            .toList();
    return new ComplianceReport(
        campaignId,
        from,
        to,
        AbandonLedger.DEFAULT_CAP * 100,
        AbandonWindows.rate("US_30_DAYS", AbandonLedger.US_WINDOW, answers, from, to),
        AbandonWindows.rate("UK_24_HOURS", AbandonLedger.UK_WINDOW, answers, from, to),
        abandoned,
        windowCheck(dials, changes, from),
        refusals,
        byRule,
        lockouts,
        ringCheck(dials, changes),
        changes.stream()
            .filter(
                ch -> ch.pacingChange() != null && !ch.at().isBefore(from) && ch.at().isBefore(to))
            .map(ch -> new PacingChange(ch.at(), ch.by(), ch.kind(), ch.pacingChange()))
            .toList());
  }

  // ---- facts ----

  private record Change(
      Instant at, String by, String kind, String window, Long ringTimeoutMs, String pacingChange) {}

  private record Dial(
      String leadId, String attemptId, Instant dialedAt, String timezone, Long ringTimeoutMs) {}

  private static List<Change> changes(Connection c, String campaignId) throws SQLException {
    List<Change> changes = new ArrayList<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT at, by_user, kind, calling_window, ring_timeout_ms, pacing_change"
                + " FROM compliance_campaign_change WHERE campaign_id = ? ORDER BY seq")) {
      bind(s, campaignId);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          changes.add(
              new Change(
                  instant(rs, "at"),
                  rs.getString("by_user"),
                  rs.getString("kind"),
                  rs.getString("calling_window"),
                  nullableLong(rs, "ring_timeout_ms"),
                  rs.getString("pacing_change")));
        }
      }
    }
    return changes;
  }

  /**
   * A live answer is a call connected to an agent (at connect) or abandoned (at its end). A connect
   * after the connect deadline is an abandon at connect.
   */
  private static List<LiveAnswer> liveAnswers(
      Connection c, String campaignId, Instant from, Instant to) throws SQLException {
    List<LiveAnswer> answers = new ArrayList<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT at, abandoned FROM ("
                + " SELECT connected_at AS at, late_connect AS abandoned FROM compliance_call"
                + "  WHERE campaign_id = ? AND connected_at IS NOT NULL"
                + " UNION ALL SELECT ended_at, true FROM compliance_call"
                + "  WHERE campaign_id = ? AND outcome = 'ABANDONED') a"
                + " WHERE at >= ? AND at < ?")) {
      bind(s, campaignId, campaignId, from, to);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          answers.add(new LiveAnswer(instant(rs, "at"), rs.getBoolean("abandoned")));
        }
      }
    }
    return answers;
  }

  private static List<Dial> dials(Connection c, String campaignId, Instant from, Instant to)
      throws SQLException {
    List<Dial> dials = new ArrayList<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT lead_id, attempt_id, dialed_at, timezone, ring_timeout_ms FROM compliance_call"
                + " WHERE campaign_id = ? AND dialed_at >= ? AND dialed_at < ?"
                + " ORDER BY dialed_at, attempt_id")) {
      bind(s, campaignId, from, to);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          dials.add(
              new Dial(
                  rs.getString("lead_id"),
                  rs.getString("attempt_id"),
                  instant(rs, "dialed_at"),
                  rs.getString("timezone"),
                  nullableLong(rs, "ring_timeout_ms")));
        }
      }
    }
    return dials;
  }

  private static List<Refusal> refusals(Connection c, String campaignId, Instant from, Instant to)
      throws SQLException {
    List<Refusal> refusals = new ArrayList<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT at, lead_id, attempt_id, rule, reason, retry_at FROM compliance_refusal"
                + " WHERE campaign_id = ? AND at >= ? AND at < ? ORDER BY at, lead_id, attempt_id")) {
      bind(s, campaignId, from, to);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          refusals.add(
              new Refusal(
                  instant(rs, "at"),
                  rs.getString("lead_id"),
                  rs.getString("attempt_id"),
                  rs.getString("rule"),
                  rs.getString("reason"),
                  instant(rs, "retry_at")));
        }
      }
    }
    return refusals;
  }

  /**
   * The calls abandoned in the period: ended ABANDONED, or connected after the connect deadline
   * (safe harbor {@link AbandonedCall#LATE_CONNECT}: an agent, not the message, came late).
   */
  private static List<AbandonedCall> abandonedCalls(
      Connection c, String campaignId, Instant from, Instant to) throws SQLException {
    List<AbandonedCall> calls = new ArrayList<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT * FROM ("
                + " SELECT lead_id, attempt_id, answered_at, ended_at AS abandoned_at, ended_at,"
                + "  safe_harbor_result, safe_harbor_started_at, opt_out_dnc_at, next_attempt_at"
                + "  FROM compliance_call WHERE campaign_id = ? AND outcome = 'ABANDONED'"
                + " UNION ALL SELECT lead_id, attempt_id, answered_at, connected_at, ended_at,"
                + "  '"
                + AbandonedCall.LATE_CONNECT
                + "', connected_at, opt_out_dnc_at, NULL FROM compliance_call"
                + "  WHERE campaign_id = ? AND late_connect) a"
                + " WHERE abandoned_at >= ? AND abandoned_at < ? ORDER BY abandoned_at, attempt_id")) {
      bind(s, campaignId, campaignId, from, to);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          Instant answered = instant(rs, "answered_at");
          Instant message = instant(rs, "safe_harbor_started_at");
          String result = rs.getString("safe_harbor_result");
          calls.add(
              new AbandonedCall(
                  rs.getString("lead_id"),
                  rs.getString("attempt_id"),
                  answered,
                  instant(rs, "ended_at"),
                  result == null ? "NOT_PLAYED" : result,
                  message,
                  answered == null || message == null
                      ? null
                      : Duration.between(answered, message).toMillis(),
                  instant(rs, "opt_out_dnc_at"),
                  instant(rs, "next_attempt_at")));
        }
      }
    }
    return calls;
  }

  // ---- rules ----

  private static Change inForce(List<Change> changes, Instant at) {
    Change current = null;
    for (Change change : changes) {
      if (change.at().isAfter(at)) {
        break;
      }
      current = change;
    }
    return current;
  }

  private static CallingWindowCheck windowCheck(
      List<Dial> dials, List<Change> changes, Instant from) {
    List<WindowViolation> violations = new ArrayList<>();
    for (Dial dial : dials) {
      Change change = inForce(changes, dial.dialedAt());
      String window = change == null ? null : change.window();
      ZoneId zone = zone(dial.timezone());
      boolean open =
          window != null
              && zone != null
              && CallingWindow.parse(window).openAt(dial.dialedAt(), zone);
      if (!open) {
        violations.add(
            new WindowViolation(
                dial.leadId(),
                dial.attemptId(),
                dial.dialedAt(),
                zone == null ? null : dial.dialedAt().atZone(zone).toLocalDateTime().toString(),
                dial.timezone(),
                window));
      }
    }
    List<WindowInForce> windows = new ArrayList<>();
    String last = null;
    for (Change change : changes) {
      if (change.window() != null && !change.window().equals(last)) {
        windows.add(new WindowInForce(change.at(), change.window()));
        last = change.window();
      }
    }
    return new CallingWindowCheck(dials.size(), violations.size(), violations, windows);
  }

  private static ZoneId zone(String timezone) {
    try {
      return timezone == null ? null : ZoneId.of(timezone);
    } catch (DateTimeException e) {
      return null;
    }
  }

  private static RingTimeCheck ringCheck(List<Dial> dials, List<Change> changes) {
    long floorMs = CampaignConfig.MIN_RING_TIMEOUT.toMillis();
    Long min = null;
    long below = 0;
    for (Dial dial : dials) {
      Long ms = dial.ringTimeoutMs();
      if (ms == null) {
        Change change = inForce(changes, dial.dialedAt());
        ms = change == null ? null : change.ringTimeoutMs();
      }
      if (ms == null || ms < floorMs) {
        below++;
      }
      if (ms != null && (min == null || ms < min)) {
        min = ms;
      }
    }
    return new RingTimeCheck(
        dials.size(), floorMs / 1000, min == null ? null : min / 1000.0, below);
  }
}
