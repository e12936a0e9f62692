package com.welcomedly.dialer.api.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.welcomedly.dialer.engine.identity.User.Role;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bearer tokens: {@code v1.<claims>.<signature>}, claims as base64url JSON, signed with HMAC-SHA256
 * under a secret shared by all nodes. Stateless, so any node validates a token issued by another
 * without a database round trip on every request.
 */
public final class AccessTokens {
  private static final Logger log = LoggerFactory.getLogger(AccessTokens.class);
  private static final String VERSION = "v1";
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();

  /**
   * Who the bearer is. {@code agentId} is present for AGENT users only; {@code ver} is the
   * account's token version when the token was issued ({@link TokenVersions} revokes older ones).
   */
  public record Claims(
      String sub, Role role, Optional<String> agentId, Instant iat, Instant exp, Integer ver) {}

  /**
   * Clocks of the nodes may differ by this much: a token issued "in the future" beyond it is forged
   * or broken.
   */
  static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

  private final byte[] secret;
  private final Duration ttl;
  private final Clock clock;
  private final ObjectMapper mapper;

  public AccessTokens(String configuredSecret, Duration ttl, Clock clock, ObjectMapper mapper) {
    if (configuredSecret == null || configuredSecret.isBlank()) {
      log.warn(
          "dialer.auth.token-secret (DIALER_AUTH_TOKEN_SECRET) is not set: using a random secret;"
              + " tokens will not be accepted by other nodes or after a restart");
      this.secret = new byte[32];
      new SecureRandom().nextBytes(this.secret);
    } else if (configuredSecret.getBytes(StandardCharsets.UTF_8).length < 32) {
      throw new IllegalArgumentException("dialer.auth.token-secret must be at least 32 bytes");
    } else {
      this.secret = configuredSecret.getBytes(StandardCharsets.UTF_8);
    }
    this.ttl = ttl;
    this.clock = clock;
    this.mapper = mapper;
  }

  public String issue(String username, Role role, Optional<String> agentId, int tokenVersion) {
    Instant now = clock.instant();
    Claims claims = new Claims(username, role, agentId, now, now.plus(ttl), tokenVersion);
    try {
      return token(mapper.writeValueAsBytes(claims));
    } catch (IOException e) {
      throw new IllegalStateException("claims are a plain record", e);
    }
  }

  /** A correctly signed token around any claims document (the tests forge broken claims). */
  String token(byte[] claimsJson) {
    String signed = VERSION + "." + B64.encodeToString(claimsJson);
    return signed + "." + B64.encodeToString(sign(signed));
  }

  /**
   * The claims of a well-formed, correctly signed, unexpired token; empty otherwise. Every claim is
   * required; {@code iat} may not be in the future (beyond {@link #CLOCK_SKEW}) and the token may
   * not live longer than the configured ttl. Whether the account still accepts this token version
   * is {@link TokenVersions}' question.
   */
  public Optional<Claims> verify(String token) {
    String[] parts = token.split("\\.");
    if (parts.length != 3 || !VERSION.equals(parts[0])) {
      return Optional.empty();
    }
    try {
      byte[] expected = sign(parts[0] + "." + parts[1]);
      if (!MessageDigest.isEqual(expected, B64D.decode(parts[2]))) {
        return Optional.empty();
      }
      Claims claims = mapper.readValue(B64D.decode(parts[1]), Claims.class);
      return wellFormed(claims) ? Optional.of(claims) : Optional.empty();
    } catch (IllegalArgumentException | IOException e) {
      return Optional.empty();
    }
  }

  private boolean wellFormed(Claims c) {
    if (c == null
        || c.sub() == null
        || c.role() == null
        || c.agentId() == null
        || c.iat() == null
        || c.exp() == null
        || c.ver() == null) {
      return false;
    }
    Instant now = clock.instant();
    return c.exp().isAfter(now)
        && !c.iat().isAfter(now.plus(CLOCK_SKEW))
        && c.exp().isAfter(c.iat())
        && Duration.between(c.iat(), c.exp()).compareTo(ttl) <= 0;
  }

  public Duration ttl() {
    return ttl;
  }

  private byte[] sign(String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
