package com.welcomedly.dialer.bench.node;

import com.welcomedly.dialer.engine.dialing.AdmissionWindow;
import com.welcomedly.dialer.engine.dialing.CampaignDialer;
import com.welcomedly.dialer.engine.pacing.PacingDecision;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** {@code ./bench-load}'s line about the dialer's admission after a phase. */
final class AdmissionLine {

  private AdmissionLine() {}

  /**
   * The dialer's admission windows (seconds from the first one: rate in force / calls admitted) and
   * its last pacing decision: whether admission ramped and what held the dialer back.
   */
  static String of(CampaignDialer.Status status) {
    StringBuilder b =
        new StringBuilder(
            "admission windows (s: rate/admitted/asks/persists in flight peak/fetched/refused)");
    List<AdmissionWindow> windows = status.admissionWindows();
    Instant first = windows.isEmpty() ? null : windows.get(0).start();
    for (AdmissionWindow w : windows.subList(Math.max(0, windows.size() - 40), windows.size())) {
      b.append(
          String.format(
              Locale.ROOT,
              " %.1f:%.0f/%d/%d/%d/%d/%d",
              Duration.between(first, w.start()).toMillis() / 1000.0,
              w.rate(),
              w.admitted(),
              w.asks(),
              w.inFlightPeak(),
              w.fetched(),
              w.refused()));
    }
    PacingDecision last = status.lastDecision();
    if (last != null) {
      b.append(
          String.format(
              Locale.ROOT,
              "; last decision: %s wanted %d placed %d ready %d dialing %d waiting %d interlocks %s",
              last.effectiveMode(),
              last.wanted(),
              last.callsToPlace(),
              last.agentsReady(),
              last.callsDialing(),
              last.callsWaiting(),
              last.interlocks()));
    }
    return b.toString();
  }
}
