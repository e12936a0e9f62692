package com.welcomedly.dialer.engine.telephony;

import com.welcomedly.dialer.engine.telephony.TelephonyGateway.CallEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Splits a live answer's way to its agent at the node's AMI socket (issue 18): the engine's share,
 * from the gateway's receipt of the live answer (Answered, or the AMD verdict that follows it) to
 * the Bridge action written to the PBX — the answer's way to the dialer, its wait there, the
 * routing and the Bridge's way back to the socket — and the PBX's share, from that write to the
 * gateway's receipt of Bridged. Both on the AMI reader's receipt times and the wall clock.
 *
 * <p>Threads: {@link #observed} and {@link #liveAt} run on the gateway actor; {@link #writing} on
 * the AMI writer (the blocking dispatcher), hence the concurrent map of write times. A write time
 * is stored before the action goes out, so the PBX's Bridged, read after, always finds it.
 */
final class BridgeTiming {

  private final Map<String, Instant> liveAt = new HashMap<>();
  private final Map<String, Instant> writtenAt = new ConcurrentHashMap<>();

  /** Every call event the gateway emits (gateway actor). */
  void observed(CallEvent event) {
    if (event instanceof TelephonyGateway.Answered
        || event instanceof TelephonyGateway.MachineDetection) {
      liveAt.put(event.callId(), event.at());
    } else if (event instanceof TelephonyGateway.Bridged bridged) {
      Instant written = writtenAt.remove(bridged.callId());
      if (written != null) {
        TelephonyMetrics.bridgeActionToBridged().record(nanos(written, bridged.at()));
      }
    } else if (event.isFinal()) {
      liveAt.remove(event.callId());
      writtenAt.remove(event.callId());
    }
  }

  /** When the gateway received the call's live answer, or null (gateway actor). */
  Instant liveAt(String callId) {
    return liveAt.get(callId);
  }

  /** The Bridge of a call answered at {@code answeredAt} goes out now (AMI writer thread). */
  void writing(String callId, Instant answeredAt) {
    Instant now = Instant.now();
    writtenAt.put(callId, now);
    if (answeredAt != null) {
      TelephonyMetrics.answerToBridgeAction().record(nanos(answeredAt, now));
    }
  }

  private static long nanos(Instant from, Instant to) {
    return Math.max(0, Duration.between(from, to).toNanos());
  }
}
