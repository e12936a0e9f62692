package com.welcomedly.dialer.api;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.extractUri;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.welcomedly.dialer.api.Problems.FieldError;
import com.welcomedly.dialer.engine.persistence.StorableText;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.japi.Pair;

/**
 * The edge check every request passes before any route, entity or query sees it ({@link
 * Problems#seal} installs it, so routes added later are covered too):
 *
 * <ul>
 *   <li>every path segment under {@code /api/} is an id or a fixed word: {@link StorableText#ID}
 *       (letters, digits, {@code . _ : -}, 1–128 characters) — so {@code /api/leads/a%00b} or a
 *       {@code |} in a username is a 400 and never reaches an entity's persistence id;
 *   <li>every other path segment and every query parameter name and value is {@link StorableText
 *       storable} (no NUL, control characters or unpaired surrogates).
 * </ul>
 *
 * Routes that take ids from elsewhere (a body field) check them with {@link #idProblem}.
 */
public final class InputGuard {

  private InputGuard() {}

  public static Route guard(ObjectMapper mapper, Supplier<Route> inner) {
    return extractUri(
        uri -> {
          List<FieldError> errors = check(uri);
          return errors.isEmpty()
              ? inner.get()
              : complete(
                  Problems.response(
                      mapper,
                      StatusCodes.BAD_REQUEST,
                      "the request's path or query contains an invalid value",
                      errors));
        });
  }

  /** A body field that names an entity: the same rule as a path segment id. */
  public static Optional<FieldError> idProblem(String field, String id) {
    return StorableText.idProblem(id).map(rule -> new FieldError(field, rule));
  }

  static List<FieldError> check(Uri uri) {
    List<FieldError> errors = new ArrayList<>();
    List<String> segments = new ArrayList<>();
    uri.pathSegments().forEach(segments::add);
    boolean api = !segments.isEmpty() && segments.get(0).equals("api");
    for (int i = 0; i < segments.size(); i++) {
      String segment = segments.get(i);
      if (segment.isEmpty()) {
        continue;
      }
      Optional<String> problem =
          api ? StorableText.idProblem(segment) : StorableText.problem(segment);
      if (problem.isPresent()) {
        errors.add(
            new FieldError("path segment " + (i + 1) + " (" + shown(segment) + ")", problem.get()));
      }
    }
    try {
      for (Pair<String, String> parameter : uri.query().toList()) {
        StorableText.problem(parameter.first())
            .ifPresent(p -> errors.add(new FieldError("query parameter name", p)));
        StorableText.problem(parameter.second())
            .ifPresent(p -> errors.add(new FieldError(shown(parameter.first()), p)));
      }
    } catch (RuntimeException e) {
      errors.add(new FieldError("query", "is not a valid query string"));
    }
    return errors;
  }

  private static String shown(String text) {
    String safe = StorableText.forLog(text);
    return safe.length() > 64 ? safe.substring(0, 64) + "…" : safe;
  }
}
