package com.welcomedly.dialer.engine.leadimport;

import java.util.List;
import java.util.Map;

/**
 * One row of an import after file-level validation: either a lead ready for the Lead entity or a
 * rejection with the reason. {@code line} is the physical CSV line where the row starts (header =
 * 1) or the 1-based index in a JSON array, so the caller can find the row in their own file.
 */
public sealed interface ImportRow {
  int line();

  /** A row that passed the file-level checks; the Lead entity still validates the numbers. */
  record Valid(
      int line,
      String leadId,
      List<String> numbers,
      String timezone,
      int priority,
      Map<String, String> customFields)
      implements ImportRow {}

  record Invalid(int line, String reason) implements ImportRow {}

  /**
   * The file cannot be read past this point (no usable header, a runaway quoted record): the import
   * stops here and FAILS. A row rather than a thrown exception, so bad input never shows up as an
   * error in the stream's log.
   */
  record Unreadable(int line, String reason) implements ImportRow {}
}
