package com.welcomedly.dialer.api.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Hostile requests derived from the served OpenAPI document: for every operation, path parameters,
 * query parameters and JSON bodies are filled with values an attacker would send (NUL, lone
 * surrogates, CR/LF, huge strings, NaN, wrong types, duplicate keys, null bodies, wrong content
 * types). Seeded, so a failure is reproducible with the seed printed by the test.
 */
final class OpenApiFuzzer {

  /** One request to send: body null = none. */
  record Probe(String method, String path, String contentType, byte[] body, String why) {
    @Override
    public String toString() {
      return method + " " + abbreviate(path) + " [" + why + "]";
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Raw (percent-encoded) hostile path segments. */
  static final List<String> HOSTILE_SEGMENTS =
      List.of(
          "a%00b",
          "a%0D%0AFAKE%20ERROR%20forged",
          "a%7Cb",
          "%ED%A0%80x", // the UTF-8 bytes of a lone surrogate
          "%C3%28", // invalid UTF-8
          "a%20b",
          "..",
          "x".repeat(300),
          "%E2%80%AEevil", // right-to-left override: not a control character, but not an id
          "%F0%9F%98%80");

  /** JSON literals (already encoded) for a string-typed field. */
  private static final List<String> HOSTILE_STRINGS =
      List.of(
          "\"a\\u0000b\"",
          "\"\\ud800x\"",
          "\"x\\udc00\"",
          "\"line\\r\\nFAKE LOG LINE\"",
          "\"\\u001b[31mred\"",
          "123",
          "true",
          "{}",
          "[]",
          "null",
          "\"\"");

  /** JSON literals for a number-typed field. */
  private static final List<String> HOSTILE_NUMBERS =
      List.of(
          "\"NaN\"",
          "NaN",
          "\"Infinity\"",
          "-Infinity",
          "1e999",
          "\"5\"",
          "\"\"",
          "null",
          "true",
          "2.5",
          "-1",
          "99999999999999999999",
          "[1]");

  private static final List<String> HOSTILE_BOOLEANS =
      List.of("-1", "1", "0", "\"true\"", "\"\"", "null", "{}");

  /** Whole-body attacks, independent of the schema. */
  private static final List<String> HOSTILE_BODIES =
      List.of(
          "null",
          "[]",
          "\"text\"",
          "42",
          "{",
          "{\"a\":1}}}garbage",
          "{\"id\":\"x\",\"id\":\"y\"}",
          "{\"\\u0000\":\"key with NUL\"}");

  private final JsonNode document;
  private final Random random;
  private final String oneMegabyte = "\"" + "A".repeat(1 << 20) + "\"";

  OpenApiFuzzer(JsonNode document, long seed) {
    this.document = document;
    this.random = new Random(seed);
  }

  /** Every operation of the document as (method, templated path, operation node). */
  List<Map.Entry<String, Map.Entry<String, JsonNode>>> operations() {
    List<Map.Entry<String, Map.Entry<String, JsonNode>>> ops = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> paths = document.get("paths").fields();
    while (paths.hasNext()) {
      Map.Entry<String, JsonNode> path = paths.next();
      Iterator<Map.Entry<String, JsonNode>> methods = path.getValue().fields();
      while (methods.hasNext()) {
        Map.Entry<String, JsonNode> method = methods.next();
        if (List.of("get", "post", "put", "patch", "delete").contains(method.getKey())) {
          ops.add(
              Map.entry(
                  method.getKey().toUpperCase(), Map.entry(path.getKey(), method.getValue())));
        }
      }
    }
    return ops;
  }

  /** The probes for one operation, at most {@code budget} of them (a random subset). */
  List<Probe> probes(String method, String template, JsonNode operation, int budget) {
    List<Probe> probes = new ArrayList<>();
    String valid = fill(template, "fuzz-" + random.nextInt(1000));
    // Hostile path segments, one parameter at a time.
    if (template.contains("{")) {
      for (String segment : HOSTILE_SEGMENTS) {
        probes.add(probe(method, fill(template, segment), operation, "path " + segment));
      }
    }
    // Hostile query parameters.
    for (JsonNode parameter : operation.path("parameters")) {
      JsonNode resolved = resolve(parameter);
      if ("query".equals(resolved.path("in").asText())) {
        String name = resolved.path("name").asText();
        for (String value : List.of("%00", "a%0D%0Ab", "%ED%A0%80", "-1", "NaN", "1e999", "%ZZ")) {
          probes.add(
              probe(
                  method,
                  valid + "?" + name + "=" + value,
                  operation,
                  "query " + name + "=" + value));
        }
      }
    }
    JsonNode schema =
        operation.path("requestBody").path("content").path("application/json").path("schema");
    if (!schema.isMissingNode()) {
      JsonNode resolved = resolve(schema);
      ObjectNode base = example(resolved);
      for (String body : HOSTILE_BODIES) {
        probes.add(json(method, valid, body, "body " + body));
      }
      probes.add(new Probe(method, valid, "text/plain", bytes(base.toString()), "text/plain body"));
      probes.add(new Probe(method, valid, null, bytes(base.toString()), "no content type"));
      probes.add(
          new Probe(
              method,
              valid,
              "application/json",
              new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'},
              "invalid UTF-8"));
      Iterator<Map.Entry<String, JsonNode>> fields = resolved.path("properties").fields();
      boolean hugeSent = false;
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        String type = resolve(field.getValue()).path("type").asText("string");
        List<String> values =
            switch (type) {
              case "integer", "number" -> HOSTILE_NUMBERS;
              case "boolean" -> HOSTILE_BOOLEANS;
              case "array" ->
                  List.of("[\"a\\u0000b\"]", "[null]", "\"not an array\"", "[{}]", "{}");
              case "object" ->
                  List.of("{\"k\\u0000\":\"v\"}", "{\"k\":\"\\ud800\"}", "[]", "\"s\"");
              default -> HOSTILE_STRINGS;
            };
        for (String value : values) {
          probes.add(
              json(method, valid, with(base, field.getKey(), value), field.getKey() + "=" + value));
        }
        if (!hugeSent && type.equals("string")) {
          hugeSent = true;
          probes.add(
              json(
                  method, valid, with(base, field.getKey(), oneMegabyte), field.getKey() + "=1MB"));
        }
      }
    } else if (!method.equals("GET")) {
      // Operations without a documented body must survive one anyway.
      probes.add(json(method, valid, "{\"unexpected\":\"\\u0000\"}", "unexpected body"));
      probes.add(new Probe(method, valid, "text/plain", bytes("hello"), "unexpected text body"));
    }
    // A random subset within the budget, always in the same order for one seed.
    while (probes.size() > budget) {
      probes.remove(random.nextInt(probes.size()));
    }
    return probes;
  }

