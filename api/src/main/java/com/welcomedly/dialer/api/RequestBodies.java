package com.welcomedly.dialer.api;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.entity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.welcomedly.dialer.api.Problems.FieldError;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * Strict JSON request bodies: a misspelt field would otherwise silently take its default, and 2.5
 * lines per agent would be truncated to 2. A malformed body or a value of the wrong type is a 400
 * problem naming the field.
 */
public final class RequestBodies {

  private final ObjectMapper mapper;
  private final ObjectMapper strictReader;

  public RequestBodies(ActorSystem<?> system) {
    this.mapper = Json.mapper(system);
    this.strictReader =
        mapper
            .copy()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
  }

  /** Reads the body as {@code type}; with {@code optional}, an empty body reaches inner as null. */
  public <T> Route body(Class<T> type, boolean optional, Function<T, Route> inner) {
    return entity(Unmarshaller.entityToString(), text -> parsed(text, type, optional, inner));
  }

  /** The same rules for a text that arrived some other way (e.g. a WebSocket message). */
  public <T> T read(String text, Class<T> type) throws JsonProcessingException {
    return strictReader.readValue(text, type);
  }

  private <T> Route parsed(String text, Class<T> type, boolean optional, Function<T, Route> inner) {
    T value;
    try {
      value = text.isBlank() ? null : strictReader.readValue(text, type);
    } catch (JsonProcessingException e) {
      return invalid("malformed JSON body", List.of(fieldError(e)));
    }
    if (value == null && !optional) {
      return invalid("a JSON object body is required", List.of());
    }
    return inner.apply(value);
  }

  private Route invalid(String detail, List<FieldError> errors) {
    return complete(Problems.response(mapper, StatusCodes.BAD_REQUEST, detail, errors));
  }

  /** The field a parse failure is about, and what it must be. */
  public static FieldError fieldError(JsonProcessingException e) {
    if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
      String field = fieldPath(mapping.getPath());
      if (e instanceof UnrecognizedPropertyException unknown) {
        return new FieldError(field, "unknown field; known: " + known(unknown));
      }
      if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
        return new FieldError(field, "must be " + describe(mismatch.getTargetType()));
      }
      return new FieldError(field, "has an invalid value");
    }
    return new FieldError("body", "is not valid JSON: " + e.getOriginalMessage());
  }

  private static String known(UnrecognizedPropertyException e) {
    Collection<Object> ids = e.getKnownPropertyIds();
    return ids == null
        ? "?"
        : ids.stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
  }

  private static String fieldPath(List<JsonMappingException.Reference> path) {
    StringBuilder field = new StringBuilder();
    for (JsonMappingException.Reference ref : path) {
      if (ref.getFieldName() != null) {
        field.append(field.length() == 0 ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        field.append('[').append(ref.getIndex()).append(']');
      }
    }
    return field.length() == 0 ? "body" : field.toString();
  }

  private static String describe(Class<?> type) {
    if (type == Integer.class || type == Long.class || type == int.class) {
      return "a whole number";
    }
    if (type == Double.class || type == double.class) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (List.class.isAssignableFrom(type) || Set.class.isAssignableFrom(type)) {
      return "an array";
    }
    return "an object";
  }
}
