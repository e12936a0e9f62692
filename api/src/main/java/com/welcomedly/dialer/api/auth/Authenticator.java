package com.welcomedly.dialer.api.auth;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.optionalHeaderValueByName;
import static org.apache.pekko.http.javadsl.server.Directives.parameterOptional;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.welcomedly.dialer.api.Problems;
import com.welcomedly.dialer.engine.identity.User.Role;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The bearer-token gate in front of every protected route: 401 (with {@code WWW-Authenticate})
 * without a valid token, 403 when the token's role is not allowed on the route.
 */
public final class Authenticator {

  public static final Set<Role> ANY_ROLE = EnumSet.allOf(Role.class);
  public static final Set<Role> ADMIN = EnumSet.of(Role.ADMIN);
  public static final Set<Role> STAFF = EnumSet.of(Role.ADMIN, Role.SUPERVISOR);

  private final AccessTokens tokens;
  private final ObjectMapper mapper;

  public Authenticator(AccessTokens tokens, ObjectMapper mapper) {
    this.tokens = tokens;
    this.mapper = mapper;
  }

  public Route authenticated(Set<Role> allowed, Function<AccessTokens.Claims, Route> inner) {
    return optionalHeaderValueByName("Authorization", header -> check(header, allowed, inner));
  }

  /**
   * Like {@link #authenticated}, but the token may also come as the {@code access_token} query
   * parameter: browsers cannot set headers on a WebSocket handshake. The header wins when both are
   * given.
   */
  public Route authenticatedWebSocket(
      Set<Role> allowed, Function<AccessTokens.Claims, Route> inner) {
    return optionalHeaderValueByName(
        "Authorization",
        header ->
            parameterOptional(
                "access_token",
                query ->
                    check(
                        header.isPresent() ? header : query.map(token -> "Bearer " + token),
                        allowed,
                        inner)));
  }

  private Route check(
      Optional<String> header, Set<Role> allowed, Function<AccessTokens.Claims, Route> inner) {
    Optional<AccessTokens.Claims> claims =
        header
            .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
            .flatMap(h -> tokens.verify(h.substring(7).trim()));
    if (claims.isEmpty()) {
      return complete(
          Problems.response(
                  mapper,
                  StatusCodes.UNAUTHORIZED,
                  header.isEmpty()
                      ? "missing bearer token: log in at POST /api/auth/login"
                      : "invalid or expired bearer token",
                  List.of())
              .addHeader(HttpHeader.parse("WWW-Authenticate", "Bearer realm=\"dialer\"")));
    }
    if (!allowed.contains(claims.get().role())) {
      return complete(
          Problems.response(
              mapper,
              StatusCodes.FORBIDDEN,
              "role " + claims.get().role() + " may not use this endpoint; allowed: " + allowed,
              List.of()));
    }
    return inner.apply(claims.get());
  }

  /** Admins and supervisors may act for anyone; an agent only as itself. */
  public static boolean mayActAsAgent(AccessTokens.Claims claims, String agentId) {
    return claims.role() != Role.AGENT || claims.agentId().filter(agentId::equals).isPresent();
  }
}
