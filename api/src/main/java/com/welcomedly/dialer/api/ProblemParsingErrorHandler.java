package com.welcomedly.dialer.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.welcomedly.dialer.engine.persistence.StorableText;
import java.util.List;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.ParsingErrorHandler;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.scaladsl.model.ErrorInfo;
import org.apache.pekko.http.scaladsl.model.StatusCode;
import org.apache.pekko.http.scaladsl.settings.ServerSettings;

/**
 * Requests too malformed to reach a route (URI too long → 414, headers too large → 431, a bad
 * percent-encoding → 400, ...) still get a problem document instead of Pekko's plain text. Set as
 * {@code pekko.http.server.parsing.error-handler} in {@code http.conf}; Pekko creates it by
 * reflection, before any ActorSystem-bound mapper is available, hence its own plain mapper.
 */
public final class ProblemParsingErrorHandler extends ParsingErrorHandler {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Override
  public HttpResponse handle(
      StatusCode status, ErrorInfo error, LoggingAdapter log, ServerSettings settings) {
    log.warning("Illegal request, responding with status '{}': {}", status, error.summary());
    Problems.Problem problem =
        new Problems.Problem(
            "about:blank",
            status.reason(),
            status.intValue(),
            StorableText.forLog(error.summary()),
            List.of());
    try {
      return HttpResponse.create()
          .withStatus(status)
          .withEntity(
              HttpEntities.create(Problems.PROBLEM_JSON, MAPPER.writeValueAsBytes(problem)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Problem documents are plain records", e);
    }
  }
}
