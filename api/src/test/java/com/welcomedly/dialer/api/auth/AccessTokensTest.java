package com.welcomedly.dialer.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.welcomedly.dialer.engine.identity.User.Role;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AccessTokensTest {
  private static final String SECRET = "0123456789abcdef0123456789abcdef";
  private static final Instant NOW = Instant.parse("2026-11-22T08:00:00Z");
  private static final ObjectMapper MAPPER =
      new ObjectMapper().registerModule(new Jdk8Module()).registerModule(new JavaTimeModule());

  private static AccessTokens at(Instant now) {
    return new AccessTokens(SECRET, Duration.ofHours(12), Clock.fixed(now, ZoneOffset.UTC), MAPPER);
  }

  @Test
  void aTokenCarriesItsClaimsUntilItExpires() {
    String token = at(NOW).issue("ann", Role.AGENT, Optional.of("a-101"), 3);
    AccessTokens.Claims claims = at(NOW.plusSeconds(60)).verify(token).orElseThrow();
    assertEquals("ann", claims.sub());
    assertEquals(Role.AGENT, claims.role());
    assertEquals(Optional.of("a-101"), claims.agentId());
    assertEquals(NOW.plus(Duration.ofHours(12)), claims.exp());
    assertTrue(at(NOW.plus(Duration.ofHours(12))).verify(token).isEmpty());
  }

  @Test
  void aTamperedOrForeignTokenIsRejected() {
    String token = at(NOW).issue("ann", Role.AGENT, Optional.of("a-101"), 3);
    String[] parts = token.split("\\.");
    String escalated =
        parts[0]
            + "."
            + java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                    ("{\"sub\":\"ann\",\"role\":\"ADMIN\",\"iat\":\""
                            + NOW
                            + "\",\"exp\":\""
                            + NOW.plusSeconds(3600)
                            + "\"}")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8))
            + "."
            + parts[2];
    assertTrue(at(NOW).verify(escalated).isEmpty());
    AccessTokens other =
        new AccessTokens(
            "another-secret-another-secret-xx",
            Duration.ofHours(1),
            Clock.fixed(NOW, ZoneOffset.UTC),
            MAPPER);
    assertTrue(other.verify(token).isEmpty());
    assertTrue(at(NOW).verify("v2." + parts[1] + "." + parts[2]).isEmpty());
    assertTrue(at(NOW).verify("not-a-token").isEmpty());
  }

  @Test
  void signedTokensWithMissingOrImplausibleClaimsAreRejected() {
    AccessTokens tokens = at(NOW);
    String valid =
        "{\"sub\":\"ann\",\"role\":\"ADMIN\",\"agentId\":null,\"iat\":\"%s\",\"exp\":\"%s\",\"ver\":0}";
    assertTrue(tokens.verify(forged(tokens, valid, NOW, NOW.plusSeconds(60))).isPresent());
    // no exp, no iat, no version, no subject
    assertTrue(
        tokens
            .verify(
                forged(
                    tokens,
                    "{\"sub\":\"ann\",\"role\":\"ADMIN\",\"iat\":\"" + NOW + "\",\"ver\":0}"))
            .isEmpty());
    assertTrue(
        tokens
            .verify(
                forged(
                    tokens,
                    "{\"sub\":\"ann\",\"role\":\"ADMIN\",\"exp\":\""
                        + NOW.plusSeconds(60)
                        + "\",\"ver\":0}"))
            .isEmpty());
    assertTrue(
        tokens
            .verify(
                forged(
                    tokens,
                    "{\"sub\":\"ann\",\"role\":\"ADMIN\",\"iat\":\""
                        + NOW
                        + "\",\"exp\":\""
                        + NOW.plusSeconds(60)
                        + "\"}"))
            .isEmpty());
    assertTrue(
        tokens
            .verify(
                forged(
                    tokens,
                    "{\"role\":\"ADMIN\",\"iat\":\""
                        + NOW
                        + "\",\"exp\":\""
                        + NOW.plusSeconds(60)
                        + "\",\"ver\":0}"))
            .isEmpty());
    // exp 100 years ahead: longer than the ttl
    assertTrue(
        tokens.verify(forged(tokens, valid, NOW, NOW.plus(Duration.ofDays(36500)))).isEmpty());
    // iat in the future beyond the clock skew
    assertTrue(
        tokens
            .verify(forged(tokens, valid, NOW.plusSeconds(600), NOW.plusSeconds(3600)))
            .isEmpty());
    // within the skew it is fine (another node's clock is a little ahead)
    assertTrue(
        tokens
            .verify(forged(tokens, valid, NOW.plusSeconds(5), NOW.plusSeconds(3600)))
            .isPresent());
    assertTrue(tokens.verify(forged(tokens, "null")).isEmpty());
    assertTrue(tokens.verify(forged(tokens, "[]")).isEmpty());
  }

  private static String forged(AccessTokens tokens, String template, Instant iat, Instant exp) {
    return forged(tokens, String.format(template, iat, exp));
  }

  private static String forged(AccessTokens tokens, String json) {
    return tokens.token(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void aShortSecretIsRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new AccessTokens("short", Duration.ofHours(1), Clock.systemUTC(), MAPPER));
  }
}
