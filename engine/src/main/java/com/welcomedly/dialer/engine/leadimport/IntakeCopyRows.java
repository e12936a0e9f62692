package com.welcomedly.dialer.engine.leadimport;

import java.nio.charset.StandardCharsets;

/**
 * A batch of staged leads as the body of {@code COPY lead_intake_batch FROM STDIN} (PostgreSQL's
 * text format: tab between columns, a line per row, {@code \N} for null, backslash escapes), so the
 * rows reach the server without per-row statements or array literals.
 */
final class IntakeCopyRows {

  private final StringBuilder text = new StringBuilder(1 << 16);
  private int rows;

  /** Appends one row; the columns in {@link LeadIntakeStore#BATCH_TABLE}'s order. */
  void add(
      String leadId,
      String numbers,
      String timezone,
      int priority,
      String customFields,
      String notDialableReason,
      String hopperZone) {
    field(leadId).append('\t');
    field(numbers).append('\t');
    field(timezone).append('\t');
    text.append(priority).append('\t');
    field(customFields).append('\t');
    field(notDialableReason).append('\t');
    field(hopperZone).append('\n');
    rows++;
  }

  int rows() {
    return rows;
  }

  byte[] bytes() {
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  private StringBuilder field(String value) {
    if (value == null) {
      return text.append("\\N");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> text.append("\\\\");
        case '\t' -> text.append("\\t");
        case '\n' -> text.append("\\n");
        case '\r' -> text.append("\\r");
        default -> text.append(c);
      }
    }
    return text;
  }
}
