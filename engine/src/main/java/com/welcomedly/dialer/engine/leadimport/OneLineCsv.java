package com.welcomedly.dialer.engine.leadimport;

import java.util.ArrayList;
import java.util.List;

/**
 * The fields of a one-line CSV record in the common shapes, without a parser object: unquoted
 * fields, and fields quoted from their first to their last character ({@code "Doe, Jane"}, with
 * {@code ""} for a quote). Anything else (a line break, a quote inside an unquoted field, text
 * between a closing quote and the comma) answers null and the caller asks Commons CSV, so every
 * record gets exactly the fields RFC 4180 parsing gives. A Commons CSV parser per record (an 8 KB
 * reader buffer each) was the top CPU cost of an import whose rows all have a quoted field.
 */
final class OneLineCsv {

  private OneLineCsv() {}

  /** The record's fields, or null when it is not one of the shapes read here. */
  static List<String> split(String record) {
    List<String> fields = new ArrayList<>(8);
    int n = record.length();
    int i = 0;
    while (true) {
      if (i < n && record.charAt(i) == '"') {
        i = quoted(record, i + 1, fields);
        if (i < 0) {
          return null;
        }
      } else {
        int start = i;
        while (i < n) {
          char c = record.charAt(i);
          if (c == ',') {
            break;
          }
          if (c == '"' || c == '\r' || c == '\n') {
            return null;
          }
          i++;
        }
        fields.add(record.substring(start, i));
      }
      if (i == n) {
        return fields;
      }
      i++; // the comma; a comma at the very end gives a last, empty field
    }
  }

  /**
   * A quoted field whose opening quote is just before {@code from}; answers the index after its
   * closing quote (a comma or the end), or -1 when the record is not a simple shape.
   */
  private static int quoted(String record, int from, List<String> fields) {
    int n = record.length();
    StringBuilder value = null;
    int start = from;
    int i = from;
    while (i < n) {
      char c = record.charAt(i);
      if (c == '\r' || c == '\n') {
        return -1;
      }
      if (c == '"') {
        if (i + 1 < n && record.charAt(i + 1) == '"') {
          if (value == null) {
            value = new StringBuilder(i - start + 16);
          }
          value.append(record, start, i + 1); // keeps one quote of the pair
          i += 2;
          start = i;
          continue;
        }
        if (i + 1 < n && record.charAt(i + 1) != ',') {
          return -1; // text after the closing quote: Commons CSV's rules decide
        }
        fields.add(
            value == null ? record.substring(start, i) : value.append(record, start, i).toString());
        return i + 1;
      }
      i++;
    }
    return -1; // the quote never closes on this line
  }
}
