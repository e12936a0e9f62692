package com.welcomedly.dialer.engine.lead;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberToTimeZonesMapper;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The one-pass validation and zone lookup answer exactly what libphonenumber's own calls answer
 * (isValidNumber, E.164 format, getTimeZonesForNumber of the number parsed again from E.164).
 */
class PhoneNumbersTest {

  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

  /** The rule as written before: validate, format, and derive the zone from the E.164 form. */
  private static Optional<String> referenceE164(String raw) {
    if (raw == null || !raw.trim().startsWith("+")) {
      return Optional.empty();
    }
    try {
      Phonenumber.PhoneNumber n = UTIL.parse(raw.trim(), null);
      return UTIL.isValidNumber(n)
          ? Optional.of(UTIL.format(n, PhoneNumberUtil.PhoneNumberFormat.E164))
          : Optional.empty();
    } catch (NumberParseException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> referenceZone(String e164) throws NumberParseException {
    List<String> zones =
        PhoneNumberToTimeZonesMapper.getInstance().getTimeZonesForNumber(UTIL.parse(e164, null));
    return zones.size() == 1
            && !zones.get(0).equals(PhoneNumberToTimeZonesMapper.getUnknownTimeZone())
        ? Optional.of(zones.get(0))
        : Optional.empty();
  }

  @Test
  void validityE164AndZoneAreLibphonenumbersOwnAnswers() throws Exception {
    List<String> numbers =
        new ArrayList<>(
            List.of(
                "+12127363101",
                "+1 (212) 736-3101",
                "+1 212 736 3101 ext. 5",
                "+18005550199",
                "+442071838750",
                "+447911123456",
                "+4930123456",
                "+493012345678",
                "+33142685300",
                "+61291234567",
                "+81335803311",
                "+815012345678",
                "+80012345678",
                "+5491123456789",
                "+525512345678",
                "+3906698812345",
                "+12642920000",
                "+12642350000",
                "+999123",
                "+1",
                "+",
                "12127363101",
                "+1212736310",
                "+12127363101x",
                " +12127363101 ",
                "+44 (0) 20 7183 8750"));
    Random random = new Random(18);
    String[] prefixes = {"+1", "+44", "+49", "+33", "+61", "+81", "+52", "+55", "+91", "+7"};
    for (int i = 0; i < 20_000; i++) {
      StringBuilder n = new StringBuilder(prefixes[random.nextInt(prefixes.length)]);
      int digits = 6 + random.nextInt(7);
      for (int d = 0; d < digits; d++) {
        n.append(random.nextInt(10));
      }
      numbers.add(n.toString());
    }
    int valid = 0;
    int zoned = 0;
    for (String raw : numbers) {
      Optional<PhoneNumbers.Valid> parsed = PhoneNumbers.parse(raw);
      Optional<String> expected = referenceE164(raw);
      assertEquals(expected, parsed.map(PhoneNumbers.Valid::e164), raw);
      if (parsed.isPresent()) {
        valid++;
        Optional<String> zone = PhoneNumbers.timezoneOf(parsed.get());
        assertEquals(referenceZone(expected.get()), zone, raw);
        zoned += zone.isPresent() ? 1 : 0;
      }
    }
    // Enough valid numbers, with and without a single zone, for the comparison to mean something.
    assertTrue(valid > 2_000 && zoned > 500 && valid - zoned > 100, valid + " valid, " + zoned);
  }
}
