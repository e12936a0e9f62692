package com.welcomedly.dialer.engine.leadimport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** CSV row mapping and validation, without actors or streams. */
class CsvLeadReaderTest {

  private static List<ImportRow> read(String csv) {
    CsvLeadReader reader = new CsvLeadReader(new LeadRowValidator("job-1"), 10_000);
    List<ImportRow> rows = new ArrayList<>();
    String[] lines = csv.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      // the framing stage drops the final empty piece after a trailing newline
      if (i == lines.length - 1 && lines[i].isEmpty()) {
        break;
      }
      rows.addAll(reader.accept(lines[i]));
    }
    rows.addAll(reader.finish());
    return rows;
  }

  private static ImportRow.Valid valid(ImportRow row) {
    return assertInstanceOf(ImportRow.Valid.class, row);
  }

  private static String reason(ImportRow row) {
    return assertInstanceOf(ImportRow.Invalid.class, row).reason();
  }

  @Test
  void mapsStandardColumnsAndKeepsTheRestAsCustomFields() {
    List<ImportRow> rows =
        read(
            "id,phone,phone2,timezone,priority,name,notes\r\n"
                + "a-1,+12127363101,+12127363102,America/New_York,5,\"Doe, Jane\",\"line one\nline two\"\r\n");
    assertEquals(1, rows.size());
    ImportRow.Valid row = valid(rows.get(0));
    assertEquals(2, row.line());
    assertEquals("a-1", row.leadId());
    assertEquals(List.of("+12127363101", "+12127363102"), row.numbers());
    assertEquals("America/New_York", row.timezone());
    assertEquals(5, row.priority());
    assertEquals(Map.of("name", "Doe, Jane", "notes", "line one\nline two"), row.customFields());
  }

  @Test
  void phonesColumnSplitsOnSemicolonsAndIdsAreGeneratedDeterministically() {
    List<ImportRow> rows = read("phones,lead_id\n\"+12127363101; +12127363102\",\n");
    ImportRow.Valid row = valid(rows.get(0));
    assertEquals(List.of("+12127363101", "+12127363102"), row.numbers());
    assertEquals(valid(read("phones\n+12127363101\n").get(0)).leadId(), row.leadId());
    assertEquals(LeadRowValidator.DEFAULT_PRIORITY, row.priority());
    assertEquals(null, row.timezone());
  }

  @Test
  void badRowsAreRejectedWithTheirPhysicalLineAndGoodRowsSurvive() {
    String csv =
        "id,phone,timezone,priority,comment\n" // 1
            + "x1,+12127363101,,1,\"multi\nline\"\n" // 2-3
            + "\n" // 4 blank: skipped
            + "x2,,,1,no phone\n" // 5
            + "x3,+12127363103,Mars/Base,1,\n" // 6
            + "x4,+12127363104,,high,\n" // 7
            + "x1,+12127363105,,1,\n" // 8
            + "x6,+12127363106,,1,a,extra\n" // 9
            + "x7,+12127363107\n" // 10: trailing columns left out
            + "x8,+12127363108,,1,\"never closed\n"; // 11
    List<ImportRow> rows = read(csv);
    assertEquals(8, rows.size());
    assertEquals(2, valid(rows.get(0)).line());
    assertEquals(Map.of("comment", "multi\nline"), valid(rows.get(0)).customFields());
    assertEquals(5, rows.get(1).line());
    assertEquals("missing phone number", reason(rows.get(1)));
    assertEquals(6, rows.get(2).line());
    assertEquals("unknown timezone: Mars/Base", reason(rows.get(2)));
    assertEquals(7, rows.get(3).line());
    assertEquals("priority must be an integer, got 'high'", reason(rows.get(3)));
    assertEquals(8, rows.get(4).line());
    assertEquals("duplicate id x1 (first on line 2)", reason(rows.get(4)));
    assertEquals(9, rows.get(5).line());
    assertEquals("too many columns: 6, the header has 5", reason(rows.get(5)));
    assertEquals(10, valid(rows.get(6)).line());
    assertEquals(11, rows.get(7).line());
    assertEquals("unterminated quoted field", reason(rows.get(7)));
  }

  @Test
  void anUnterminatedQuoteIsReportedOnItsLineAndTheGoodRowsAfterItStillImport() {
    String csv =
        "id,phone,comment\n" // 1
            + "a1,+12127363101,ok\n" // 2
            + "a2,+12127363102,\"never closed\n" // 3
            + "a3,+12127363103,fine\n" // 4
            + "a4,+12127363104,\"multi\nline\"\n" // 5-6: a legitimate quoted newline
            + "a5,+12127363105,also fine\n"; // 7
    List<ImportRow> rows = read(csv);
    assertEquals(5, rows.size(), rows.toString());
    assertEquals(2, valid(rows.get(0)).line());
    assertEquals(3, rows.get(1).line());
    assertEquals("unterminated quoted field", reason(rows.get(1)));
    assertEquals("a3", valid(rows.get(2)).leadId());
    assertEquals(4, rows.get(2).line());
    assertEquals(Map.of("comment", "multi\nline"), valid(rows.get(3)).customFields());
    assertEquals(5, rows.get(3).line());
    assertEquals(7, valid(rows.get(4)).line());
  }

  @Test
  void aRunawayQuoteIsGivenUpAtTheRecordLimitAndTheImportGoesOn() {
    CsvLeadReader reader = new CsvLeadReader(new LeadRowValidator("job-2"), 40);
    List<ImportRow> rows = new ArrayList<>();
    rows.addAll(reader.accept("id,phone,comment"));
    rows.addAll(reader.accept("b1,+12127363101,\"opens"));
    rows.addAll(reader.accept("b2,+12127363102,x"));
    rows.addAll(reader.accept("b3,+12127363103,y"));
    rows.addAll(reader.accept("b4,+12127363104,z"));
    rows.addAll(reader.finish());
    assertEquals("unterminated quoted field", reason(rows.get(0)));
    assertEquals(2, rows.get(0).line());
    assertEquals(
        List.of("b2", "b3", "b4"),
        rows.subList(1, rows.size()).stream().map(r -> valid(r).leadId()).toList());
  }

  @Test
  void controlCharactersInCustomFieldsAreRejectedPerRow() {
    List<ImportRow> rows = read("id,phone,name\nc1,+12127363101,a\u0000b\nc2,+12127363102,ok\n");
    assertTrue(reason(rows.get(0)).contains("control character U+0000"), rows.toString());
    assertEquals("c2", valid(rows.get(1)).leadId());
  }

  private static String unreadable(List<ImportRow> rows) {
    assertEquals(1, rows.size(), rows.toString());
    return assertInstanceOf(ImportRow.Unreadable.class, rows.get(0)).reason();
  }

  @Test
  void aHeaderWithoutAPhoneColumnOrAnEmptyFileStopsTheImport() {
    assertTrue(unreadable(read("name,email\nx,y\n")).contains("no phone column"));
    assertEquals("the CSV is empty: a header row is required", unreadable(read("")));
    assertEquals("header column 'Phone' appears twice", unreadable(read("phone,Phone\n")));
  }

  @Test
  void aRunawayQuotedRecordIsRejectedAtItsLineAndTheImportGoesOn() {
    CsvLeadReader reader = new CsvLeadReader(new LeadRowValidator("job-3"), 20);
    assertEquals(List.of(), reader.accept("phone,notes"));
    assertEquals(List.of(), reader.accept("+12127363101,\"open"));
    List<ImportRow> rows = reader.accept("and it goes on and on and on");
    assertEquals(2, rows.get(0).line());
    assertEquals("unterminated quoted field", reason(rows.get(0)));
    assertEquals(3, rows.get(1).line()); // read again on its own: no phone number
    assertEquals(4, valid(reader.accept("+12127363102,fine").get(0)).line());
    assertEquals(List.of(), reader.finish());
  }

  @Test
  void jsonRowsShareTheValidator() {
    LeadRowValidator validator = new LeadRowValidator("job-2");
    assertEquals(
        "id must be 1-128 letters, digits, '.', '_', ':' or '-', starting alphanumeric",
        reason(validator.validate(1, "bad id", List.of("+12127363101"), null, null, null)));
    ImportRow.Valid ok =
        valid(validator.validate(2, "ok", List.of(" +12127363101 ", ""), null, "-3", Map.of()));
    assertEquals(List.of("+12127363101"), ok.numbers());
    assertEquals(-3, ok.priority());
  }
}
