package com.welcomedly.dialer.engine.compliance;

import com.welcomedly.dialer.engine.CborSerializable;
import java.time.Duration;
import java.util.List;

/**
 * The campaign rules a lead enforces when it is reserved for a dial. The dialer copies them from
 * the campaign into every {@code ReserveForDial}, so the lead never has to ask its campaign
 * synchronously and a rule change applies to the next attempt.
 *
 * @param reservationTimeout how long a reservation waits for the dial to start before it expires
 * @param callbackFallback how long an agent-only callback waits past its time before anyone may
 *     take it; {@link Duration#ZERO} never falls back
 */
public record DialPolicy(
    CallingWindow callingWindow,
    List<AttemptCap> attemptCaps,
    Duration postAbandonLockout,
    Duration reservationTimeout,
    NumberRotation numberRotation,
    Duration callbackFallback)
    implements CborSerializable {

  /** Which of a lead's numbers the next attempt dials. */
  public enum NumberRotation {
    /** Round-robin over the lead's numbers, skipping numbers marked invalid. */
    ROTATE,
    /** Always the first number not marked invalid. */
    FIRST_VALID
  }

  public DialPolicy {
    attemptCaps = List.copyOf(attemptCaps);
  }

  public static DialPolicy standard() {
    return new DialPolicy(
        CallingWindow.standard(),
        List.of(AttemptCap.of(7, Duration.ofDays(7))),
        Duration.ofHours(72),
        Duration.ofSeconds(30),
        NumberRotation.ROTATE,
        Duration.ofMinutes(15));
  }
}
