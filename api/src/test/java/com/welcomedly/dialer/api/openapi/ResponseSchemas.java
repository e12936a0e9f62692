package com.welcomedly.dialer.api.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks a real response against what the document says of it: the status is documented, and the
 * body has every required property, no undocumented one, the documented JSON types and enum values.
 * Enough to catch a renamed or forgotten field; not a full JSON Schema validator.
 */
final class ResponseSchemas {

  private final OpenAPI document;

  ResponseSchemas(OpenAPI document) {
    this.document = document;
  }

  /** The problems found, empty when the response matches its documentation. */
  List<String> check(String path, PathItem.HttpMethod method, int status, JsonNode body) {
    List<String> problems = new ArrayList<>();
    String name = method + " " + path + " " + status;
    PathItem item = document.getPaths().get(path);
    Operation op = item == null ? null : item.readOperationsMap().get(method);
    if (op == null) {
      problems.add(name + ": operation not documented");
      return problems;
    }
    ApiResponse response = op.getResponses().get(Integer.toString(status));
    if (response == null) {
      problems.add(name + ": status not documented");
      return problems;
    }
    response = resolve(response);
    if (response.getContent() == null || response.getContent().isEmpty()) {
      return problems;
    }
    MediaType media = response.getContent().values().iterator().next();
    check(media.getSchema(), body, name + " body", problems);
    return problems;
  }

  private void check(Schema<?> given, JsonNode value, String at, List<String> problems) {
    Schema<?> schema = resolve(given);
    if (value == null || value.isNull()) {
      if (!Boolean.TRUE.equals(schema.getNullable())) {
        problems.add(at + " is null but not nullable");
      }
      return;
    }
    if (schema.getOneOf() != null) {
      return; // the only oneOf is a request field
    }
    String type = schema.getType();
    if (type == null) {
      return;
    }
    boolean typed =
        switch (type) {
          case "object" -> value.isObject();
          case "array" -> value.isArray();
          case "string" -> value.isTextual();
          case "integer" -> value.isIntegralNumber();
          case "number" -> value.isNumber();
          case "boolean" -> value.isBoolean();
          default -> true;
        };
    if (!typed) {
      problems.add(at + " should be " + type + " but is " + value);
      return;
    }
    if (schema.getEnum() != null
        && value.isTextual()
        && !schema.getEnum().contains(value.asText())) {
      problems.add(at + " = " + value + " is not one of " + schema.getEnum());
    }
    if (value.isArray() && schema.getItems() != null) {
      for (int i = 0; i < value.size(); i++) {
        check(schema.getItems(), value.get(i), at + "[" + i + "]", problems);
      }
    }
    if (value.isObject()) {
      checkObject(schema, value, at, problems);
    }
  }

  private void checkObject(Schema<?> schema, JsonNode value, String at, List<String> problems) {
    Map<String, Schema> properties = schema.getProperties();
    if (schema.getRequired() != null) {
      for (String required : schema.getRequired()) {
        if (!value.has(required)) {
          problems.add(at + " lacks required " + required);
        }
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String fieldAt = at + "." + field.getKey();
      if (properties != null && properties.containsKey(field.getKey())) {
        check(properties.get(field.getKey()), field.getValue(), fieldAt, problems);
      } else if (schema.getAdditionalProperties() instanceof Schema<?> values) {
        check(values, field.getValue(), fieldAt, problems);
      } else if (properties != null) {
        problems.add(fieldAt + " is not documented");
      }
    }
  }

  private Schema<?> resolve(Schema<?> schema) {
    String ref = schema.get$ref();
    return ref == null
        ? schema
        : resolve(
            document
                .getComponents()
                .getSchemas()
                .get(ref.substring("#/components/schemas/".length())));
  }

  private ApiResponse resolve(ApiResponse response) {
    String ref = response.get$ref();
    return ref == null
        ? response
        : document
            .getComponents()
            .getResponses()
            .get(ref.substring("#/components/responses/".length()));
  }
}
