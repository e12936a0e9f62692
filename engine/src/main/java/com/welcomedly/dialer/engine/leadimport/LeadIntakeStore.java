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
import java.sql.Statement;
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
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

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
   * The batch as COPY delivers it: a temporary table of the session (each pooled connection keeps
   * its own), emptied at every commit.
   */
  static final String BATCH_TABLE =
      "CREATE TEMP TABLE IF NOT EXISTS lead_intake_batch (lead_id VARCHAR(255) NOT NULL,"
          + " numbers TEXT NOT NULL, timezone VARCHAR(64), priority INT NOT NULL,"
          + " custom_fields TEXT NOT NULL, not_dialable_reason TEXT, hopper_zone VARCHAR(64))"
          + " ON COMMIT DELETE ROWS";

  private static final String COPY_BATCH =
      "COPY lead_intake_batch (lead_id, numbers, timezone, priority, custom_fields,"
          + " not_dialable_reason, hopper_zone) FROM STDIN";

  /**
   * From the copied batch: the hopper first, whose primary key answers "exists" for both ways a
   * lead is created (every staged lead has its hopper row, written in the same transaction, and
   * hopper rows are never deleted), then the staged rows of the leads it took; answers their ids.
   */
  private static final String STAGE_FROM_BATCH =
      "WITH queued AS (INSERT INTO hopper_lead (lead_id, campaign_id, status, priority, attempts,"
          + " timezone, updated_at)"
          + " SELECT b.lead_id, ?, CASE WHEN b.not_dialable_reason IS NULL THEN 'QUEUED'"
          + " ELSE 'NEW' END, b.priority, 0, b.hopper_zone, ? FROM lead_intake_batch b"
          + " ON CONFLICT (lead_id) DO NOTHING RETURNING lead_id)"
          + " INSERT INTO lead_intake (lead_id, campaign_id, numbers, timezone, priority,"
          + " custom_fields, not_dialable_reason, imported_at, job_id)"
          + " SELECT b.lead_id, ?, b.numbers, b.timezone, b.priority, b.custom_fields,"
          + " b.not_dialable_reason, ?, ? FROM lead_intake_batch b JOIN queued USING (lead_id)"
          + " ON CONFLICT (lead_id) DO NOTHING RETURNING lead_id";

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
   * caller's transaction: sent by COPY into the session's batch table, then one statement moves
   * them into the hopper and the staging table. Answers the ids now held by this job, the others
   * already existed. A {@code retry} also counts the rows an earlier try of the same batch
   * committed.
   */
  Set<String> stage(
      Connection c,
      String campaignId,
      String jobId,
      Instant at,
      List<Lead.Imported> leads,
      boolean retry)
      throws SQLException {
    IntakeCopyRows rows = new IntakeCopyRows();
    for (Lead.Imported lead : leads) {
      rows.add(
          lead.leadId(),
          numbers(lead),
          lead.timezone(),
          lead.priority(),
          json(lead.customFields()),
          lead.notDialableReason(),
          zones.sqlZone(c, lead.timezone()));
    }
    try (Statement ddl = c.createStatement()) {
      ddl.execute(BATCH_TABLE);
    }
    CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY_BATCH);
    try {
      byte[] bytes = rows.bytes();
      copy.writeToCopy(bytes, 0, bytes.length);
      copy.endCopy();
    } finally {
      if (copy.isActive()) {
        copy.cancelCopy();
      }
    }
    Timestamp when = Timestamp.from(at);
    Set<String> held = new HashSet<>();
    try (PreparedStatement s = c.prepareStatement(STAGE_FROM_BATCH)) {
      s.setString(1, campaignId);
      s.setTimestamp(2, when);
      s.setString(3, campaignId);
      s.setTimestamp(4, when);
      s.setString(5, jobId);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          held.add(rs.getString(1));
        }
      }
    }
    if (retry) {
      heldByJob(c, jobId, leads.stream().map(Lead.Imported::leadId).toArray(String[]::new), held);
    }
    return held;
  }

  private static String numbers(Lead.Imported lead) {
    List<Lead.PhoneNumber> numbers = lead.numbers();
    if (numbers.size() == 1) {
      return numbers.get(0).e164();
    }
    StringBuilder joined = new StringBuilder();
    for (Lead.PhoneNumber n : numbers) {
      if (joined.length() > 0) {
        joined.append(' ');
      }
      joined.append(n.e164());
    }
    return joined.toString();
  }

  private static void heldByJob(Connection c, String jobId, String[] ids, Set<String> held)
      throws SQLException {
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

  private static String json(Map<String, String> fields) {
    return FieldsJson.write(fields);
  }
}
