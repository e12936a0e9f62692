package com.welcomedly.dialer.engine.campaign;

import com.welcomedly.dialer.engine.CborSerializable;
import java.time.Duration;
import java.util.List;

/**
 * One outcome an agent (or the dialer) can give a call. The flags, not the code, drive retry,
 * compliance and statistics, so a campaign can rename or add codes without changing behaviour.
 *
 * @param finalOutcome no further attempt on this lead after it
 * @param retry delay and maximum count of attempts ending with this code; null for final, DNC and
 *     callback dispositions
 */
public record Disposition(
    String code,
    String label,
    Category category,
    boolean humanAnswered,
    boolean contact,
    boolean success,
    boolean dnc,
    boolean callback,
    boolean finalOutcome,
    boolean machine,
    RetryRule retry)
    implements CborSerializable {

  public enum Category {
    SUCCESS,
    NO_CONTACT,
    FOLLOW_UP,
    UNSUCCESSFUL
  }

  /** Retry after {@code delay}, unless {@code maxAttempts} attempts already ended this way. */
  public record RetryRule(Duration delay, int maxAttempts) implements CborSerializable {}

  // System codes the dialer itself assigns to calls that never reached an agent.
  public static final String NO_ANSWER = "NO_ANSWER";
  public static final String BUSY = "BUSY";
  public static final String MACHINE = "MACHINE";
  public static final String DROPPED = "DROPPED";
  public static final String FAILED = "FAILED";
  public static final String INVALID_NUMBER = "INVALID_NUMBER";

  // AGENTLESS (voice broadcast) results the dialer assigns; DNC_REQUEST is the opt-out key's.
  public static final String MESSAGE_PLAYED = "MESSAGE_PLAYED";
  public static final String MESSAGE_LEFT = "MESSAGE_LEFT";
  public static final String DNC_REQUEST = "DNC_REQUEST";

  private static Disposition of(
      String code, String label, Category category, String flags, RetryRule retry) {
    return new Disposition(
        code,
        label,
        category,
        flags.contains("H"),
        flags.contains("C"),
        flags.contains("S"),
        flags.contains("D"),
        flags.contains("B"),
        flags.contains("F"),
        flags.contains("M"),
        retry);
  }

  private static RetryRule retry(Duration delay, int maxAttempts) {
    return new RetryRule(delay, maxAttempts);
  }

  /**
   * The default set. Flag letters: H human answered, C contact, S success, D DNC, B callback, F
   * final, M machine.
   */
  public static final List<Disposition> DEFAULTS =
      List.of(
          of("SALE", "Sale", Category.SUCCESS, "HCSF", null),
          of("ALREADY_CUSTOMER", "Already a customer", Category.SUCCESS, "HCF", null),
          of("NOT_INTERESTED", "Not interested", Category.UNSUCCESSFUL, "HCF", null),
          of("CALLBACK", "Call back", Category.FOLLOW_UP, "HCB", null),
          of(DNC_REQUEST, "Do not call", Category.UNSUCCESSFUL, "HCDF", null),
          of("WRONG_NUMBER", "Wrong number", Category.UNSUCCESSFUL, "HF", null),
          of("DECEASED", "Deceased", Category.UNSUCCESSFUL, "HF", null),
          of(
              "LANGUAGE_BARRIER",
              "Language barrier",
              Category.FOLLOW_UP,
              "H",
              retry(Duration.ofDays(1), 2)),
          of("HUNG_UP", "Hung up", Category.NO_CONTACT, "H", retry(Duration.ofHours(4), 3)),
          of(NO_ANSWER, "No answer", Category.NO_CONTACT, "", retry(Duration.ofHours(2), 6)),
          of(BUSY, "Busy", Category.NO_CONTACT, "", retry(Duration.ofMinutes(15), 6)),
          of(MACHINE, "Answering machine", Category.NO_CONTACT, "M", retry(Duration.ofHours(4), 4)),
          of(DROPPED, "Dropped (abandoned)", Category.NO_CONTACT, "H", retry(Duration.ZERO, 3)),
          of(FAILED, "Failed", Category.NO_CONTACT, "", retry(Duration.ofMinutes(30), 3)),
          of(INVALID_NUMBER, "Invalid number", Category.UNSUCCESSFUL, "F", null),
          of(MESSAGE_PLAYED, "Message played to a person", Category.SUCCESS, "HCF", null),
          of(MESSAGE_LEFT, "Message left on a machine", Category.NO_CONTACT, "MF", null));

  /** Why this definition is not usable, or null. */
  String problem() {
    if (code == null || code.isBlank() || category == null) {
      return "a disposition needs a code and a category";
    }
    boolean terminal = finalOutcome || dnc || callback;
    if (!terminal && (retry == null || retry.maxAttempts() < 1 || retry.delay().isNegative())) {
      return "disposition "
          + code
          + " is not final, so it needs a retry rule (delay >= 0, max >= 1)";
    }
    return null;
  }
}
