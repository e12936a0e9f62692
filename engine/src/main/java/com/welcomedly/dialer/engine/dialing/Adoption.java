package com.welcomedly.dialer.engine.dialing;

import com.welcomedly.dialer.engine.lead.Attempt;
import com.welcomedly.dialer.engine.lead.Lead;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What a new dialer instance does with a call a previous instance left behind (its node died, or
 * the shard moved): decided from the lead, which holds the lock, and the PBX's live channels from
 * {@code TelephonyGateway.Reconcile}, whose unique ids are attempt ids. Pure; the dialer executes.
 *
 * <p>A call still on the PBX is tracked again ({@code Track}) so its end reaches the lead and its
 * agent; a call the PBX no longer has is ended on the lead at once. A reservation that never led to
 * a channel is left to the lead's own expiry timer.
 */
record Adoption(Kind kind, String leadId, Attempt attempt, TelephonyGateway.LiveChannel channel) {

  enum Kind {
    /** Reserved, no channel: the lead's reservation timer returns it to the queue. */
    AWAIT_EXPIRY,
    /** Ringing on the PBX: tracked until its outcome. */
    TRACK_DIALING,
    /**
     * Answered and not connected: the connect deadline has passed while nobody watched, so it is
     * abandoned to the safe-harbor message now.
     */
    TRACK_ANSWERED,
    /** Connected to an agent: tracked until it hangs up, then the usual wrap-up. */
    TRACK_CONNECTED,
    /** Dialing, never answered, gone from the PBX: ended FAILED (retried per the FAILED rule). */
    END_UNANSWERED,
    /** Answered, never connected, gone: an abandon (DROPPED with lockout), the safe reading. */
    END_ABANDONED,
    /** Connected, gone: ended COMPLETED, its agent to wrap-up. */
    END_CONNECTED
  }

  /** Asterisk channel state 6, Up: the callee answered. */
  private static final int STATE_UP = 6;

  /**
   * The adoption of {@code lead}'s open attempt, or empty when there is nothing to adopt: not in a
   * call, or the attempt belongs to this dialer instance (reserved at or after {@code startedAt}).
   */
  static Optional<Adoption> of(
      Lead.Summary lead, Map<String, TelephonyGateway.LiveChannel> live, Instant startedAt) {
    Optional<Attempt> open =
        lead.attempts().stream()
            .filter(a -> a.endedAt() == null)
            .filter(a -> a.reservedAt().isBefore(startedAt))
            .findFirst();
    if (open.isEmpty()) {
      return Optional.empty();
    }
    Attempt attempt = open.get();
    TelephonyGateway.LiveChannel channel = live.get(attempt.attemptId());
    boolean up = attempt.answeredAt() != null || (channel != null && channel.state() == STATE_UP);
    Kind kind =
        switch (lead.status()) {
          case RESERVED -> channel == null ? Kind.AWAIT_EXPIRY : trackedKind(up);
          case DIALING ->
              channel != null
                  ? trackedKind(up)
                  : attempt.answeredAt() != null ? Kind.END_ABANDONED : Kind.END_UNANSWERED;
          case CONNECTED -> channel != null ? Kind.TRACK_CONNECTED : Kind.END_CONNECTED;
          default -> null;
        };
    return kind == null
        ? Optional.empty()
        : Optional.of(new Adoption(kind, lead.leadId(), attempt, channel));
  }

  private static Kind trackedKind(boolean answered) {
    return answered ? Kind.TRACK_ANSWERED : Kind.TRACK_DIALING;
  }
}
