package com.welcomedly.dialer.engine.leadimport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The compact id set answers exactly what a map of id to first line answers. */
class SeenIdsTest {

  @Test
  void answersTheFirstLineOfEveryRepeatedIdLikeAMap() {
    SeenIds seen = new SeenIds();
    Map<String, Integer> reference = new HashMap<>();
    Random random = new Random(18);
    for (int line = 2; line < 300_000; line++) {
      // Ids repeat now and then, lengths vary, and a few are not ASCII (kept aside, still exact).
      String id =
          switch (random.nextInt(20)) {
            case 0 -> "é-" + random.nextInt(500);
            case 1 -> "x".repeat(1 + random.nextInt(300));
            default -> "lead-" + random.nextInt(250_000);
          };
      Integer expected = reference.putIfAbsent(id, line);
      assertEquals(expected == null ? -1 : expected, seen.firstLine(id, line), id);
    }
  }

  @Test
  void idsThatDifferInOneCharacterOrInLengthAreDifferent() {
    SeenIds seen = new SeenIds();
    assertEquals(-1, seen.firstLine("Aa", 2));
    assertEquals(-1, seen.firstLine("BB", 3)); // same String.hashCode as "Aa"
    assertEquals(-1, seen.firstLine("Aa0", 4));
    assertEquals(2, seen.firstLine("Aa", 5));
    assertEquals(3, seen.firstLine("BB", 6));
  }
}
