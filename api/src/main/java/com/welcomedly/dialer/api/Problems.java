package com.welcomedly.dialer.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;

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

  /** Seconds a client should wait after a 503 (an ask time-out is usually a busy moment). */
  public static final long RETRY_AFTER_SECONDS = 2;

  private Problems() {}

  /** 503 + {@code Retry-After}: the answer to any time-out inside a route. */
  public static HttpResponse unavailable(ObjectMapper mapper, String detail) {
    return response(mapper, StatusCodes.SERVICE_UNAVAILABLE, detail, List.of());
  }

  public static HttpResponse response(
      ObjectMapper mapper, StatusCode status, String detail, List<FieldError> errors) {
    Problem problem =
        new Problem("about:blank", status.reason(), status.intValue(), detail, errors);
    try {
      HttpResponse response =
          HttpResponse.create()
              .withStatus(status)
              .withEntity(HttpEntities.create(PROBLEM_JSON, mapper.writeValueAsBytes(problem)));
      // Every 503 is "try again": say when, so clients back off instead of hammering.
      return status.intValue() == 503
          ? response.addHeader(HttpHeader.parse("Retry-After", Long.toString(RETRY_AFTER_SECONDS)))
          : response;
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
                  Throwable cause = unwrap(e);
                  if (cause instanceof TimeoutException) {
                    // An ask that timed out (entity busy, recovering or on a leaving node): the
                    // request may succeed on retry, so 503, never 500. One mapping for all routes.
                    system.log().warn("A route timed out: {}", cause.toString());
                    return Directives.complete(
                        unavailable(mapper, "the server did not answer in time; retry later"));
                  }
                  if (cause instanceof EntityStreamSizeException tooBig) {
                    return Directives.complete(
                        response(
                            mapper,
                            StatusCodes.PAYLOAD_TOO_LARGE,
                            "the request body exceeds " + tooBig.limit() + " bytes",
                            List.of()));
                  }
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
        request -> unavailable(mapper, "the server did not answer in time; retry later"),
        () ->
            Directives.handleExceptions(
                exceptions,
                () ->
                    Directives.handleRejections(
                        rejections, () -> InputGuard.guard(mapper, () -> routes))));
  }

  private static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
