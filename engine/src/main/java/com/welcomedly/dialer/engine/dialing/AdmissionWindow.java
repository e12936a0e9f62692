package com.welcomedly.dialer.engine.dialing;

import com.welcomedly.dialer.engine.CborSerializable;
import java.time.Instant;

/**
 * One second of a dialer's admission control, on the dialer's own clock: the rate in force, how
 * many calls it admitted, how many decisions asked it ({@code asks}), the most persists in flight
 * it saw ({@code inFlightPeak}, against {@code max-persists-in-flight}), and what became of the
 * admitted calls in that second: candidates the hopper returned ({@code fetched}) and reservations
 * the leads refused ({@code refused}). The dialer's status lists the latest ones, so the ramp and
 * the ceiling can be checked window by window whatever the machine's speed (no timing of the calls
 * needed), and a window that admitted or dialed little says why: few asks (decisions far apart),
 * persists in flight at the bound, a hopper short of leads, or leads that said no.
 */
public record AdmissionWindow(
    Instant start, double rate, int admitted, int asks, int inFlightPeak, int fetched, int refused)
    implements CborSerializable {}
