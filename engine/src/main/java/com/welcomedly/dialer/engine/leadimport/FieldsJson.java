package com.welcomedly.dialer.engine.leadimport;

import java.util.Map;

/**
 * A lead's custom fields as the JSON object {@code lead_intake.custom_fields} holds, written by
 * hand: a flat object of strings needs only string escaping, and Jackson's general machinery was a
 * few percent of an import's CPU. Jackson reads it back ({@link LeadIntakeStore#find}) to the same
 * map.
 */
final class FieldsJson {

  private FieldsJson() {}

  static String write(Map<String, String> fields) {
    StringBuilder json = new StringBuilder(16 + fields.size() * 24).append('{');
    boolean first = true;
    for (Map.Entry<String, String> field : fields.entrySet()) {
      if (!first) {
        json.append(',');
      }
      first = false;
      string(json, field.getKey()).append(':');
      string(json, field.getValue());
    }
    return json.append('}').toString();
  }

  private static StringBuilder string(StringBuilder json, String value) {
    if (value == null) {
      return json.append("null");
    }
    json.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        json.append('\\').append(c);
      } else if (c < 0x20) {
        json.append(String.format("\\u%04x", (int) c));
      } else {
        json.append(c);
      }
    }
    return json.append('"');
  }
}
