package com.welcomedly.dialer.engine.evidence;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a campaign did in the period {@code [from, to)}, against the rules a regulator checks. Every
 * figure comes from the compliance read model, i.e. from the journal's events; the report holds
 * lead and attempt ids, never phone numbers (those are in the per-lead audit trail).
 *
 * @param abandonCapPercent the regulatory cap both windows are held to (3 %)
 */
public record ComplianceReport(
    String campaignId,
    Instant from,
    Instant to,
    double abandonCapPercent,
    AbandonRate us30Days,
    AbandonRate uk24Hours,
    List<AbandonedCall> abandonedCalls,
    CallingWindowCheck callingWindow,
    List<Refusal> refusals,
    Map<String, Long> refusalsByRule,
    List<Lockout> lockouts,
    RingTimeCheck ringTime,
    List<PacingChange> pacingChanges) {

  public ComplianceReport {
    abandonedCalls = List.copyOf(abandonedCalls);
    refusals = List.copyOf(refusals);
    refusalsByRule = Map.copyOf(refusalsByRule);
    lockouts = List.copyOf(lockouts);
    pacingChanges = List.copyOf(pacingChanges);
  }

  /** The rolling abandon rate of one regulated window: at the period's end, and its peak. */
  public record AbandonRate(String window, Figure atEnd, Figure peak) {}

  /**
   * The window {@code (at - length, at]}: live answers, abandons, percent. A peak with no live
   * answers in the period is the figure at the period's start.
   */
  public record Figure(Instant at, long liveAnswers, long abandons, double percent) {}

  /**
   * One abandoned call. {@code safeHarbor}: PLAYED, OPTED_OUT, FAILED, NOT_PLAYED (the caller hung
   * up before the connect deadline, or the PBX never reported the message), or {@link
   * #LATE_CONNECT} (an agent was bridged after the connect deadline; {@code messageStartedAt} is
   * then the bridge, {@code endedAt} null while the call goes on, and there is no lockout). {@code
   * answerToMessageMillis}: answer to the redirect into the message (or to the late bridge); {@code
   * optOutDncAt}: when the opt-out put the lead on the DNC list.
   */
  public record AbandonedCall(
      String leadId,
      String attemptId,
      Instant answeredAt,
      Instant endedAt,
      String safeHarbor,
      Instant messageStartedAt,
      Long answerToMessageMillis,
      Instant optOutDncAt,
      Instant lockedOutUntil) {
    /** Abandoned because the agent's bridge came after the connect deadline. */
    public static final String LATE_CONNECT = "LATE_CONNECT";
  }

  /** Every dial placed in the period checked against the window in force when it was placed. */
  public record CallingWindowCheck(
      long dials,
      long outsideWindow,
      List<WindowViolation> violations,
      List<WindowInForce> windowsInForce) {
    public CallingWindowCheck {
      violations = List.copyOf(violations);
      windowsInForce = List.copyOf(windowsInForce);
    }
  }

  /** A dial placed outside the callee's window (must never happen). */
  public record WindowViolation(
      String leadId,
      String attemptId,
      Instant dialedAt,
      String localTime,
      String timezone,
      String window) {}

  /** The campaign's calling window from {@code since} on (callee local time). */
  public record WindowInForce(Instant since, String window) {}

  /** A reservation refused by a regulatory rule. */
  public record Refusal(
      Instant at, String leadId, String attemptId, String rule, String reason, Instant retryAt) {}

  /** A post-abandon lockout applied: the lead may not be called before {@code until}. */
  public record Lockout(String leadId, String attemptId, Instant abandonedAt, Instant until) {}

  /**
   * The ring-time floor on every dial of the period: the ring timeout each Originate asked for
   * (from the dial's event, or the campaign's config in force for events older than that field).
   */
  public record RingTimeCheck(
      long dials, long floorSeconds, Double minRingTimeoutSeconds, long dialsBelowFloor) {}

  /** A change of the pacing levers: who, when, what. */
  public record PacingChange(Instant at, String by, String kind, String change) {}
}
