package com.welcomedly.dialer.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** The body of a CSV export (stats, compliance): a header row, then the rows a writer prints. */
public final class CsvExport {
  private CsvExport() {}

  /** Prints the rows of one export. */
  public interface Rows {
    void write(CSVPrinter printer) throws IOException;
  }

  public static String print(String[] header, Rows rows) {
    StringBuilder out = new StringBuilder();
    try (CSVPrinter printer =
        new CSVPrinter(out, CSVFormat.DEFAULT.builder().setHeader(header).build())) {
      rows.write(printer);
    } catch (IOException e) {
      throw new UncheckedIOException("writing to a StringBuilder does not fail", e);
    }
    return out.toString();
  }
}
