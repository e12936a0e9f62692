package com.welcomedly.dialer.engine.lead;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rules that turn an import request into the lead's first event: numbers to E.164 (at least
 * one, duplicates dropped), the zone given or derived from the first number, and why a lead without
 * a zone is not dialable. One place for both ways in: the {@link Lead.Import} command and the bulk
 * import (engine/leadimport), so a row is accepted or refused with the same reason by either.
 */
public final class LeadIntake {

  /** Either the event to persist or the reason the row is refused (no full number in it). */
  public record Admission(Lead.Imported imported, String refusal) {
    public boolean admitted() {
      return imported != null;
    }
  }

  static final String NO_ZONE =
      "no timezone given and the number's prefix does not map to exactly one zone";

  private LeadIntake() {}

  public static Admission admit(
      String leadId,
      String campaignId,
      List<String> rawNumbers,
      String timezone,
      int priority,
      Map<String, String> customFields,
      Instant at) {
    if (campaignId == null || rawNumbers == null || rawNumbers.isEmpty()) {
      return refused("a lead needs a campaign and at least one phone number");
    }
    List<Lead.PhoneNumber> numbers = new ArrayList<>();
    PhoneNumbers.Valid first = null;
    for (String raw : rawNumbers) {
      Optional<PhoneNumbers.Valid> valid = PhoneNumbers.parse(raw);
      if (valid.isEmpty()) {
        return refused("not a valid E.164 number: " + mask(raw));
      }
      String e164 = valid.get().e164();
      if (first == null) {
        first = valid.get();
      }
      if (numbers.stream().noneMatch(n -> n.e164().equals(e164))) {
        numbers.add(new Lead.PhoneNumber(e164, false));
      }
    }
    if (timezone != null && !validZone(timezone)) {
      return refused("unknown IANA timezone: " + timezone);
    }
    String zone = timezone != null ? timezone : PhoneNumbers.timezoneOf(first).orElse(null);
    Map<String, String> fields = customFields == null ? Map.of() : customFields;
    return new Admission(
        new Lead.Imported(
            leadId, campaignId, numbers, zone, priority, fields, zone == null ? NO_ZONE : null, at),
        null);
  }

  private static Admission refused(String reason) {
    return new Admission(null, reason);
  }

  static boolean validZone(String zone) {
    try {
      ZoneId.of(zone);
      return true;
    } catch (DateTimeException e) {
      return false;
    }
  }

  /** Keeps raw numbers out of error replies that may be logged: country code and last 2 digits. */
  private static String mask(String raw) {
    if (raw == null || raw.length() < 5) {
      return "***";
    }
    return raw.substring(0, 2) + "***" + raw.substring(raw.length() - 2);
  }
}
