package com.welcomedly.dialer.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The request-body rules, without a node. */
class StrictJsonTest {

  record Body(
      String id,
      Integer lines,
      Double target,
      Boolean dnc,
      String notes,
      Map<String, String> customFields) {}

  private static final ObjectMapper READER =
      StrictJson.reader(new ObjectMapper().registerModule(new Jdk8Module()));

  private static String refusedField(String json) {
    JsonProcessingException e =
        assertThrows(JsonProcessingException.class, () -> READER.readValue(json, Body.class), json);
    return RequestBodies.fieldError(e).field();
  }

  @Test
  void aPlainBodyReads() throws Exception {
    Body body =
        READER.readValue(
            "{\"id\":\"c-1\",\"lines\":2,\"target\":2.5,\"dnc\":true,\"notes\":\"a\\nb\","
                + "\"customFields\":{\"memo\":\"x\\ny\"}}",
            Body.class);
    assertEquals(new Body("c-1", 2, 2.5, true, "a\nb", Map.of("memo", "x\ny")), body);
    assertEquals(new Body(null, null, null, null, null, null), READER.readValue("{}", Body.class));
  }

  @Test
  void scalarsAreNotCoerced() {
    assertEquals("id", refusedField("{\"id\":123}"));
    assertEquals("dnc", refusedField("{\"dnc\":-1}"));
    assertEquals("dnc", refusedField("{\"dnc\":\"true\"}"));
    assertEquals("lines", refusedField("{\"lines\":\"2\"}"));
    assertEquals("lines", refusedField("{\"lines\":\"\"}"));
    assertEquals("lines", refusedField("{\"lines\":null}"));
    assertEquals("lines", refusedField("{\"lines\":2.5}"));
    assertEquals("target", refusedField("{\"target\":null}"));
  }

  @Test
  void numbersAreFinite() {
    for (String value : List.of("\"NaN\"", "\"Infinity\"", "1e999", "-1e999")) {
      assertEquals("target", refusedField("{\"target\":" + value + "}"), value);
    }
    // Bare NaN and Infinity are not JSON at all: the body is refused before any field.
    for (String value : List.of("NaN", "-Infinity")) {
      assertEquals("body", refusedField("{\"target\":" + value + "}"), value);
    }
  }

  @Test
  void textMustBeStorable() {
    assertEquals("id", refusedField("{\"id\":\"a\\u0000b\"}"));
    assertEquals("id", refusedField("{\"id\":\"\\ud800x\"}"));
    assertEquals("id", refusedField("{\"id\":\"a\\r\\nb\"}"));
    assertEquals("notes", refusedField("{\"notes\":\"a\\u0000b\"}"));
    assertEquals("customFields.k", refusedField("{\"customFields\":{\"k\":\"\\u0000\"}}"));
    assertTrue(refusedField("{\"customFields\":{\"k\\u0000\":\"v\"}}").startsWith("customFields"));
  }

  @Test
  void duplicatesTrailingContentAndUnknownFieldsAreRefused() {
    assertEquals("body", refusedField("{\"id\":\"a\",\"id\":\"b\"}"));
    assertEquals("body", refusedField("{\"id\":\"a\"}}}garbage"));
    assertEquals("nope", refusedField("{\"nope\":1}"));
  }
}