  private Probe probe(String method, String path, JsonNode operation, String why) {
    JsonNode schema =
        operation.path("requestBody").path("content").path("application/json").path("schema");
    if (schema.isMissingNode()) {
      return new Probe(method, path, null, null, why);
    }
    return json(method, path, example(resolve(schema)).toString(), why);
  }

  private static Probe json(String method, String path, String body, String why) {
    return new Probe(method, path, "application/json", bytes(body), why);
  }

  /** A plausible body: every documented property with a value of its type. */
  private ObjectNode example(JsonNode schema) {
    ObjectNode body = JSON.createObjectNode();
    Iterator<Map.Entry<String, JsonNode>> fields = schema.path("properties").fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode type = resolve(field.getValue());
      switch (type.path("type").asText("string")) {
        case "integer" -> body.put(field.getKey(), 1);
        case "number" -> body.put(field.getKey(), 1.5);
        case "boolean" -> body.put(field.getKey(), true);
        case "array" -> body.putArray(field.getKey()).add("fuzz-" + random.nextInt(100));
        case "object" -> body.putObject(field.getKey()).put("k", "v");
        default ->
            body.put(
                field.getKey(),
                type.has("enum")
                    ? type.get("enum").get(0).asText()
                    : "fuzz-" + random.nextInt(1000));
      }
    }
    return body;
  }

  /** {@code base} with one field replaced by a raw JSON literal. */
  private static String with(ObjectNode base, String field, String literal) {
    ObjectNode copy = base.deepCopy();
    copy.put(field, "@@HOSTILE@@");
    return copy.toString().replace("\"@@HOSTILE@@\"", literal);
  }

  private JsonNode resolve(JsonNode node) {
    JsonNode current = node;
    for (int depth = 0; depth < 10 && current.has("$ref"); depth++) {
      String ref = current.get("$ref").asText();
      current = document.at(ref.substring(1));
    }
    return current;
  }

  private static String fill(String template, String value) {
    return template.replaceAll("\\{[^}]+}", value);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private static String abbreviate(String text) {
    return text.length() > 120 ? text.substring(0, 120) + "…" : text;
  }
}
