package com.welcomedly.dialer.engine.leadimport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Turns the physical lines of a lead CSV into {@link ImportRow}s, one line at a time, so a file of
 * any size is read with one record in memory. Lines whose quotes are still open are joined with the
 * next ones (a quoted field may hold newlines); each complete record is parsed by Commons CSV and
 * mapped through the header. Not thread-safe: one reader per import stream.
 *
 * <p>Header columns: {@code phone}, {@code phone1}, {@code phone2}, … and/or {@code phones}
 * (numbers separated by {@code ;}); {@code timezone}; {@code priority}; {@code id} or {@code
 * lead_id}. Every other column becomes a custom field under its header name.
 */
public final class CsvLeadReader {

  private static final CSVFormat FORMAT = CSVFormat.RFC4180;
  private static final Pattern PHONE_COLUMN = Pattern.compile("phone\\d*");

  private final LeadRowValidator validator;
  private final int maxRecordChars;

  /** The physical lines of the record being read (more than one while a quote is open). */
  private final List<String> pendingLines = new ArrayList<>();

  private int pendingChars;
  private int physicalLine;
  private int pendingStart;
  private boolean pendingQuoteOpen;
  private Header header;
  private boolean failed;

  public CsvLeadReader(LeadRowValidator validator, int maxRecordChars) {
    this.validator = validator;
    this.maxRecordChars = maxRecordChars;
  }

  /**
   * One physical line, without its line terminator; answers the rows it completes (usually 0 or 1;
   * more when a runaway quote is given up and the lines it swallowed are read again).
   */
  public List<ImportRow> accept(String rawLine) {
    if (failed) {
      return List.of(); // the import stops at the first Unreadable row
    }
    physicalLine++;
    String line = rawLine.endsWith("\r") ? rawLine.substring(0, rawLine.length() - 1) : rawLine;
    if (physicalLine == 1 && line.startsWith("\uFEFF")) {
      line = line.substring(1); // byte order mark written by spreadsheet exports
    }
    List<ImportRow> rows = new ArrayList<>();
    feed(physicalLine, line, rows);
    return rows;
  }

  private void feed(int lineNo, String line, List<ImportRow> rows) {
    try {
      acceptLine(lineNo, line, rows);
    } catch (ImportFormatException e) {
      failed = true;
      rows.add(new ImportRow.Unreadable(lineNo, e.getMessage()));
    }
  }

  private void acceptLine(int lineNo, String line, List<ImportRow> rows) {
    if (failed) {
      return;
    }
    if (pendingLines.isEmpty()) {
      if (line.isBlank()) {
        return;
      }
      pendingStart = lineNo;
      pendingChars = 0;
    }
    pendingLines.add(line);
    pendingChars += line.length() + 1;
    if (oddQuotes(line)) {
      pendingQuoteOpen = !pendingQuoteOpen;
    }
    if (pendingQuoteOpen) {
      if (pendingChars > maxRecordChars) {
        giveUpOpenQuote(rows);
      }
      return;
    }
    if (pendingLines.size() > 1 && header != null && !parses(String.join("\n", pendingLines))) {
      // The quote that "closed" here was the opening quote of a later row: the record that
      // started at pendingStart never closed its own.
      giveUpOpenQuote(rows);
      return;
    }
    String record = pendingLines.size() == 1 ? line : String.join("\n", pendingLines);
    pendingLines.clear();
    completed(pendingStart, record).ifPresent(rows::add);
  }

  private static boolean parses(String record) {
    try {
      parse(record);
      return true;
    } catch (IllegalStateException | UncheckedIOException e) {
      return false;
    }
  }

  /**
   * A quote that never closes (by the end of the file or within {@code maxRecordChars}): its first
   * line is rejected as an unterminated quoted field and the lines it swallowed are read again as
   * records of their own, so the good rows after a broken one still import.
   */
  private void giveUpOpenQuote(List<ImportRow> rows) {
    int start = pendingStart;
    List<String> swallowed = new ArrayList<>(pendingLines.subList(1, pendingLines.size()));
    pendingLines.clear();
    pendingQuoteOpen = false;
    if (header == null) {
      throw new ImportFormatException("the header row has an unterminated quoted field");
    }
    rows.add(new ImportRow.Invalid(start, "unterminated quoted field"));
    for (int i = 0; i < swallowed.size(); i++) {
      feed(start + 1 + i, swallowed.get(i), rows);
    }
  }

