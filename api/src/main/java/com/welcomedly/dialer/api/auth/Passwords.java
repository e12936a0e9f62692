package com.welcomedly.dialer.api.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;
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
    return problem(password, null);
  }

  /**
   * The password policy: 8 characters at least, at most 72 UTF-8 bytes (bcrypt's limit), not only
   * whitespace, not the username, and not on the deny-list of common passwords ({@code
   * common-passwords.txt}, compared case-insensitively, surrounding whitespace ignored).
   */
  public static String problem(String password, String username) {
    if (password == null || password.length() < MIN_LENGTH) {
      return "password must be at least " + MIN_LENGTH + " characters";
    }
    if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      return "password must be at most " + MAX_BYTES + " bytes";
    }
    if (password.isBlank()) {
      return "password must not be only whitespace";
    }
    String normalised = password.strip().toLowerCase(Locale.ROOT);
    if (username != null && normalised.equals(username.strip().toLowerCase(Locale.ROOT))) {
      return "password must not be the username";
    }
    if (COMMON.contains(normalised)) {
      return "password is too common; choose a longer, less guessable one";
    }
    return null;
  }

  private static final Set<String> COMMON = loadCommonPasswords();

  private static Set<String> loadCommonPasswords() {
    try (InputStream in = Passwords.class.getResourceAsStream("common-passwords.txt")) {
      if (in == null) {
        throw new IllegalStateException("common-passwords.txt is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .map(String::strip)
          .filter(line -> !line.isEmpty() && !line.startsWith("#"))
          .map(line -> line.toLowerCase(Locale.ROOT))
          .collect(Collectors.toUnmodifiableSet());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
