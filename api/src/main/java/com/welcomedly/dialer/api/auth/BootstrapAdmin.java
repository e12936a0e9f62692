package com.welcomedly.dialer.api.auth;

import com.typesafe.config.Config;
import com.welcomedly.dialer.engine.identity.User;
import com.welcomedly.dialer.engine.identity.User.Role;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.pattern.Patterns;
import org.apache.pekko.pattern.StatusReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the first admin exists, so a fresh installation can be used at all. The password comes
 * from {@code DIALER_ADMIN_PASSWORD}; without one a random password is generated and printed once
 * (never stored anywhere but as a bcrypt hash). An existing admin is left untouched.
 */
public final class BootstrapAdmin {
  private static final Logger log = LoggerFactory.getLogger(BootstrapAdmin.class);

  private BootstrapAdmin() {}

  /**
   * Retries until the admin exists: right after start the cluster may not be Up yet, and an ask
   * timing out then must not leave a fresh installation without any admin.
   */
  public static CompletionStage<Optional<User.Summary>> ensure(
      ActorSystem<?> system, Passwords passwords) {
    return Patterns.retry(
        () -> attempt(system, passwords),
        RETRIES,
        RETRY_DELAY,
        Adapter.toClassic(system).scheduler(),
        system.executionContext());
  }

  private static final int RETRIES = 60;
  private static final Duration RETRY_DELAY = Duration.ofSeconds(1);

  private static CompletionStage<Optional<User.Summary>> attempt(
      ActorSystem<?> system, Passwords passwords) {
    Config config = system.settings().config().getConfig("dialer.auth.bootstrap-admin");
    String username = config.getString("username");
    String configured = config.getString("password");
    Duration timeout = system.settings().config().getDuration("dialer.api.ask-timeout");
    EntityRef<User.Command> admin =
        ClusterSharding.get(system).entityRefFor(User.ENTITY_KEY, username);
    return admin
        .ask(User.Get::new, timeout)
        .thenCompose(
            existing -> {
              if (existing.isPresent()) {
                return CompletableFuture.completedFuture(Optional.<User.Summary>empty());
              }
              boolean generated = configured.isBlank();
              String password = generated ? randomPassword() : configured;
              return passwords
                  .hash(password)
                  .thenCompose(
                      hash ->
                          admin.ask(
                              (ActorRef<StatusReply<User.Summary>> r) ->
                                  new User.Register(
                                      Role.ADMIN, hash, Optional.empty(), "bootstrap", r),
                              timeout))
                  .thenApply(
                      reply -> {
                        User.Summary created = reply.getValue();
                        if (generated) {
                          log.warn(
                              "Created bootstrap admin '{}' with generated password: {} (set"
                                  + " DIALER_ADMIN_PASSWORD to choose it; change it via PUT"
                                  + " /api/users/{}/password)",
                              username,
                              password,
                              username);
                        } else {
                          log.info("Created bootstrap admin '{}'", username);
                        }
                        return Optional.of(created);
                      });
            });
  }

  private static String randomPassword() {
    byte[] bytes = new byte[18];
    new SecureRandom().nextBytes(bytes);
    // Letters and '-'/'_' only would be nicer to read, but base64url keeps 144 bits in 24 chars.
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
