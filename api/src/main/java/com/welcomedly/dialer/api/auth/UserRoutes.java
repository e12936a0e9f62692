package com.welcomedly.dialer.api.auth;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.onSuccess;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathEnd;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.post;
import static org.apache.pekko.http.javadsl.server.Directives.put;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.welcomedly.dialer.api.Json;
import com.welcomedly.dialer.api.Problems;
import com.welcomedly.dialer.api.Problems.FieldError;
import com.welcomedly.dialer.api.RequestBodies;
import com.welcomedly.dialer.engine.identity.User;
import com.welcomedly.dialer.engine.identity.User.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.pattern.StatusReply;

/**
 * User accounts ({@code /api/users}): admins create users, change roles, disable and enable them; a
 * user may read their own account and change their own password.
 */
public final class UserRoutes {

  /** Create-user body. {@code agentId} only for role AGENT. */
  public record CreateUser(String username, String password, String role, String agentId) {}

  /**
   * Change-password body. {@code currentPassword} is required when users change their own password
   * (a stolen token alone cannot take the account over); an admin resetting someone else's password
   * leaves it out.
   */
  public record NewPassword(String password, String currentPassword) {}

  /** Change-role body. */
  public record NewRole(String role, String agentId) {}

  /** A user as the API shows it (never the hash). */
  public record UserView(
      String username,
      String role,
      String agentId,
      boolean enabled,
      Instant createdAt,
      String createdBy) {
    static UserView of(User.Summary s) {
      return new UserView(
          s.username(),
          s.role().name(),
          s.agentId().orElse(null),
          s.enabled(),
          s.createdAt(),
          s.createdBy());
    }
  }

  private final ActorSystem<?> system;
  private final ObjectMapper mapper;
  private final RequestBodies bodies;
  private final Passwords passwords;
  private final Authenticator authenticator;
  private final Duration askTimeout;
  private final TokenVersions versions;

  public UserRoutes(
      ActorSystem<?> system,
      Passwords passwords,
      Authenticator authenticator,
      TokenVersions versions) {
    this.versions = versions;
    this.system = system;
    this.mapper = Json.mapper(system);
    this.bodies = new RequestBodies(system);
    this.passwords = passwords;
    this.authenticator = authenticator;
    this.askTimeout = system.settings().config().getDuration("dialer.api.ask-timeout");
  }

  public Route routes() {
    return pathPrefix(
        "api",
        () ->
            pathPrefix(
                "users",
                () ->
                    concat(
                        pathEnd(
                            () ->
                                post(
                                    () ->
                                        authenticator.authenticated(
                                            Authenticator.ADMIN,
                                            claims ->
                                                bodies.body(
                                                    CreateUser.class,
                                                    body -> create(claims, body))))),
                        pathPrefix(PathMatchers.segment(), this::oneUser))));
  }

  private Route oneUser(String username) {
    return concat(
        pathEnd(
            () ->
                get(
                    () ->
                        authenticator.authenticated(
                            Authenticator.ANY_ROLE,
                            claims -> selfOrAdmin(claims, username, () -> read(username))))),
        path(
            "password",
            () ->
                put(
                    () ->
                        authenticator.authenticated(
                            Authenticator.ANY_ROLE,
                            claims ->
                                selfOrAdmin(
                                    claims,
                                    username,
                                    () ->
                                        bodies.body(
                                            NewPassword.class,
                                            body -> changePassword(claims, username, body)))))),
        path(
            "role",
            () ->
                put(
                    () ->
                        authenticator.authenticated(
                            Authenticator.ADMIN,
                            claims ->
                                bodies.body(
                                    NewRole.class, body -> changeRole(claims, username, body))))),
        path(
            "disable",
            () ->
                post(
                    () ->
                        authenticator.authenticated(
                            Authenticator.ADMIN,
                            claims -> change(username, r -> new User.Disable(claims.sub(), r))))),
        path(
            "enable",
            () ->
                post(
                    () ->
                        authenticator.authenticated(
                            Authenticator.ADMIN,
                            claims -> change(username, r -> new User.Enable(claims.sub(), r))))));
  }

  private Route create(AccessTokens.Claims claims, CreateUser body) {
    List<FieldError> errors = new ArrayList<>();
    if (body.username() == null || !User.USERNAME.matcher(body.username()).matches()) {
      errors.add(
          new FieldError(
              "username",
              "must be 3-64 characters of lower-case letters, digits, '.', '_' or '-'"));
    }
    Optional.ofNullable(Passwords.problem(body.password(), body.username()))
        .ifPresent(p -> errors.add(new FieldError("password", p)));
    Optional<Role> role = parseRole(body.role(), errors);
    Optional<String> agentId = Optional.ofNullable(body.agentId()).filter(id -> !id.isBlank());
    role.ifPresent(r -> checkAgentLink(r, agentId, errors));
    if (!errors.isEmpty()) {
      return invalid("invalid user", errors);
    }
    CompletionStage<StatusReply<User.Summary>> created =
        passwords
            .hash(body.password())
            .thenCompose(
                hash ->
                    user(body.username())
                        .ask(
                            (ActorRef<StatusReply<User.Summary>> r) ->
                                new User.Register(role.get(), hash, agentId, claims.sub(), r),
                            askTimeout));
    return reply(created, StatusCodes.CREATED);
  }

