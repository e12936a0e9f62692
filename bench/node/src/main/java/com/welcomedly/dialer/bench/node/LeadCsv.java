package com.welcomedly.dialer.bench.node;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A generated lead list like a call centre's: id, one or two US numbers, a zone on half the rows
 * (derived from the number on the others), a priority and two custom fields.
 */
final class LeadCsv {

  private static final String[] ZONES = {"America/New_York", "America/Chicago", ""};
  private static final String[] AREAS = {"212", "312", "415", "617"};

  private LeadCsv() {}

  static Path write(int rows, String idPrefix) throws IOException {
    Path file = Files.createTempFile("bench-import-", ".csv");
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write("id,phone,phone2,timezone,priority,name,segment\n");
      for (int i = 0; i < rows; i++) {
        String area = AREAS[i % AREAS.length];
        out.write(idPrefix);
        out.write(Integer.toString(i));
        out.write(",+1");
        out.write(area);
        out.write(Integer.toString(2_000_000 + i % 7_000_000));
        out.write(',');
        if (i % 3 == 0) {
          out.write("+1" + area + (3_000_000 + i % 6_000_000));
        }
        out.write(',');
        out.write(area.equals("212") || area.equals("312") ? ZONES[i % 3] : "");
        out.write(',');
        out.write(Integer.toString(i % 10));
        out.write(",\"Customer ");
        out.write(Integer.toString(i));
        out.write("\",seg-");
        out.write(Integer.toString(i % 17));
        out.write('\n');
      }
    }
    return file;
  }
}
