package com.welcomedly.dialer.api.auth;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.onSuccess;
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
  private final TokenVersions versions;
  private final ObjectMapper mapper;

  public Authenticator(AccessTokens tokens, TokenVersions versions, ObjectMapper mapper) {
    this.tokens = tokens;
    this.versions = versions;
    this.mapper = mapper;
  }

  public Route authenticated(Set<Role> allowed, Function<AccessTokens.Claims, Route> inner) {
    return optionalHeaderValueByName("Authorization", header -> check(header, allowed, inner));
  }

  /**
   * For WebSocket upgrades: browsers cannot set headers on a WebSocket, so the token may also come
   * as the {@code access_token} query parameter (RFC 6750 §2.3). The header wins when both are
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
      return unauthorized(
          header.isEmpty()
              ? "missing bearer token: log in at POST /api/auth/login"
              : "invalid or expired bearer token");
    }
    // Signed and unexpired is not enough: the account may have been disabled, demoted or had its
    // password changed since the token was issued.
    return onSuccess(
        versions.honours(claims.get()),
        honoured ->
            honoured
                ? authorized(claims.get(), allowed, inner)
                : unauthorized("this token has been revoked: log in again"));
  }

  private Route unauthorized(String detail) {
    return complete(
        Problems.response(mapper, StatusCodes.UNAUTHORIZED, detail, List.of())
            .addHeader(HttpHeader.parse("WWW-Authenticate", "Bearer realm=\"dialer\"")));
  }

  private Route authorized(
      AccessTokens.Claims claims, Set<Role> allowed, Function<AccessTokens.Claims, Route> inner) {
    if (!allowed.contains(claims.role())) {
      return complete(
          Problems.response(
              mapper,
              StatusCodes.FORBIDDEN,
              "role " + claims.role() + " may not use this endpoint; allowed: " + allowed,
              List.of()));
    }
    return inner.apply(claims);
  }

  /** Admins and supervisors may act for anyone; an agent only as itself. */
  public static boolean mayActAsAgent(AccessTokens.Claims claims, String agentId) {
    return claims.role() != Role.AGENT || claims.agentId().filter(agentId::equals).isPresent();
  }
}
