package com.welcomedly.dialer.api.auth;

import com.typesafe.config.Config;
import com.welcomedly.dialer.api.Json;
import java.time.Clock;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;

/** The node's authentication parts, built once by {@code Main.init} and shared by all routes. */
public final class Security {

  private final Passwords passwords;
  private final Authenticator authenticator;
  private final AuthRoutes authRoutes;
  private final UserRoutes userRoutes;

  public Security(ActorSystem<?> system) {
    Config auth = system.settings().config().getConfig("dialer.auth");
    AccessTokens tokens =
        new AccessTokens(
            auth.getString("token-secret"),
            auth.getDuration("token-ttl"),
            Clock.systemUTC(),
            Json.mapper(system));
    this.passwords = new Passwords(system);
    TokenVersions versions = new TokenVersions(system);
    this.authenticator = new Authenticator(tokens, versions, Json.mapper(system));
    ActorRef<LoginThrottle.Command> throttle =
        system.systemActorOf(
            LoginThrottle.create(
                new LoginThrottle.Limits(
                    auth.getInt("login-throttle.max-failures"),
                    auth.getDuration("login-throttle.window"),
                    auth.getDuration("login-throttle.lockout"),
                    auth.getInt("login-throttle.max-failures-per-address")),
                Clock.systemUTC()),
            "login-throttle",
            Props.empty());
    this.authRoutes = new AuthRoutes(system, tokens, passwords, authenticator, throttle);
    this.userRoutes = new UserRoutes(system, passwords, authenticator, versions);
  }

  public Passwords passwords() {
    return passwords;
  }

  public Authenticator authenticator() {
    return authenticator;
  }

  public Route routes() {
    return Directives.concat(authRoutes.routes(), userRoutes.routes());
  }
}
