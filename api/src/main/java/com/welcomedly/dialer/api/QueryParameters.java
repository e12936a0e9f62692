package com.welcomedly.dialer.api;

import com.welcomedly.dialer.api.Problems.FieldError;
import java.util.List;
import java.util.Optional;

/** Query parameters shared by the listings ({@code limit}, {@code offset}). */
public final class QueryParameters {

  private QueryParameters() {}

  /** The whole number given, {@code fallback} when absent; out of range adds a field error. */
  public static int wholeNumber(
      Optional<String> text, int fallback, int min, int max, String field, List<FieldError> e) {
    if (text.isEmpty()) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(text.get().trim());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException ignored) {
      // reported below like an out-of-range value
    }
    e.add(new FieldError(field, "must be a whole number from " + min + " to " + max));
    return fallback;
  }
}
