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

  /**
   * A valid number: its E.164 form, the parsed number and its type (the zone lookup needs both).
   */
  record Valid(String e164, Phonenumber.PhoneNumber parsed, PhoneNumberUtil.PhoneNumberType type) {}

  /** The number in E.164 ({@code +15551234567}), or empty when it is not a valid number. */
  public static Optional<String> toE164(String raw) {
    return parse(raw).map(Valid::e164);
  }

  /**
   * The number, when valid, in E.164, as parsed and with its type. libphonenumber's {@code
   * isValidNumber} is exactly "its type is not UNKNOWN" (both resolve the number's region and match
   * the national number against that region's type patterns), so one {@code getNumberType} decides
   * validity here and serves the zone lookup too, which would otherwise compute it again.
   */
  static Optional<Valid> parse(String raw) {
    if (raw == null || !raw.trim().startsWith("+")) {
      return Optional.empty();
    }
    try {
      Phonenumber.PhoneNumber number = UTIL.parse(raw.trim(), null);
      PhoneNumberUtil.PhoneNumberType type = UTIL.getNumberType(number);
      if (type == PhoneNumberUtil.PhoneNumberType.UNKNOWN) {
        return Optional.empty();
      }
      return Optional.of(
          new Valid(UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164), number, type));
    } catch (NumberParseException e) {
      return Optional.empty();
    }
  }

  /**
   * The IANA zone of a valid number when its prefix maps to exactly one zone; empty when ambiguous.
   * What {@code PhoneNumberToTimeZonesMapper.getTimeZonesForNumber} answers, without parsing the
   * number or computing its type again: a geographical number's zones come from its prefix, any
   * other's from the mapper's own country-level rule.
   */
  static Optional<String> timezoneOf(Valid number) {
    PhoneNumberToTimeZonesMapper mapper = Zones.MAPPER;
    List<String> zones =
        UTIL.isNumberGeographical(number.type(), number.parsed().getCountryCode())
            ? mapper.getTimeZonesForGeographicalNumber(number.parsed())
            : mapper.getTimeZonesForNumber(number.parsed());
    if (zones.size() == 1
        && !zones.get(0).equals(PhoneNumberToTimeZonesMapper.getUnknownTimeZone())) {
      return Optional.of(zones.get(0));
    }
    return Optional.empty();
  }

  /** Loaded on the first zone lookup; its getInstance is synchronized, so it is asked once. */
  private static final class Zones {
    static final PhoneNumberToTimeZonesMapper MAPPER = PhoneNumberToTimeZonesMapper.getInstance();
  }
}
