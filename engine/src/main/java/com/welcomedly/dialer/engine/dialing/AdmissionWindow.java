package com.welcomedly.dialer.engine.dialing;

import com.welcomedly.dialer.engine.CborSerializable;
import java.time.Instant;

/**
 * One second of a dialer's admission control, on the dialer's own clock: the rate in force and how
 * many calls it admitted. The dialer's status lists the latest ones, so the ramp and the ceiling
 * can be checked window by window whatever the machine's speed (no timing of the calls needed).
 */
public record AdmissionWindow(Instant start, double rate, int admitted)
    implements CborSerializable {}