  /** End of input: a record whose quote never closed is rejected, never silently dropped. */
  public List<ImportRow> finish() {
    if (failed) {
      return List.of();
    }
    List<ImportRow> rows = new ArrayList<>();
    // Replaying swallowed lines may open another quote that never closes: repeat until settled.
    while (!failed && !pendingLines.isEmpty() && pendingQuoteOpen) {
      try {
        giveUpOpenQuote(rows);
      } catch (ImportFormatException e) {
        failed = true;
        rows.add(new ImportRow.Unreadable(pendingStart, e.getMessage()));
      }
    }
    if (!failed && header == null) {
      rows.add(new ImportRow.Unreadable(0, "the CSV is empty: a header row is required"));
    }
    return rows;
  }

  private Optional<ImportRow> completed(int line, String record) {
    List<String> values;
    try {
      values = parse(record);
    } catch (IllegalStateException | UncheckedIOException e) {
      if (header == null) {
        throw new ImportFormatException("the header row is not valid CSV");
      }
      return Optional.of(new ImportRow.Invalid(line, "malformed CSV"));
    }
    if (header == null) {
      header = Header.of(values);
      return Optional.empty();
    }
    if (values.size() > header.names.size()) {
      return Optional.of(
          new ImportRow.Invalid(
              line,
              "too many columns: " + values.size() + ", the header has " + header.names.size()));
    }
    return Optional.of(header.toRow(line, values, validator));
  }

  private static List<String> parse(String record) {
    List<String> simple = OneLineCsv.split(record);
    if (simple != null) {
      return simple;
    }
    try (CSVParser parser = CSVParser.parse(record, FORMAT)) {
      List<CSVRecord> records = parser.getRecords();
      if (records.size() != 1) {
        throw new IllegalStateException("expected one record, got " + records.size());
      }
      return records.get(0).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean oddQuotes(String line) {
    int quotes = 0;
    for (int i = 0; i < line.length(); i++) {
      if (line.charAt(i) == '"') {
        quotes++;
      }
    }
    return quotes % 2 == 1;
  }

  /** Which column means what, decided once from the header row. */
  private record Header(
      List<String> names,
      List<Integer> phoneColumns,
      int phonesColumn,
      int timezoneColumn,
      int priorityColumn,
      int idColumn) {

    static Header of(List<String> raw) {
      List<String> names = new ArrayList<>();
      List<Integer> phones = new ArrayList<>();
      int phonesList = -1;
      int timezone = -1;
      int priority = -1;
      int id = -1;
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < raw.size(); i++) {
        String name = raw.get(i).trim();
        String key = name.toLowerCase(Locale.ROOT);
        if (name.isEmpty()) {
          throw new ImportFormatException("header column " + (i + 1) + " has no name");
        }
        if (!seen.add(key)) {
          throw new ImportFormatException("header column '" + name + "' appears twice");
        }
        names.add(name);
        if (PHONE_COLUMN.matcher(key).matches()) {
          phones.add(i);
        } else if (key.equals("phones")) {
          phonesList = i;
        } else if (key.equals("timezone")) {
          timezone = i;
        } else if (key.equals("priority")) {
          priority = i;
        } else if (key.equals("id") || key.equals("lead_id")) {
          if (id >= 0) {
            throw new ImportFormatException("the header may name only one of 'id' and 'lead_id'");
          }
          id = i;
        }
      }
      if (phones.isEmpty() && phonesList < 0) {
        throw new ImportFormatException(
            "the header has no phone column (phone, phone1, phone2, … or phones)");
      }
      return new Header(
          List.copyOf(names), List.copyOf(phones), phonesList, timezone, priority, id);
    }

    ImportRow toRow(int line, List<String> values, LeadRowValidator validator) {
      List<String> numbers = new ArrayList<>();
      for (int column : phoneColumns) {
        numbers.add(value(values, column));
      }
      if (phonesColumn >= 0) {
        numbers.addAll(List.of(value(values, phonesColumn).split(";")));
      }
      Map<String, String> fields = new LinkedHashMap<>();
      for (int i = 0; i < names.size(); i++) {
        if (!isStandard(i)) {
          fields.put(names.get(i), value(values, i));
        }
      }
      return validator.validate(
          line,
          value(values, idColumn),
          numbers,
          value(values, timezoneColumn),
          value(values, priorityColumn),
          fields);
    }

    private boolean isStandard(int column) {
      return phoneColumns.contains(column)
          || column == phonesColumn
          || column == timezoneColumn
          || column == priorityColumn
          || column == idColumn;
    }

    /** Rows may stop early: trailing optional columns left out read as empty. */
    private static String value(List<String> values, int column) {
      return column >= 0 && column < values.size() ? values.get(column) : "";
    }
  }
}
