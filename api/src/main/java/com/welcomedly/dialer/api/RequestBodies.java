package com.welcomedly.dialer.api;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.entity;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequestEntity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.welcomedly.dialer.api.Problems.FieldError;
import com.welcomedly.dialer.engine.persistence.StorableText;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * Strict JSON request bodies: a misspelt field would otherwise silently take its default, and 2.5
 * lines per agent would be truncated to 2. A malformed body or a value of the wrong type is a 400
 * problem naming the field. Every route that takes a JSON body reads it here ({@link StrictJson}
 * has the rules).
 */
public final class RequestBodies {

  private final ObjectMapper mapper;
  private final ObjectMapper strictReader;

  public RequestBodies(ActorSystem<?> system) {
    this.mapper = Json.mapper(system);
    this.strictReader = StrictJson.reader(mapper);
  }

  /**
   * Reads the body as {@code type} ({@link StrictJson} rules); with {@code optional}, an empty body
   * reaches inner as null. A non-empty body must be {@code application/json} (else 415); the JSON
   * literal {@code null} is never a body.
   */
  public <T> Route body(Class<T> type, boolean optional, Function<T, Route> inner) {
    return extractRequestEntity(
        requestEntity ->
            entity(
                Unmarshaller.entityToString(),
                text -> {
                  if (!text.isEmpty()
                      && !requestEntity
                          .getContentType()
                          .mediaType()
                          .equals(MediaTypes.APPLICATION_JSON)) {
                    return complete(
                        Problems.response(
                            mapper,
                            StatusCodes.UNSUPPORTED_MEDIA_TYPE,
                            "the request body must be application/json",
                            List.of(
                                new FieldError(
                                    "Content-Type",
                                    "must be application/json, was "
                                        + requestEntity.getContentType().mediaType()))));
                  }
                  return parsed(text, type, optional, inner);
                }));
  }

  /** Like {@link #body(Class, boolean, Function)} for a required body. */
  public <T> Route body(Class<T> type, Function<T, Route> inner) {
    return body(type, false, inner);
  }

  /** The same rules for a text that arrived some other way (e.g. a WebSocket message). */
  public <T> T read(String text, Class<T> type) throws JsonProcessingException {
    return strictReader.readValue(text, type);
  }

  private <T> Route parsed(String text, Class<T> type, boolean optional, Function<T, Route> inner) {
    T value;
    if (text.strip().equals("null")) {
      return invalid("the body must be a JSON object, not null", List.of());
    }
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
      Optional<String> own = StrictJson.ownMessage(e);
      if (own.isPresent()) {
        return new FieldError(field, own.get());
      }
      if (e instanceof InvalidNullException) {
        return new FieldError(field, "must not be null; leave the field out instead");
      }
      if (e instanceof UnrecognizedPropertyException unknown) {
        return new FieldError(field, "unknown field; known: " + known(unknown));
      }
      if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
        return new FieldError(field, "must be " + describe(mismatch.getTargetType()));
      }
      return new FieldError(field, "has an invalid value");
    }
    return new FieldError(
        "body", "is not valid JSON: " + StorableText.forLog(e.getOriginalMessage()));
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
