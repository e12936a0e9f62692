package com.welcomedly.dialer.engine.leadimport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.welcomedly.dialer.engine.lead.Lead;
import com.welcomedly.dialer.engine.persistence.JdbcPool;
import com.welcomedly.dialer.engine.projection.HopperZones;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * {@code lead_intake}: where leads imported in bulk wait for their entity (db/08-bulk-import.sql).
 * {@link #stage} writes a batch and its hopper rows in the caller's transaction; {@link #find} is
 * the Lead entity's lookup when it starts without events.
 */
public final class LeadIntakeStore implements Lead.IntakeLookup {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<LinkedHashMap<String, String>> FIELDS =
      new TypeReference<>() {};

  /**
   * One statement per batch: the rows arrive as arrays, leads that exist (staged before, or created
   * through the entity and projected into the hopper) are skipped, the rest are staged and queued
   * in the hopper; answers the ids staged now. Every lookup is by primary key: a batch costs the
   * same whether the tables hold a thousand leads or millions.
   */
  private static final String STAGE =
      "WITH r AS (SELECT * FROM unnest(?::varchar[], ?::text[], ?::varchar[], ?::int[],"
          + " ?::text[], ?::text[], ?::varchar[])"
          + " AS t(lead_id, numbers, timezone, priority, custom_fields, not_dialable_reason,"
          + " hopper_zone)),"
          + " staged AS (INSERT INTO lead_intake (lead_id, campaign_id, numbers, timezone,"
          + " priority, custom_fields, not_dialable_reason, imported_at, job_id)"
          + " SELECT r.lead_id, ?, r.numbers, r.timezone, r.priority, r.custom_fields,"
          + " r.not_dialable_reason, ?, ? FROM r"
          + " WHERE NOT EXISTS (SELECT 1 FROM hopper_lead h WHERE h.lead_id = r.lead_id)"
          + " ON CONFLICT (lead_id) DO NOTHING RETURNING lead_id),"
          + " queued AS (INSERT INTO hopper_lead (lead_id, campaign_id, status, priority, attempts,"
          + " timezone, updated_at)"
          + " SELECT r.lead_id, ?, CASE WHEN r.not_dialable_reason IS NULL THEN 'QUEUED'"
          + " ELSE 'NEW' END, r.priority, 0, r.hopper_zone, ? FROM r JOIN staged USING (lead_id)"
          + " ON CONFLICT (lead_id) DO NOTHING)"
          + " SELECT lead_id FROM staged";

  /** After a failed try: the batch's ids an earlier try of this job did commit (by primary key). */
  private static final String HELD_BY_JOB =
      "SELECT lead_id FROM lead_intake WHERE lead_id = ANY(?::varchar[]) AND job_id = ?";

  private final ActorSystem<?> system;
  private final HopperZones zones = new HopperZones();

  public LeadIntakeStore(ActorSystem<?> system) {
    this.system = system;
  }

  /** The staged lead as its Imported event, or empty when no bulk import staged this id. */
  @Override
  public CompletionStage<Optional<Lead.Imported>> find(String leadId) {
    return JdbcPool.get(system)
        .withConnection(
            c -> {
              try (PreparedStatement s =
                  c.prepareStatement(
                      "SELECT campaign_id, numbers, timezone, priority, custom_fields,"
                          + " not_dialable_reason, imported_at FROM lead_intake WHERE lead_id = ?")) {
                s.setString(1, leadId);
                try (ResultSet rs = s.executeQuery()) {
                  return rs.next() ? Optional.of(imported(leadId, rs)) : Optional.empty();
                }
              }
            });
  }

  private static Lead.Imported imported(String leadId, ResultSet rs) throws SQLException {
    List<Lead.PhoneNumber> numbers = new ArrayList<>();
    for (String e164 : rs.getString("numbers").split(" ")) {
      numbers.add(new Lead.PhoneNumber(e164, false));
    }
    Map<String, String> fields;
    try {
      fields = JSON.readValue(rs.getString("custom_fields"), FIELDS);
    } catch (JsonProcessingException e) {
      throw new SQLException("lead_intake.custom_fields of " + leadId + " is not JSON", e);
    }
    return new Lead.Imported(
        leadId,
        rs.getString("campaign_id"),
        List.copyOf(numbers),
        rs.getString("timezone"),
        rs.getInt("priority"),
        fields,
        rs.getString("not_dialable_reason"),
        rs.getTimestamp("imported_at").toInstant());
  }

  /**
   * Stages {@code leads} (all of {@code campaignId}, admitted by {@code LeadIntake}) in the
   * caller's transaction; answers the ids now held by this job, the others already existed. A
   * {@code retry} also counts the rows an earlier try of the same batch committed.
   */
  Set<String> stage(
      Connection c,
      String campaignId,
      String jobId,
      Instant at,
      List<Lead.Imported> leads,
      boolean retry)
      throws SQLException {
    int n = leads.size();
    String[] ids = new String[n];
    String[] numbers = new String[n];
    String[] timezones = new String[n];
    Integer[] priorities = new Integer[n];
    String[] fields = new String[n];
    String[] notDialable = new String[n];
    String[] hopperZones = new String[n];
    for (int i = 0; i < n; i++) {
      Lead.Imported lead = leads.get(i);
      ids[i] = lead.leadId();
      numbers[i] = String.join(" ", lead.numbers().stream().map(Lead.PhoneNumber::e164).toList());
      timezones[i] = lead.timezone();
      priorities[i] = lead.priority();
      fields[i] = json(lead.customFields());
      notDialable[i] = lead.notDialableReason();
      hopperZones[i] = zones.sqlZone(c, lead.timezone());
    }
    Timestamp when = Timestamp.from(at);
    try (PreparedStatement s = c.prepareStatement(STAGE)) {
      s.setArray(1, c.createArrayOf("varchar", ids));
      s.setArray(2, c.createArrayOf("text", numbers));
      s.setArray(3, c.createArrayOf("varchar", timezones));
      s.setArray(4, c.createArrayOf("int4", priorities));
      s.setArray(5, c.createArrayOf("text", fields));
      s.setArray(6, c.createArrayOf("text", notDialable));
      s.setArray(7, c.createArrayOf("varchar", hopperZones));
      s.setString(8, campaignId);
      s.setTimestamp(9, when);
      s.setString(10, jobId);
      s.setString(11, campaignId);
      s.setTimestamp(12, when);
      Set<String> held = new HashSet<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          held.add(rs.getString(1));
        }
      }
      if (retry) {
        try (PreparedStatement earlier = c.prepareStatement(HELD_BY_JOB)) {
          earlier.setArray(1, c.createArrayOf("varchar", ids));
          earlier.setString(2, jobId);
          try (ResultSet rs = earlier.executeQuery()) {
            while (rs.next()) {
              held.add(rs.getString(1));
            }
          }
        }
      }
      return held;
    }
  }

  private static String json(Map<String, String> fields) {
    try {
      return JSON.writeValueAsString(fields);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("custom fields cannot be written as JSON", e);
    }
  }
}
