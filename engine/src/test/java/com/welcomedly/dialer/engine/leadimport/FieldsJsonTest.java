package com.welcomedly.dialer.engine.leadimport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The hand-written JSON reads back through Jackson to the same fields, in the same order. */
class FieldsJsonTest {

  @Test
  void jacksonReadsBackTheSameFields() throws Exception {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("name", "Doe, \"Jane\"");
    fields.put("notes", "line one\nline two\ttabbed \\ back\u0001slash");
    fields.put("ünïcødé", "日本語 😀 ✓");
    fields.put("empty-key-value", "");
    fields.put("z", "last");
    String json = FieldsJson.write(fields);
    Map<String, String> back =
        new ObjectMapper().readValue(json, new TypeReference<LinkedHashMap<String, String>>() {});
    assertEquals(fields, back);
    assertEquals(
        new java.util.ArrayList<>(fields.keySet()), new java.util.ArrayList<>(back.keySet()));
    assertEquals("{}", FieldsJson.write(Map.of()));
  }
}
