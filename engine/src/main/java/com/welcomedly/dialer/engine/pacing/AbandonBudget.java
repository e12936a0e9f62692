package com.welcomedly.dialer.engine.pacing;

import com.welcomedly.dialer.engine.compliance.AbandonLedger;

/**
 * When the abandon ledger stops POWER and PREDICTIVE over-dialing. The ledger's own guard ({@link
 * AbandonLedger.WindowStatus#oneAbandonFromCap}) trips when one more abandon would put the window
 * at the cap: right for a campaign with history, but on a small sample it is always on — with 0
 * live answers one abandon is 100 %, and it stays on until 33 clean answers — so a new POWER 2.0
 * campaign dialed 1:1, which is not what the supervisor chose.
 *
 * <p>The rule here charges the window's abandons against the budget of at least {@link
 * #MIN_LIVE_ANSWERS} live answers: over-dialing stops when {@code (abandoned + 1) / max(live
 * answers + 1, 100) >= cap}. With the 3 % cap a fresh campaign may therefore over-dial until its
 * second abandon, after which it dials progressively until its answers carry the rate under the cap
 * again; from 99 live answers on, the rule is exactly the ledger's. The trade-off, stated: a
 * campaign that stops after very few live answers can end its window with a rate over the cap (e.g.
 * 2 abandons in its only 20 answers); one that reaches 100 answers is at most at 2 % plus the calls
 * already ringing when the guard tripped — the same exposure as the ledger's own guard.
 */
final class AbandonBudget {
  private AbandonBudget() {}

  /** Live answers the first abandons are charged against (3 abandons' budget at the 3 % cap). */
  static final int MIN_LIVE_ANSWERS = 100;

  /** True when POWER/PREDICTIVE must fall back to PROGRESSIVE for this window. */
  static boolean exhausted(AbandonLedger.WindowStatus window, double cap) {
    long basis = Math.max(window.liveAnswers() + 1, MIN_LIVE_ANSWERS);
    return (double) (window.abandoned() + 1) / basis >= cap - 1e-12;
  }
}
