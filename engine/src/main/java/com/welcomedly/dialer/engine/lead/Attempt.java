package com.welcomedly.dialer.engine.lead;

import com.welcomedly.dialer.engine.CborSerializable;
import java.time.Instant;

/**
 * One dial attempt on a lead, kept forever for the attempt history. Times are null until the step
 * happened; {@code releasedReason} is set when the attempt ended without a call result (released or
 * expired reservation). {@code summary} is the call summary written after the disposition (see
 * {@code engine.summary}), by the summarizer named in {@code summarizer}; both null until then and
 * in attempts stored before summaries existed.
 */
public record Attempt(
    String attemptId,
    String number,
    String agentId,
    Instant reservedAt,
    Instant dialedAt,
    Instant answeredAt,
    Instant connectedAt,
    Instant endedAt,
    Lead.CallOutcome outcome,
    String dispositionCode,
    String notes,
    String releasedReason,
    String summary,
    String summarizer)
    implements CborSerializable {

  static Attempt reserved(String attemptId, String number, Instant at) {
    return new Attempt(
        attemptId, number, null, at, null, null, null, null, null, null, null, null, null, null);
  }

  Attempt dialed(Instant at) {
    return new Attempt(
        attemptId,
        number,
        agentId,
        reservedAt,
        at,
        answeredAt,
        connectedAt,
        endedAt,
        outcome,
        dispositionCode,
        notes,
        releasedReason,
        summary,
        summarizer);
  }

  Attempt answered(Instant at) {
    return new Attempt(
        attemptId,
        number,
        agentId,
        reservedAt,
        dialedAt,
        at,
        connectedAt,
        endedAt,
        outcome,
        dispositionCode,
        notes,
        releasedReason,
        summary,
        summarizer);
  }

  Attempt connected(String agent, Instant at) {
    return new Attempt(
        attemptId,
        number,
        agent,
        reservedAt,
        dialedAt,
        answeredAt,
        at,
        endedAt,
        outcome,
        dispositionCode,
        notes,
        releasedReason,
        summary,
        summarizer);
  }

  Attempt ended(Lead.CallOutcome result, String code, Instant at) {
    return new Attempt(
        attemptId,
        number,
        agentId,
        reservedAt,
        dialedAt,
        answeredAt,
        connectedAt,
        at,
        result,
        code,
        notes,
        releasedReason,
        summary,
        summarizer);
  }

  Attempt dispositioned(String agent, String code, String text) {
    return new Attempt(
        attemptId,
        number,
        agent == null ? agentId : agent,
        reservedAt,
        dialedAt,
        answeredAt,
        connectedAt,
        endedAt,
        outcome,
        code,
        text,
        releasedReason,
        summary,
        summarizer);
  }

  Attempt released(String reason, Instant at) {
    return new Attempt(
        attemptId,
        number,
        agentId,
        reservedAt,
        dialedAt,
        answeredAt,
        connectedAt,
        at,
        outcome,
        dispositionCode,
        notes,
        reason,
        summary,
        summarizer);
  }

  Attempt summarized(String text, String by) {
    return new Attempt(
        attemptId,
        number,
        agentId,
        reservedAt,
        dialedAt,
        answeredAt,
        connectedAt,
        endedAt,
        outcome,
        dispositionCode,
        notes,
        releasedReason,
        text,
        by);
  }
}
