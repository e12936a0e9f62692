package com.welcomedly.dialer.engine.dialing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Leads whose call just ended unconnected, or that just refused a reservation, left out of the
 * dialer's next hopper queries for a while. The hopper is a read model and lags its leads'
 * journals: under load a lead just dialed still reads QUEUED there after its call ended (its
 * Reserved and CallEnded not projected yet), and the hopper's order (priority, attempts, lead id)
 * puts it back at the head of every query meanwhile. Without this, nearly every candidate was a
 * lead that said no: ./bench-load at 1,000 agents fetched about 250 candidates a second and 230 of
 * them were refused, so admission's rate went to refusals while the pacer wanted a thousand calls
 * (docs/throughput.md, session 6). The lead still decides: a resting lead that is dialable again is
 * only asked a little later ({@link #REST}, short against any retry delay).
 *
 * <p>Plain Java owned by one dialer actor.
 */
final class RestingLeads {

  /** Long enough for a loaded node's projections to catch up; short against any retry delay. */
  static final Duration REST = Duration.ofSeconds(30);

  /** A bound on the exclusion list sent with every query; the oldest rests end first. */
  static final int MAX = 20_000;

  /** Lead id → until when it rests; insertion order is expiry order (one rest for all). */
  private final LinkedHashMap<String, Instant> resting = new LinkedHashMap<>();

  /** The lead's call ended or it refused a reservation at {@code now}: it rests from now. */
  void rest(String leadId, Instant now) {
    resting.remove(leadId); // re-inserted last: its rest starts again
    resting.put(leadId, now.plus(REST));
    if (resting.size() > MAX) {
      Iterator<Map.Entry<String, Instant>> oldest = resting.entrySet().iterator();
      oldest.next();
      oldest.remove();
    }
  }

  /** The leads still resting at {@code now} (a copy, for a query off the dialer's thread). */
  List<String> resting(Instant now) {
    Iterator<Map.Entry<String, Instant>> it = resting.entrySet().iterator();
    while (it.hasNext() && !it.next().getValue().isAfter(now)) {
      it.remove();
    }
    return new ArrayList<>(resting.keySet());
  }
}