  private Route changePassword(AccessTokens.Claims claims, String username, NewPassword body) {
    String problem = Passwords.problem(body.password(), username);
    if (problem != null) {
      return invalid("invalid password", List.of(new FieldError("password", problem)));
    }
    boolean own = claims.sub().equals(username);
    if (own && (body.currentPassword() == null || body.currentPassword().isEmpty())) {
      return invalid(
          "changing your own password needs the current one",
          List.of(new FieldError("currentPassword", "is required")));
    }
    if (!own) {
      return reply(
          revoking(username, storePassword(claims, username, body.password())), StatusCodes.OK);
    }
    return onSuccess(
        currentPasswordMatches(username, body.currentPassword()),
        matches ->
            matches
                ? reply(
                    revoking(username, storePassword(claims, username, body.password())),
                    StatusCodes.OK)
                : complete(
                    Problems.response(
                        mapper,
                        StatusCodes.FORBIDDEN,
                        "the current password is wrong",
                        List.of(new FieldError("currentPassword", "does not match")))));
  }

  private CompletionStage<StatusReply<User.Summary>> storePassword(
      AccessTokens.Claims claims, String username, String password) {
    return passwords
        .hash(password)
        .thenCompose(
            hash ->
                user(username)
                    .ask(
                        (ActorRef<StatusReply<User.Summary>> r) ->
                            new User.ChangePassword(hash, claims.sub(), r),
                        askTimeout));
  }

  private CompletionStage<Boolean> currentPasswordMatches(String username, String current) {
    return user(username)
        .ask(User.GetCredentials::new, askTimeout)
        .thenCompose(
            found ->
                passwords.verify(
                    current,
                    found.map(User.Credentials::passwordHash).orElse(passwords.unknownUserHash())))
        .thenApply(matches -> matches);
  }

  /** A change that revokes the user's tokens: this node forgets the cached token version. */
  private <T> CompletionStage<T> revoking(String username, CompletionStage<T> change) {
    return change.whenComplete((result, failure) -> versions.invalidate(username));
  }

  private Route changeRole(AccessTokens.Claims claims, String username, NewRole body) {
    List<FieldError> errors = new ArrayList<>();
    Optional<Role> role = parseRole(body.role(), errors);
    Optional<String> agentId = Optional.ofNullable(body.agentId()).filter(id -> !id.isBlank());
    role.ifPresent(r -> checkAgentLink(r, agentId, errors));
    if (!errors.isEmpty()) {
      return invalid("invalid role change", errors);
    }
    return change(username, r -> new User.ChangeRole(role.get(), agentId, claims.sub(), r));
  }

  private Route read(String username) {
    return onSuccess(
        user(username).ask(User.Get::new, askTimeout),
        found ->
            found
                .<Route>map(s -> complete(StatusCodes.OK, UserView.of(s), Json.marshaller(system)))
                .orElseGet(
                    () ->
                        complete(
                            Problems.response(
                                mapper, StatusCodes.NOT_FOUND, "no user " + username, List.of()))));
  }

  private Route change(
      String username, Function<ActorRef<StatusReply<User.Summary>>, User.Command> command) {
    return reply(
        revoking(username, user(username).ask(command::apply, askTimeout)), StatusCodes.OK);
  }

  private Route reply(
      CompletionStage<StatusReply<User.Summary>> result,
      org.apache.pekko.http.javadsl.model.StatusCode success) {
    return onSuccess(
        result,
        reply ->
            reply.isSuccess()
                ? complete(success, UserView.of(reply.getValue()), Json.marshaller(system))
                : complete(
                    Problems.response(
                        mapper,
                        statusFor(reply.getError().getMessage()),
                        reply.getError().getMessage(),
                        List.of())));
  }

  /** The one place where the entity's refusals become HTTP statuses. */
  private static org.apache.pekko.http.javadsl.model.StatusCode statusFor(String reason) {
    if (reason.startsWith("no user ")) {
      return StatusCodes.NOT_FOUND;
    }
    if (reason.endsWith(" already exists")) {
      return StatusCodes.CONFLICT;
    }
    if (reason.startsWith("username must") || reason.contains("agent id")) {
      return StatusCodes.BAD_REQUEST;
    }
    return StatusCodes.CONFLICT;
  }

  private Route selfOrAdmin(
      AccessTokens.Claims claims, String username, java.util.function.Supplier<Route> inner) {
    if (claims.role() != Role.ADMIN && !claims.sub().equals(username)) {
      return complete(
          Problems.response(
              mapper,
              StatusCodes.FORBIDDEN,
              "only an admin may act on another user's account",
              List.of()));
    }
    return inner.get();
  }

  private Route invalid(String detail, List<FieldError> errors) {
    return complete(Problems.response(mapper, StatusCodes.BAD_REQUEST, detail, errors));
  }

  private static Optional<Role> parseRole(String role, List<FieldError> errors) {
    try {
      return Optional.of(Role.valueOf(role == null ? "" : role.trim().toUpperCase()));
    } catch (IllegalArgumentException e) {
      errors.add(new FieldError("role", "must be one of " + Arrays.toString(Role.values())));
      return Optional.empty();
    }
  }

  private static void checkAgentLink(Role role, Optional<String> agentId, List<FieldError> errors) {
    if (role == Role.AGENT && agentId.isEmpty()) {
      errors.add(new FieldError("agentId", "is required for role AGENT"));
    } else if (role != Role.AGENT && agentId.isPresent()) {
      errors.add(new FieldError("agentId", "is only allowed for role AGENT"));
    }
  }

  private EntityRef<User.Command> user(String username) {
    return ClusterSharding.get(system).entityRefFor(User.ENTITY_KEY, username);
  }
}
