package com.welcomedly.dialer.api.drill;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a drill asserts after the fault, read through the API (the entities' own answers) and the
 * journal: acknowledged dispositions present on their leads, nothing left in a call, no lead with
 * two attempts at once, no answered call turned into an abandon.
 */
final class DrillChecks {
  private static final Set<String> LEAD_IN_CALL =
      Set.of("RESERVED", "DIALING", "CONNECTED", "WRAP_UP");
  private static final Set<String> AGENT_IN_CALL = Set.of("RESERVED", "ON_CALL");

  private final CallCenter center;
  private final PostgresServer postgres;

  DrillChecks(CallCenter center, PostgresServer postgres) {
    this.center = center;
    this.postgres = postgres;
  }

  /** Acknowledged dispositions whose lead does not (yet) show them on their attempt. */
  List<String> missingDispositions() {
    List<String> missing = new ArrayList<>();
    for (CallCenter.Acknowledged ack : center.acknowledged()) {
      JsonNode attempt = attempt(lead(ack.leadId()), ack.attemptId());
      if (attempt == null
          || !CallCenter.DISPOSITION.equals(attempt.path("dispositionCode").asText())) {
        missing.add(ack.leadId() + "/" + ack.attemptId() + " by " + ack.agentId());
      }
    }
    return missing;
  }

  /** Leads still in a call and agents still reserved or on a call (checked once paused). */
  List<String> inCall() {
    List<String> busy = new ArrayList<>();
    for (String leadId : touchedLeads()) {
      String status = lead(leadId).path("status").asText();
      if (LEAD_IN_CALL.contains(status)) {
        busy.add("lead " + leadId + " " + status);
      }
    }
    for (String agentId : center.agents()) {
      JsonNode agent = center.rest().get("/api/agents/" + agentId, center.adminToken()).json();
      String status = agent == null ? "?" : agent.path("status").asText();
      if (AGENT_IN_CALL.contains(status)) {
        busy.add("agent " + agentId + " " + status);
      }
    }
    return busy;
  }

  /** Leads with an attempt reserved before the previous one ended (a double dial). */
  List<String> overlappingAttempts() {
    List<String> overlaps = new ArrayList<>();
    for (String leadId : touchedLeads()) {
      JsonNode attempts = lead(leadId).path("attempts");
      for (int i = 1; i < attempts.size(); i++) {
        JsonNode previous = attempts.get(i - 1);
        String ended = previous.path("endedAt").asText(null);
        Instant reserved = Instant.parse(attempts.get(i).path("reservedAt").asText());
        if (ended == null || reserved.isBefore(Instant.parse(ended))) {
          overlaps.add(
              leadId
                  + ": "
                  + previous.path("attemptId").asText()
                  + " / "
                  + attempts.get(i).path("attemptId").asText());
        }
      }
    }
    return overlaps;
  }

  /** Attempts answered in [from, to] that ended ABANDONED: live customers nobody talked to. */
  List<String> abandonedAnswers(Instant from, Instant to) {
    List<String> abandoned = new ArrayList<>();
    for (String leadId : touchedLeads()) {
      for (JsonNode attempt : lead(leadId).path("attempts")) {
        String answered = attempt.path("answeredAt").asText(null);
        if (answered != null
            && "ABANDONED".equals(attempt.path("outcome").asText())
            && !Instant.parse(answered).isBefore(from)
            && !Instant.parse(answered).isAfter(to)) {
          abandoned.add(leadId + "/" + attempt.path("attemptId").asText());
        }
      }
    }
    return abandoned;
  }

  /**
   * Agents ON_CALL whose call (per their lead) ended more than {@code graceSeconds} ago: the stuck
   * agent of the reported database outage.
   */
  List<String> agentsOnEndedCalls(long graceSeconds) {
    List<String> stuck = new ArrayList<>();
    for (Map.Entry<String, String> e :
        center.longOnCall(java.time.Duration.ofSeconds(graceSeconds)).entrySet()) {
      String[] call = e.getValue().split("@");
      JsonNode attempt = attempt(lead(call[1]), call[0]);
      String ended = attempt == null ? null : attempt.path("endedAt").asText(null);
      if (ended != null && Instant.parse(ended).plusSeconds(graceSeconds).isBefore(Instant.now())) {
        stuck.add(e.getKey() + " on " + e.getValue() + " ended " + ended);
      }
    }
    return stuck;
  }

  private JsonNode lead(String leadId) {
    Rest.Reply reply = center.rest().get("/api/leads/" + leadId, center.adminToken());
    if (!reply.ok()) {
      throw new AssertionError("lead " + leadId + ": " + reply.status() + " " + reply.body());
    }
    return reply.json();
  }

  private static JsonNode attempt(JsonNode lead, String attemptId) {
    for (JsonNode attempt : lead.path("attempts")) {
      if (attemptId.equals(attempt.path("attemptId").asText())) {
        return attempt;
      }
    }
    return null;
  }

  /** Leads that were ever reserved, from the journal (the rest were never touched). */
  List<String> touchedLeads() {
    List<String> ids = new ArrayList<>();
    try (Connection c = postgres.connect();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT DISTINCT persistence_id FROM event_journal"
                    + " WHERE persistence_id LIKE 'Lead|%' AND event_ser_manifest LIKE '%lead.Lead$Reserved'");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        ids.add(rs.getString(1).substring("Lead|".length()));
      }
    } catch (SQLException e) {
      throw new AssertionError("journal not readable: " + e.getMessage(), e);
    }
    return ids;
  }
}
