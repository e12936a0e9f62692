package com.welcomedly.dialer.engine.leadimport;

import com.welcomedly.dialer.engine.persistence.StorableText;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The checks every imported row passes before it reaches a Lead entity, shared by CSV and JSON. It
 * remembers the ids seen so far, so one instance serves exactly one import. Numbers are only
 * checked for presence: the Lead entity owns E.164 validation and its reason is what the caller
 * sees.
 */
public final class LeadRowValidator {

  public static final Pattern LEAD_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
  public static final int MAX_NUMBERS = 10;
  public static final int MAX_CUSTOM_FIELDS = 50;
  public static final int MAX_FIELD_CHARS = 2000;
  public static final int DEFAULT_PRIORITY = 0;

  private final String jobId;
  private final SeenIds seenIds = new SeenIds();

  /** {@code jobId} seeds generated lead ids, so retrying a row within the job keeps its id. */
  public LeadRowValidator(String jobId) {
    this.jobId = jobId;
  }

  public ImportRow validate(
      int line,
      String id,
      List<String> rawNumbers,
      String timezone,
      String priority,
      Map<String, String> customFields) {
    List<String> numbers = new ArrayList<>();
    if (rawNumbers != null) {
      for (String n : rawNumbers) {
        if (n != null && !n.isBlank()) {
          if (!StorableText.isStorable(n)) {
            return new ImportRow.Invalid(line, "a phone number contains a control character");
          }
          numbers.add(n.trim());
        }
      }
    }
    if (numbers.isEmpty()) {
      return new ImportRow.Invalid(line, "missing phone number");
    }
    if (numbers.size() > MAX_NUMBERS) {
      return new ImportRow.Invalid(line, "at most " + MAX_NUMBERS + " phone numbers per lead");
    }
    String zone = blankToNull(timezone);
    if (zone != null && !validZone(zone)) {
      return new ImportRow.Invalid(line, "unknown timezone: " + zone);
    }
    int parsedPriority = DEFAULT_PRIORITY;
    String p = blankToNull(priority);
    if (p != null) {
      try {
        parsedPriority = Integer.parseInt(p);
      } catch (NumberFormatException e) {
        return new ImportRow.Invalid(line, "priority must be an integer, got '" + p + "'");
      }
    }
    Map<String, String> fields = new LinkedHashMap<>();
    if (customFields != null) {
      for (Map.Entry<String, String> field : customFields.entrySet()) {
        String value = field.getValue();
        if (field.getKey() == null
            || field.getKey().isBlank()
            || value == null
            || value.isEmpty()) {
          continue; // sparse columns stay off the lead instead of filling it with empty strings
        }
        Optional<String> unstorable =
            StorableText.problem(field.getKey()).or(() -> StorableText.problem(value, true));
        if (unstorable.isPresent()) {
          // NUL or a lone surrogate would make the lead unable to persist: refuse the row here.
          return new ImportRow.Invalid(
              line,
              "custom field '" + StorableText.forLog(field.getKey()) + "' " + unstorable.get());
        }
        if (value.length() > MAX_FIELD_CHARS) {
          return new ImportRow.Invalid(
              line,
              "custom field '" + field.getKey() + "' is longer than " + MAX_FIELD_CHARS + " chars");
        }
        fields.put(field.getKey().trim(), value);
      }
    }
    if (fields.size() > MAX_CUSTOM_FIELDS) {
      return new ImportRow.Invalid(line, "at most " + MAX_CUSTOM_FIELDS + " custom fields");
    }
    String leadId = blankToNull(id);
    if (leadId == null) {
      leadId = generatedId(line);
    } else if (!LEAD_ID.matcher(leadId).matches()) {
      return new ImportRow.Invalid(
          line, "id must be 1-128 letters, digits, '.', '_', ':' or '-', starting alphanumeric");
    }
    int first = seenIds.firstLine(leadId, line);
    if (first >= 0) {
      return new ImportRow.Invalid(
          line, "duplicate id " + leadId + " (first on line " + first + ")");
    }
    return new ImportRow.Valid(line, leadId, List.copyOf(numbers), zone, parsedPriority, fields);
  }

  /** Deterministic per job and line: a row retried within its job addresses the same lead. */
  private String generatedId(int line) {
    return UUID.nameUUIDFromBytes((jobId + "#" + line).getBytes(StandardCharsets.UTF_8)).toString();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  private static boolean validZone(String zone) {
    try {
      ZoneId.of(zone);
      return true;
    } catch (DateTimeException e) {
      return false;
    }
  }
}
