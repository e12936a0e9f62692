package com.welcomedly.dialer.engine.lead;

import com.welcomedly.dialer.engine.CborSerializable;
import java.time.Instant;
import java.time.LocalDateTime;

/**
 * A callback the customer asked for, kept in the customer's own wall-clock time and zone (that is
 * what was promised) plus the instant it resolves to.
 *
 * @param agentId the agent who must take it, or null for anyone
 * @param fallbackAt when an agent-only callback opens to anyone, or null for never
 */
public record Callback(
    LocalDateTime localTime, String timezone, Instant dueAt, String agentId, Instant fallbackAt)
    implements CborSerializable {

  Callback openedToAnyone() {
    return new Callback(localTime, timezone, dueAt, null, null);
  }
}
