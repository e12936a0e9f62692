package com.welcomedly.dialer.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * RFC 7807 {@code application/problem+json} for every error the API returns: unmatched paths, wrong
 * methods, malformed bodies and unexpected failures alike, so clients parse one shape.
 */
public final class Problems {

  public static final ContentType PROBLEM_JSON =
      ContentTypes.create(
          MediaTypes.applicationWithFixedCharset("problem+json", HttpCharsets.UTF_8));

  /** One field-level validation error. */
  public record FieldError(String field, String message) {}

  /** The problem document; {@code errors} carries field-level detail for validation failures. */
  public record Problem(
      String type, String title, int status, String detail, List<FieldError> errors) {
    public Problem {
      errors = errors == null ? List.of() : List.copyOf(errors);
    }
  }

  private Problems() {}

  public static HttpResponse response(
      ObjectMapper mapper, StatusCode status, String detail, List<FieldError> errors) {
    Problem problem =
        new Problem("about:blank", status.reason(), status.intValue(), detail, errors);
    try {
      return HttpResponse.create()
          .withStatus(status)
          .withEntity(HttpEntities.create(PROBLEM_JSON, mapper.writeValueAsBytes(problem)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Problem documents are plain records", e);
    }
  }

  /** Wraps the routes so that rejections and exceptions become problem documents. */
  public static Route seal(Route routes, ActorSystem<?> system) {
    ObjectMapper mapper = Json.mapper(system);
    // Pekko's default handler already chooses the right status and a precise text (e.g. which
    // methods are allowed); we keep both and only change the envelope.
    RejectionHandler rejections =
        RejectionHandler.defaultHandler()
            .mapRejectionResponse(
                response ->
                    response.entity() instanceof HttpEntity.Strict strict
                            && !strict.getContentType().mediaType().equals(PROBLEM_JSON.mediaType())
                        ? response(
                                mapper, response.status(), strict.getData().utf8String(), List.of())
                            .withHeaders(response.getHeaders())
                        : response);
    ExceptionHandler exceptions =
        ExceptionHandler.newBuilder()
            .matchAny(
                e -> {
                  system.log().error("Unhandled error in an HTTP route", e);
                  return Directives.complete(
                      response(
                          mapper,
                          StatusCodes.INTERNAL_SERVER_ERROR,
                          "The server failed to process the request; the error has been logged.",
                          List.of()));
                })
            .build();
    return Directives.withRequestTimeoutResponse(
        request ->
            response(
                mapper,
                StatusCodes.SERVICE_UNAVAILABLE,
                "the server did not answer in time; retry later",
                List.of()),
        () ->
            Directives.handleExceptions(
                exceptions, () -> Directives.handleRejections(rejections, () -> routes)));
  }
}
