package com.welcomedly.dialer.engine.leadimport;

/**
 * The file as a whole cannot be read (no header, no phone column, a line beyond the size limit):
 * the import fails instead of rejecting every row with the same reason.
 */
public final class ImportFormatException extends RuntimeException {
  public ImportFormatException(String message) {
    super(message);
  }
}
