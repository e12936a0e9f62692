package com.welcomedly.dialer.api.openapi;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.welcomedly.dialer.api.openapi.OpenApiFragments.Fragment;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.core.util.Yaml;
import io.swagger.v3.oas.models.OpenAPI;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The API's OpenAPI 3.0 document: {@code openapi/base.yaml} (info, security schemes, the shared
 * Problem response) plus every fragment of {@link OpenApiFragments}, merged at start-up. Anything
 * that would make the document lie fails loudly here instead: a path or component defined twice, a
 * fragment key other than {@code paths}/{@code components}, a keyword the OpenAPI model does not
 * know (a typo would otherwise vanish silently) and a {@code $ref} to nothing.
 */
public final class OpenApiDocument {

  public static final String BASE = "openapi/base.yaml";

  private static final Set<String> FRAGMENT_KEYS = Set.of("paths", "components");

  private OpenApiDocument() {}

  /** The document from the classpath's base and fragments. */
  public static OpenAPI load(ClassLoader classLoader) {
    try (InputStream base = classLoader.getResourceAsStream(BASE)) {
      if (base == null) {
        throw new IllegalStateException(BASE + " is not on the classpath");
      }
      return assemble(
          new String(base.readAllBytes(), StandardCharsets.UTF_8),
          OpenApiFragments.load(classLoader));
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + BASE, e);
    }
  }

  /** Merges the fragments into the base; throws IllegalStateException naming the bad file. */
  public static OpenAPI assemble(String baseYaml, List<Fragment> fragments) {
    ObjectNode document = mapping(read("base.yaml", baseYaml), "base.yaml");
    if (!document.path("openapi").asText().startsWith("3.0.")) {
      throw new IllegalStateException("base.yaml must declare openapi: 3.0.x");
    }
    Map<String, String> owners = new HashMap<>();
    for (Fragment fragment : fragments) {
      String name = fragment.name();
      ObjectNode tree = mapping(read(name, fragment.yaml()), name);
      Set<String> unknown = new TreeSet<>();
      tree.fieldNames().forEachRemaining(unknown::add);
      unknown.removeAll(FRAGMENT_KEYS);
      if (!unknown.isEmpty()) {
        throw new IllegalStateException(
            name + ": only paths and components may be at the top level, not " + unknown);
      }
      ObjectNode paths = mapping(tree.get("paths"), name + " paths");
      if (paths.isEmpty()) {
        throw new IllegalStateException(name + ": paths is empty");
      }
      merge(document.withObjectProperty("paths"), paths, "path", name, owners);
      if (tree.has("components")) {
        ObjectNode components = mapping(tree.get("components"), name + " components");
        for (Iterator<Map.Entry<String, JsonNode>> it = components.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> kind = it.next();
          merge(
              document.withObjectProperty("components").withObjectProperty(kind.getKey()),
              mapping(kind.getValue(), name + " components." + kind.getKey()),
              "components." + kind.getKey(),
              name,
              owners);
        }
      }
    }
    checkReferences(document, document, "");
    return model(document);
  }

  /** The document as served: JSON with the swagger mapper (nulls and empty defaults left out). */
  public static byte[] json(OpenAPI document) {
    try {
      return Json.mapper().writeValueAsBytes(document);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the OpenAPI model could not be written as JSON", e);
    }
  }

  private static JsonNode read(String name, String yaml) {
    try {
      JsonNode tree =
          Yaml.mapper().reader().with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).readTree(yaml);
      if (tree == null || tree.isMissingNode()) {
        throw new IllegalStateException(name + " is empty");
      }
      return tree;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(name + " is not valid YAML: " + e.getOriginalMessage(), e);
    }
  }

  private static ObjectNode mapping(JsonNode node, String what) {
    if (node instanceof ObjectNode object) {
      return object;
    }
    throw new IllegalStateException(what + " must be a YAML mapping");
  }

  private static void merge(
      ObjectNode target, ObjectNode source, String kind, String file, Map<String, String> owners) {
    for (Iterator<Map.Entry<String, JsonNode>> it = source.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String key = kind + " " + entry.getKey();
      if (target.has(entry.getKey())) {
        throw new IllegalStateException(
            key + " is defined in both " + owners.getOrDefault(key, "base.yaml") + " and " + file);
      }
      owners.put(key, file);
      target.set(entry.getKey(), entry.getValue());
    }
  }

  private static void checkReferences(JsonNode document, JsonNode node, String at) {
    if (node.isObject()) {
      JsonNode ref = node.get("$ref");
      if (ref != null && ref.isTextual()) {
        String target = ref.asText();
        if (!target.startsWith("#/") || document.at(target.substring(1)).isMissingNode()) {
          throw new IllegalStateException(
              "$ref " + target + " at " + at + " points to nothing in the document");
        }
      }
      node.fields()
          .forEachRemaining(e -> checkReferences(document, e.getValue(), at + "/" + e.getKey()));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        checkReferences(document, node.get(i), at + "/" + i);
      }
    }
  }

  /**
   * Reads the merged tree into swagger's model and checks that writing it back gives the same tree:
   * the model silently drops what it does not understand, so a difference is a misspelt keyword.
   */
  private static OpenAPI model(ObjectNode document) {
    OpenAPI model;
    try {
      model = Json.mapper().treeToValue(document, OpenAPI.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("not an OpenAPI 3.0 document: " + e.getOriginalMessage(), e);
    }
    JsonNode written = Json.mapper().valueToTree(model);
    List<String> differences = new ArrayList<>();
    compare(document, written, "", differences);
    if (!differences.isEmpty()) {
      throw new IllegalStateException(
          "the OpenAPI model does not understand part of the document (misspelt keyword or wrong"
              + " type?): "
              + differences.subList(0, Math.min(10, differences.size())));
    }
    return model;
  }

  private static Set<String> names(JsonNode array) {
    Set<String> names = new TreeSet<>();
    array.forEach(n -> names.add(n.asText()));
    return names;
  }

  private static void compare(JsonNode given, JsonNode kept, String at, List<String> differences) {
    if (given.isNumber() && kept.isNumber()) {
      if (given.decimalValue().compareTo(kept.decimalValue()) != 0) {
        differences.add(at + ": " + given + " became " + kept);
      }
    } else if (given.isObject() && kept.isObject()) {
      Set<String> names = new TreeSet<>();
      given.fieldNames().forEachRemaining(names::add);
      kept.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        Optional<JsonNode> before = Optional.ofNullable(given.get(name));
        Optional<JsonNode> after = Optional.ofNullable(kept.get(name));
        if (after.isEmpty()) {
          differences.add(at + "/" + name + " was dropped");
        } else if (before.isEmpty()) {
          differences.add(at + "/" + name + " appeared");
        } else {
          compare(before.get(), after.get(), at + "/" + name, differences);
        }
      }
    } else if (at.endsWith("/required") && given.isArray() && kept.isArray()) {
      // The model keeps a schema's required names sorted; their order means nothing.
      if (!names(given).equals(names(kept))) {
        differences.add(at + ": " + given + " became " + kept);
      }
    } else if (given.isArray() && kept.isArray() && given.size() == kept.size()) {
      for (int i = 0; i < given.size(); i++) {
        compare(given.get(i), kept.get(i), at + "/" + i, differences);
      }
    } else if (!given.equals(kept)) {
      differences.add(at + ": " + given + " became " + kept);
    }
  }
}
