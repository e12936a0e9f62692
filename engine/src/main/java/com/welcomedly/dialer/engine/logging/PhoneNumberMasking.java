package com.welcomedly.dialer.engine.logging;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks every phone number in a text, keeping only its last four digits ({@code +15551234567}
 * becomes {@code +*******4567}). Applied to every log line by the logback converters and the JSON
 * layout, so no code path can leak a callee's number into a log by forgetting to mask it.
 *
 * <p>What counts as a phone number: seven or more digits, optionally led by {@code +} or an area
 * code in parentheses, optionally grouped with single dashes or spaces after the parenthesis
 * ({@code 555-123-4567}, {@code (555) 123-4567}, {@code PJSIP/15551234567@carrier}). Deliberately
 * not: digits inside a word or hex id ({@code ab1234567}), Asterisk unique ids ({@code
 * 1763800000.42}, kept whole so AMI traces stay correlatable) and ISO dates ({@code 2026-11-22}).
 * Over-masking a long id is the safe failure; under-masking a number is not.
 */
public final class PhoneNumberMasking {

  private static final Pattern CANDIDATE =
      Pattern.compile("(?<![\\w.+])\\+?(?:\\(\\d{1,4}\\) ?)?\\d(?:[- ]?\\d)*(?![-\\w])(?!\\.\\d)");
  private static final Pattern ISO_DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
  private static final int MIN_DIGITS = 7;
  private static final int KEPT_DIGITS = 4;

  private PhoneNumberMasking() {}

  public static String mask(String text) {
    if (text == null || text.length() < MIN_DIGITS) {
      return text;
    }
    Matcher matcher = CANDIDATE.matcher(text);
    StringBuilder out = null;
    int last = 0;
    while (matcher.find()) {
      String candidate = matcher.group();
      if (countDigits(candidate) < MIN_DIGITS || ISO_DATE.matcher(candidate).matches()) {
        continue;
      }
      if (out == null) {
        out = new StringBuilder(text.length());
      }
      out.append(text, last, matcher.start()).append(maskDigits(candidate));
      last = matcher.end();
    }
    if (out == null) {
      return text;
    }
    return out.append(text, last, text.length()).toString();
  }

  /** The masked form of one number on its own, e.g. for a value placed in a log argument. */
  public static String maskNumber(String number) {
    return number == null ? null : maskDigits(number);
  }

  private static String maskDigits(String number) {
    int toHide = countDigits(number) - KEPT_DIGITS;
    StringBuilder masked = new StringBuilder(number.length());
    for (int i = 0; i < number.length(); i++) {
      char c = number.charAt(i);
      if (Character.isDigit(c) && toHide > 0) {
        masked.append('*');
        toHide--;
      } else {
        masked.append(c);
      }
    }
    return masked.toString();
  }

  private static int countDigits(String s) {
    int digits = 0;
    for (int i = 0; i < s.length(); i++) {
      if (Character.isDigit(s.charAt(i))) {
        digits++;
      }
    }
    return digits;
  }
}
