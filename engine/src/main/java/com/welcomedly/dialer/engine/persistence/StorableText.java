package com.welcomedly.dialer.engine.persistence;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What text the journal, the snapshots and the read models can hold. PostgreSQL refuses NUL in text
 * ({@code invalid byte sequence for encoding "UTF8": 0x00}) and an unpaired UTF-16 surrogate cannot
 * be encoded as UTF-8 (CBOR events fail to serialise), so either one reaching an entity would make
 * it unable to persist or recover, and a projection unable to advance. Control characters are
 * refused too: they forge log lines and break CSV exports and consoles.
 *
 * <p>Checked once at the edge (HTTP path segments, query parameters, every JSON string, every CSV
 * field); entities and projections rely on it.
 */
public final class StorableText {

  /**
   * Ids that appear in URL path segments and persistence ids (campaigns, agents, leads, users,
   * import jobs): ASCII letters, digits and {@code . _ : -}, 1–128 characters. No {@code |} (the
   * persistence id separator), no {@code /}, no spaces.
   */
  public static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  public static final String ID_RULE =
      "must be 1-128 characters of letters, digits, '.', '_', ':' or '-'";

  private StorableText() {}

  /** Why {@code text} cannot be stored, or empty when it can (null is fine: absent). */
  public static Optional<String> problem(String text) {
    return problem(text, false);
  }

  /**
   * Like {@link #problem(String)}; {@code multiLine} also allows TAB, LF and CR (free-text notes
   * typed into a text area).
   */
  public static Optional<String> problem(String text, boolean multiLine) {
    if (text == null) {
      return Optional.empty();
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
          continue;
        }
        return Optional.of("contains an unpaired UTF-16 surrogate at position " + i);
      }
      if (Character.isLowSurrogate(c)) {
        return Optional.of("contains an unpaired UTF-16 surrogate at position " + i);
      }
      if (Character.getType(c) == Character.CONTROL
          && !(multiLine && (c == '\n' || c == '\r' || c == '\t'))) {
        return Optional.of(
            String.format("contains the control character U+%04X at position %d", (int) c, i));
      }
    }
    return Optional.empty();
  }

  public static boolean isStorable(String text) {
    return problem(text).isEmpty();
  }

  /** Why {@code id} is not a valid id, or empty when it is. */
  public static Optional<String> idProblem(String id) {
    return id != null && ID.matcher(id).matches() ? Optional.empty() : Optional.of(ID_RULE);
  }

  /**
   * {@code text} safe for one log line: CR, LF and other control characters become visible escapes,
   * so user input cannot forge log lines.
   */
  public static String forLog(String text) {
    if (text == null) {
      return "null";
    }
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean escape =
          Character.getType(c) == Character.CONTROL
              || (Character.isSurrogate(c) && !validPairAt(text, i));
      if (escape && out == null) {
        out = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (out != null) {
        if (escape) {
          out.append(
              switch (c) {
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                default -> String.format("\\u%04x", (int) c);
              });
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? text : out.toString();
  }

  private static boolean validPairAt(String text, int i) {
    char c = text.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
  }
}
