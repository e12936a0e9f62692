package com.welcomedly.dialer.api.demo;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.welcomedly.dialer.engine.logging.PhoneNumberMasking;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The demo's leads: valid North American E.164 numbers spread over six US time zones, generated
 * from the lead's index and the seed alone (so a run is reproducible and nothing is held in
 * memory). They never start with the simulator's script prefix, so the simulator answers them with
 * its population model: some live, some machines, busy, no answer, invalid.
 */
public final class LeadGenerator {

  /** One generated lead; {@link #toString()} masks the number, like every log line does. */
  public record DemoLead(
      String leadId,
      String number,
      String timezone,
      int priority,
      Map<String, String> customFields) {

    public DemoLead {
      customFields = Map.copyOf(customFields);
    }

    @Override
    public String toString() {
      return "DemoLead[leadId="
          + leadId
          + ", number="
          + PhoneNumberMasking.maskNumber(number)
          + ", timezone="
          + timezone
          + ", priority="
          + priority
          + "]";
    }
  }

  private record AreaCode(String code, String timezone) {}

  // Area codes that lie in a single time zone, so the lead's zone is unambiguous.
  private static final List<AreaCode> AREAS =
      List.of(
          new AreaCode("212", "America/New_York"),
          new AreaCode("617", "America/New_York"),
          new AreaCode("404", "America/New_York"),
          new AreaCode("312", "America/Chicago"),
          new AreaCode("713", "America/Chicago"),
          new AreaCode("303", "America/Denver"),
          new AreaCode("602", "America/Phoenix"),
          new AreaCode("415", "America/Los_Angeles"),
          new AreaCode("206", "America/Los_Angeles"),
          new AreaCode("907", "America/Anchorage"));

  private static final List<String> SEGMENTS = List.of("new", "lapsed", "upsell");
  private static final int LINES_PER_EXCHANGE = 10_000;
  // Coprime with 10,000: walks every line number of an exchange once, in a scrambled order.
  private static final int LINE_STRIDE = 7_919;
  private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

  private final String prefix;
  private final long seed;

  /** Leads with ids {@code <prefix>-000001}, ... */
  public LeadGenerator(String prefix, long seed) {
    this.prefix = prefix;
    this.seed = seed;
  }

  /** The lead at {@code index} (0-based); the same index and seed always give the same lead. */
  public DemoLead lead(int index) {
    AreaCode area = AREAS.get(index % AREAS.size());
    int k = index / AREAS.size();
    int block = k / LINES_PER_EXCHANGE;
    int line = (int) (((long) k * LINE_STRIDE + seed) % LINES_PER_EXCHANGE);
    if (line < 0) {
      line += LINES_PER_EXCHANGE;
    }
    String number = "+1" + area.code() + exchange(area.code(), block) + String.format("%04d", line);
    SplittableRandom random = new SplittableRandom(seed * 1_000_003L + index);
    int priority = random.nextInt(10) == 0 ? 5 : 0; // a tenth are hot leads, dialed first
    return new DemoLead(
        String.format("%s-%06d", prefix, index + 1),
        number,
        area.timezone(),
        priority,
        Map.of("segment", SEGMENTS.get(random.nextInt(SEGMENTS.size())), "source", "demo"));
  }

  /**
   * A central-office code that makes a valid number in this area: picked from the seed and the
   * block, then stepped past codes libphonenumber refuses (N11, 555, 950, ...).
   */
  private String exchange(String areaCode, int block) {
    int start = new SplittableRandom(seed * 31 + block).nextInt(200, 1000);
    for (int i = 0; i < 800; i++) {
      int code = 200 + Math.floorMod(start - 200 + i * 37, 800);
      if (valid("+1" + areaCode + code + "4567")) {
        return Integer.toString(code);
      }
    }
    throw new IllegalStateException("no valid exchange in area " + areaCode);
  }

  static boolean valid(String e164) {
    try {
      return PHONES.isValidNumber(PHONES.parse(e164, null));
    } catch (NumberParseException e) {
      return false;
    }
  }
}
