package com.welcomedly.dialer.api.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;

/**
 * bcrypt hashing and verification. Both take tens of milliseconds by design, so they run on the
 * auth blocking dispatcher and return a CompletionStage; never call them on a route or actor thread
 * synchronously.
 */
public final class Passwords {

  /**
   * bcrypt reads at most 72 bytes; longer passwords would be silently truncated, so refuse them.
   */
  public static final int MAX_BYTES = 72;

  public static final int MIN_LENGTH = 8;

  private final int cost;
  private final Executor blocking;
  private final String unknownUserHash;

  public Passwords(ActorSystem<?> system) {
    this.cost = system.settings().config().getInt("dialer.auth.bcrypt-cost");
    this.blocking =
        system
            .dispatchers()
            .lookup(DispatcherSelector.fromConfig("dialer.auth.blocking-dispatcher"));
    this.unknownUserHash =
        BCrypt.withDefaults().hashToString(cost, UUID.randomUUID().toString().toCharArray());
  }

  /**
   * A hash nobody knows the password of: a login for an unknown username is still verified against
   * it, so response time does not reveal which usernames exist.
   */
  public String unknownUserHash() {
    return unknownUserHash;
  }

  /** Why a new password is unacceptable, or null when it is fine. */
  public static String problem(String password) {
    if (password == null || password.length() < MIN_LENGTH) {
      return "password must be at least " + MIN_LENGTH + " characters";
    }
    if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      return "password must be at most " + MAX_BYTES + " bytes";
    }
    return null;
  }

  public CompletionStage<String> hash(String password) {
    return CompletableFuture.supplyAsync(
        () -> BCrypt.withDefaults().hashToString(cost, password.toCharArray()), blocking);
  }

  public CompletionStage<Boolean> verify(String password, String hash) {
    return CompletableFuture.supplyAsync(
        () -> BCrypt.verifyer().verify(password.toCharArray(), hash.toCharArray()).verified,
        blocking);
  }
}
