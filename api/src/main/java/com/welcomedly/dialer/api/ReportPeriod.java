package com.welcomedly.dialer.api;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.parameterOptional;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.welcomedly.dialer.api.Problems.FieldError;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The period of a report, export or hourly query: {@code from} and {@code to} as ISO-8601 with
 * offset, {@code to} defaulting to now and {@code from} to a route's fallback before it, at most
 * {@code maxRange} long. One reading for every report route, so they reject alike.
 */
public final class ReportPeriod {

  private final ObjectMapper mapper;
  private final Duration maxRange;

  public ReportPeriod(ObjectMapper mapper, Duration maxRange) {
    this.mapper = mapper;
    this.maxRange = maxRange;
  }

  public Route range(Duration fallback, BiFunction<Instant, Instant, Route> inner) {
    return parameterOptional(
        "from",
        from ->
            parameterOptional(
                "to",
                to -> {
                  List<FieldError> errors = new ArrayList<>();
                  Instant end = instant(to, "to", errors).orElseGet(Instant::now);
                  Instant start = instant(from, "from", errors).orElse(end.minus(fallback));
                  if (errors.isEmpty() && !start.isBefore(end)) {
                    errors.add(new FieldError("from", "must be before 'to'"));
                  } else if (errors.isEmpty()
                      && Duration.between(start, end).compareTo(maxRange) > 0) {
                    errors.add(
                        new FieldError(
                            "from", "the period may span at most " + maxRange.toDays() + " days"));
                  }
                  return errors.isEmpty()
                      ? inner.apply(start, end)
                      : complete(
                          Problems.response(
                              mapper, StatusCodes.BAD_REQUEST, "invalid query", errors));
                }));
  }

  private static Optional<Instant> instant(
      Optional<String> text, String field, List<FieldError> errors) {
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(text.get().trim()).toInstant());
    } catch (DateTimeParseException e) {
      errors.add(
          new FieldError(
              field, "must be an ISO-8601 date-time with offset, e.g. 2026-11-22T08:00:00Z"));
      return Optional.empty();
    }
  }
}
