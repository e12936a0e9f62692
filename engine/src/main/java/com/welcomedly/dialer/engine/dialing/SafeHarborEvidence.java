package com.welcomedly.dialer.engine.dialing;

import com.welcomedly.dialer.engine.lead.Lead;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/**
 * Remembers when each abandoned call was sent to the safe-harbor message, and turns the PBX's
 * answer (played, opted out, refused) into the lead's {@link Lead.RecordSafeHarbor}: the compliance
 * report's proof that every abandon got its message, and how long after the answer. Owned by one
 * dialer, single-threaded; an entry lives from the connect deadline until the call ends.
 */
final class SafeHarborEvidence {

  private final Map<String, Instant> startedAt = new HashMap<>();

  void started(String attemptId, Instant at) {
    startedAt.put(attemptId, at);
  }

  /**
   * The lead command recording this call event's safe-harbor result, if it is one: a played
   * message, a message the PBX reports as not played, or a refused redirect of a call we sent to
   * the message.
   */
  Optional<Function<ActorRef<StatusReply<Lead.Summary>>, Lead.Command>> record(
      TelephonyGateway.CallEvent event) {
    Lead.SafeHarborResult result;
    if (event instanceof TelephonyGateway.SafeHarborPlayed played) {
      result = played.optedOut() ? Lead.SafeHarborResult.OPTED_OUT : Lead.SafeHarborResult.PLAYED;
    } else if (event instanceof TelephonyGateway.SafeHarborFailed
        && startedAt.containsKey(event.callId())) {
      result = Lead.SafeHarborResult.FAILED;
    } else if (event instanceof TelephonyGateway.ActionRejected rejected
        && "SafeHarbor".equals(rejected.action())
        && startedAt.containsKey(event.callId())) {
      result = Lead.SafeHarborResult.FAILED;
    } else {
      return Optional.empty();
    }
    String attemptId = event.callId();
    Instant started = startedAt.get(attemptId);
    return Optional.of(r -> new Lead.RecordSafeHarbor(attemptId, result, started, r));
  }

  void forget(String attemptId) {
    startedAt.remove(attemptId);
  }
}
