package com.welcomedly.dialer.engine.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StorableTextTest {

  @Test
  void theIdsOfTestsDemoAndUsersAreAcceptedAndHostileOnesAreNot() {
    for (String id :
        List.of(
            "demo-tow694-000001",
            "0b9a3c1e-6f0d-4d3e-9a57-1f2e3d4c5b6a",
            "agent-lee",
            "a.b_c:d",
            "c8",
            "x".repeat(128))) {
      assertTrue(StorableText.idProblem(id).isEmpty(), id);
    }
    for (String id : List.of("", "a|b", "a b", "a\u0000b", "a/b", "é", "x".repeat(129), "a\r\nb")) {
      assertTrue(StorableText.idProblem(id).isPresent(), id);
    }
  }

  @Test
  void nulControlCharactersAndLoneSurrogatesAreNotStorable() {
    assertTrue(StorableText.isStorable("Jane Doe – 😀 ünïcode"));
    assertFalse(StorableText.isStorable("a\u0000b"));
    assertFalse(StorableText.isStorable("a\u001bb"));
    assertFalse(StorableText.isStorable("a\u0085b"));
    assertFalse(StorableText.isStorable("\ud800x"));
    assertFalse(StorableText.isStorable("x\udc00"));
    assertFalse(StorableText.isStorable("line\nbreak"));
    assertTrue(StorableText.problem("line\r\nbreak\tand tab", true).isEmpty());
    assertFalse(StorableText.problem("NUL\u0000 even in notes", true).isEmpty());
  }

  @Test
  void logTextCannotStartANewLine() {
    assertEquals(
        "a\\r\\nFAKE ERROR \\u0000 \\ud800", StorableText.forLog("a\r\nFAKE ERROR \u0000 \ud800"));
    assertEquals("plain 😀", StorableText.forLog("plain 😀"));
  }
}
