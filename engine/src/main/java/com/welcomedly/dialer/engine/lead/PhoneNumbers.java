package com.welcomedly.dialer.engine.lead;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberToTimeZonesMapper;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import java.util.List;
import java.util.Optional;

/**
 * E.164 validation and the callee's timezone from the number (libphonenumber's prefix data). Only
 * the lead uses it; it reads bundled classpath metadata, no network.
 */
public final class PhoneNumbers {

  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

  private PhoneNumbers() {}

  /** The number in E.164 ({@code +15551234567}), or empty when it is not a valid number. */
  public static Optional<String> toE164(String raw) {
    if (raw == null || !raw.trim().startsWith("+")) {
      return Optional.empty();
    }
    try {
      Phonenumber.PhoneNumber number = UTIL.parse(raw.trim(), null);
      if (!UTIL.isValidNumber(number)) {
        return Optional.empty();
      }
      return Optional.of(UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164));
    } catch (NumberParseException e) {
      return Optional.empty();
    }
  }

  /** The IANA zone of a number when its prefix maps to exactly one zone; empty when ambiguous. */
  static Optional<String> timezoneOf(String e164) {
    try {
      List<String> zones =
          PhoneNumberToTimeZonesMapper.getInstance().getTimeZonesForNumber(UTIL.parse(e164, null));
      if (zones.size() == 1
          && !zones.get(0).equals(PhoneNumberToTimeZonesMapper.getUnknownTimeZone())) {
        return Optional.of(zones.get(0));
      }
      return Optional.empty();
    } catch (NumberParseException e) {
      return Optional.empty();
    }
  }
}
