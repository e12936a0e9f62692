package com.welcomedly.dialer.api.compliance;

import com.welcomedly.dialer.api.CsvExport;
import com.welcomedly.dialer.engine.evidence.ComplianceReport;
import com.welcomedly.dialer.engine.evidence.ComplianceReport.AbandonRate;
import com.welcomedly.dialer.engine.evidence.LeadAuditTrail;
import java.util.List;

/**
 * The compliance report and the lead audit trail as CSV. The report is one table of sections (one
 * row per figure or per listed fact) so a spreadsheet filter on {@code section} shows each part.
 */
final class ComplianceCsv {

  static final String[] REPORT_HEADER = {
    "section", "at", "lead_id", "attempt_id", "item", "value", "detail"
  };

  static final String[] AUDIT_HEADER = {
    "sequence_nr",
    "at",
    "event",
    "by",
    "attempt_id",
    "number",
    "outcome",
    "agent_id",
    "disposition",
    "detail"
  };

  private ComplianceCsv() {}

  static String report(ComplianceReport r) {
    return CsvExport.print(
        REPORT_HEADER,
        p -> {
          p.printRecord("period", r.from(), null, null, "to", r.to(), r.campaignId());
          for (AbandonRate rate : List.of(r.us30Days(), r.uk24Hours())) {
            String section = "abandon_rate_" + rate.window().toLowerCase(java.util.Locale.ROOT);
            p.printRecord(
                section,
                rate.atEnd().at(),
                null,
                null,
                "at_end_percent",
                rate.atEnd().percent(),
                rate.atEnd().abandons() + " of " + rate.atEnd().liveAnswers() + " live answers");
            p.printRecord(
                section,
                rate.peak().at(),
                null,
                null,
                "peak_percent",
                rate.peak().percent(),
                rate.peak().abandons() + " of " + rate.peak().liveAnswers() + " live answers");
            p.printRecord(section, null, null, null, "cap_percent", r.abandonCapPercent(), null);
          }
          for (ComplianceReport.AbandonedCall a : r.abandonedCalls()) {
            p.printRecord(
                "abandoned_call",
                a.answeredAt(),
                a.leadId(),
                a.attemptId(),
                a.safeHarbor(),
                a.answerToMessageMillis(),
                "ended "
                    + a.endedAt()
                    + (a.optOutDncAt() == null ? "" : "; opt-out DNC at " + a.optOutDncAt())
                    + (a.lockedOutUntil() == null
                        ? ""
                        : "; locked out until " + a.lockedOutUntil()));
          }
          var window = r.callingWindow();
          p.printRecord("calling_window", null, null, null, "dials", window.dials(), null);
          p.printRecord(
              "calling_window", null, null, null, "outside_window", window.outsideWindow(), null);
          for (var w : window.windowsInForce()) {
            p.printRecord(
                "calling_window", w.since(), null, null, "window_in_force", null, w.window());
          }
          for (var v : window.violations()) {
            p.printRecord(
                "calling_window_violation",
                v.dialedAt(),
                v.leadId(),
                v.attemptId(),
                v.timezone(),
                v.localTime(),
                v.window());
          }
          for (var e : r.refusalsByRule().entrySet()) {
            p.printRecord("refusals", null, null, null, e.getKey(), e.getValue(), null);
          }
          for (var f : r.refusals()) {
            p.printRecord(
                "refusal", f.at(), f.leadId(), f.attemptId(), f.rule(), f.retryAt(), f.reason());
          }
          for (var l : r.lockouts()) {
            p.printRecord(
                "lockout", l.abandonedAt(), l.leadId(), l.attemptId(), "until", l.until(), null);
          }
          var ring = r.ringTime();
          p.printRecord("ring_time", null, null, null, "dials", ring.dials(), null);
          p.printRecord("ring_time", null, null, null, "floor_seconds", ring.floorSeconds(), null);
          p.printRecord(
              "ring_time",
              null,
              null,
              null,
              "min_ring_timeout_seconds",
              ring.minRingTimeoutSeconds(),
              null);
          p.printRecord(
              "ring_time", null, null, null, "dials_below_floor", ring.dialsBelowFloor(), null);
          for (var c : r.pacingChanges()) {
            p.printRecord("pacing_change", c.at(), null, null, c.kind(), c.by(), c.change());
          }
        });
  }

  static String audit(List<LeadAuditTrail.Entry> entries) {
    return CsvExport.print(
        AUDIT_HEADER,
        p -> {
          for (LeadAuditTrail.Entry e : entries) {
            p.printRecord(
                e.sequenceNr(),
                e.at(),
                e.event(),
                e.by(),
                e.attemptId(),
                e.number(),
                e.outcome(),
                e.agentId(),
                e.disposition(),
                e.detail());
          }
        });
  }
}
