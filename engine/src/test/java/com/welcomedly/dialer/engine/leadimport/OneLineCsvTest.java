package com.welcomedly.dialer.engine.leadimport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Random;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

/** The one-line splitter gives Commons CSV's RFC 4180 fields, or hands the record over. */
class OneLineCsvTest {

  /** Commons CSV's fields for a record, or null when it refuses the record. */
  private static List<String> commons(String record) {
    try (CSVParser parser = CSVParser.parse(record, CSVFormat.RFC4180)) {
      List<CSVRecord> records = parser.getRecords();
      return records.size() == 1 ? records.get(0).toList() : null;
    } catch (IOException | UncheckedIOException | IllegalStateException e) {
      return null;
    }
  }

  @Test
  void theCommonShapesAreSplitAsRfc4180Does() {
    String[] records = {
      "a,b,c",
      "r1,+12125550100,,America/New_York,3,\"Customer 1\",seg-1",
      "\"Doe, Jane\",x",
      "\"say \"\"hi\"\"\",\"\"",
      "a,",
      ",",
      "\"\"",
      "\"a\",",
      "x,\"\",y",
    };
    for (String record : records) {
      assertEquals(commons(record), OneLineCsv.split(record), record);
    }
  }

  @Test
  void otherShapesAreLeftToCommonsCsv() {
    for (String record :
        new String[] {"a\"b,c", "\"a\" ,b", "\"a\"x,b", "\"never closed", "a,\"b\nc\"", "a\r"}) {
      assertNull(OneLineCsv.split(record), record);
    }
  }

  /** Random records over the characters that matter: wherever it answers, it agrees. */
  @Test
  void agreesWithCommonsCsvOnGeneratedRecords() {
    char[] alphabet = {'a', 'b', ',', '"', ' ', ';'};
    Random random = new Random(18);
    int answered = 0;
    for (int i = 0; i < 20_000; i++) {
      StringBuilder record = new StringBuilder();
      int length = 1 + random.nextInt(12);
      for (int j = 0; j < length; j++) {
        record.append(alphabet[random.nextInt(alphabet.length)]);
      }
      List<String> fields = OneLineCsv.split(record.toString());
      if (fields != null) {
        answered++;
        assertEquals(commons(record.toString()), fields, record.toString());
      }
    }
    // Most generated records are one of the simple shapes: the comparison is not vacuous.
    assertTrue(answered > 5_000, "answered " + answered);
  }
}
