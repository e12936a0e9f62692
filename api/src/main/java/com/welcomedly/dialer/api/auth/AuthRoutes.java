package com.welcomedly.dialer.api.auth;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.extractClientIP;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.onSuccess;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.post;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.welcomedly.dialer.api.Json;
import com.welcomedly.dialer.api.Problems;
import com.welcomedly.dialer.api.Problems.FieldError;
import com.welcomedly.dialer.api.RequestBodies;
import com.welcomedly.dialer.engine.identity.User;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.RemoteAddress;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code POST /api/auth/login} (username + password → bearer token) and {@code GET /api/auth/me}.
 */
public final class AuthRoutes {

  /** Login request body. */
  public record LoginRequest(String username, String password) {}

  /** Login response body. */
  public record LoginResponse(
      String token,
      String tokenType,
      Instant expiresAt,
      String username,
      String role,
      String agentId) {}

  /** The caller, as the token says. */
  public record Me(String username, String role, String agentId, Instant expiresAt) {}

  /** The outcome of one login attempt, before it becomes an HTTP response. */
  private sealed interface Outcome {}

  private record Granted(LoginResponse response) implements Outcome {}

  private record Refused(String detail) implements Outcome {}

  private record Throttled(Duration retryAfter) implements Outcome {}

  private final ActorSystem<?> system;
  private final ObjectMapper mapper;
  private final RequestBodies bodies;
  private final AccessTokens tokens;
  private final Passwords passwords;
  private final Authenticator authenticator;
  private final ActorRef<LoginThrottle.Command> throttle;
  private final Duration askTimeout;
  private final LoginCapacity capacity;

  public AuthRoutes(
      ActorSystem<?> system,
      AccessTokens tokens,
      Passwords passwords,
      Authenticator authenticator,
      ActorRef<LoginThrottle.Command> throttle) {
    this.system = system;
    this.mapper = Json.mapper(system);
    this.bodies = new RequestBodies(system);
    this.tokens = tokens;
    this.passwords = passwords;
    this.authenticator = authenticator;
    this.throttle = throttle;
    this.askTimeout = system.settings().config().getDuration("dialer.api.ask-timeout");
    this.capacity = LoginCapacity.get(system);
  }

  public Route routes() {
    return pathPrefix(
        "api",
        () ->
            pathPrefix(
                "auth",
                () ->
                    concat(
                        path(
                            "login",
                            () ->
                                post(
                                    () ->
                                        extractClientIP(
                                            client ->
                                                bodies.body(
                                                    LoginRequest.class,
                                                    body -> login(body, address(client)))))),
                        path(
                            "me",
                            () ->
                                get(
                                    () ->
                                        authenticator.authenticated(
                                            Authenticator.ANY_ROLE,
                                            claims ->
                                                complete(
                                                    StatusCodes.OK,
                                                    new Me(
                                                        claims.sub(),
                                                        claims.role().name(),
                                                        claims.agentId().orElse(null),
                                                        claims.exp()),
                                                    Json.marshaller(system))))))));
  }

  /** The peer's address (forwarding headers are not trusted: they are the attacker's to set). */
  private static String address(RemoteAddress client) {
    return client.getAddress().map(InetAddress::getHostAddress).orElse("unknown");
  }

  private Route login(LoginRequest request, String address) {
    List<FieldError> errors = new ArrayList<>();
    if (request.username() == null || request.username().isBlank()) {
      errors.add(new FieldError("username", "is required"));
    }
    if (request.password() == null || request.password().isEmpty()) {
      errors.add(new FieldError("password", "is required"));
    }
    if (!errors.isEmpty()) {
      return complete(
          Problems.response(mapper, StatusCodes.BAD_REQUEST, "invalid login request", errors));
    }
    if (!capacity.tryEnter()) {
      return complete(Problems.unavailable(mapper, capacity.busyDetail()));
    }
    String username = request.username().trim().toLowerCase();
    CompletionStage<Outcome> checked =
        attempt(username, request.password(), address).whenComplete((o, e) -> capacity.exit());
    return onSuccess(
        checked,
        outcome -> {
          if (outcome instanceof Granted granted) {
            return complete(StatusCodes.OK, granted.response(), Json.marshaller(system));
          }
          if (outcome instanceof Throttled throttled) {
            long seconds = Math.max(1, throttled.retryAfter().toSeconds());
            return complete(
                Problems.response(
                        mapper,
                        StatusCodes.TOO_MANY_REQUESTS,
                        "too many failed logins; retry in " + seconds + " s",
                        List.of())
                    .addHeader(HttpHeader.parse("Retry-After", Long.toString(seconds))));
          }
          return complete(
              Problems.response(
                  mapper, StatusCodes.UNAUTHORIZED, ((Refused) outcome).detail(), List.of()));
        });
  }

  private CompletionStage<Outcome> attempt(String username, String password, String address) {
    return AskPattern.<LoginThrottle.Command, LoginThrottle.Verdict>ask(
            throttle,
            r -> new LoginThrottle.Check(username, address, r),
            askTimeout,
            system.scheduler())
        .thenCompose(
            verdict ->
                verdict.allowed()
                    ? checkPassword(username, password, address)
                    : CompletableFuture.completedFuture(
                        new Throttled(verdict.retryAfter().orElseThrow())));
  }

  /**
   * Uniform answers: an unknown user, a wrong password and a disabled account (even with the right
   * password) all get the same 401 after the same bcrypt work, so neither the text nor the timing
   * tells which usernames exist or are disabled.
   */
  private CompletionStage<Outcome> checkPassword(String username, String password, String address) {
    return credentials(username)
        .thenCompose(
            found ->
                passwords
                    .verify(
                        password,
                        found
                            .map(User.Credentials::passwordHash)
                            .orElse(passwords.unknownUserHash()))
                    .thenApply(
                        matches -> {
                          if (!matches || found.isEmpty() || !found.get().enabled()) {
                            throttle.tell(new LoginThrottle.Failed(username, address));
                            return new Refused("invalid username or password");
                          }
                          User.Credentials user = found.get();
                          throttle.tell(new LoginThrottle.Succeeded(username, address));
                          String token =
                              tokens.issue(
                                  user.username(),
                                  user.role(),
                                  user.agentId(),
                                  user.tokenVersion());
                          return new Granted(
                              new LoginResponse(
                                  token,
                                  "Bearer",
                                  tokens.verify(token).orElseThrow().exp(),
                                  user.username(),
                                  user.role().name(),
                                  user.agentId().orElse(null)));
                        }));
  }

  private CompletionStage<Optional<User.Credentials>> credentials(String username) {
    if (!User.USERNAME.matcher(username).matches()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return ClusterSharding.get(system)
        .entityRefFor(User.ENTITY_KEY, username)
        .ask(User.GetCredentials::new, askTimeout);
  }
}
