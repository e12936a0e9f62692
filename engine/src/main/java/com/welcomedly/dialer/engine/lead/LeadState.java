package com.welcomedly.dialer.engine.lead;

import com.welcomedly.dialer.engine.CborSerializable;
import com.welcomedly.dialer.engine.campaign.Disposition;
import com.welcomedly.dialer.engine.compliance.DialCompliance;
import com.welcomedly.dialer.engine.compliance.DialPolicy;
import com.welcomedly.dialer.engine.lead.Lead.CallOutcome;
import com.welcomedly.dialer.engine.lead.Lead.Status;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The state of a {@link Lead} and every rule it enforces. Kept beside the entity rather than nested
 * in it because the lead's rules (reservation lock, retry, callbacks, DNC) would push the entity
 * file far past a readable size. Immutable; {@link #apply} is the only way to a new state.
 *
 * @param activeAttemptId the attempt holding the lock (RESERVED to WRAP_UP), else null
 * @param reservationDeadline when the lock expires without a dial result, else null
 */
public record LeadState(
    String campaignId,
    Status status,
    List<Lead.PhoneNumber> numbers,
    String timezone,
    int priority,
    Map<String, String> customFields,
    List<Attempt> attempts,
    Instant nextAttemptAt,
    Instant lastAbandonAt,
    Callback callback,
    Lead.Dnc dnc,
    String finalDisposition,
    String notDialableReason,
    int rotationIndex,
    String activeAttemptId,
    Instant reservationDeadline,
    DialCompliance.Refusal lastRefusal)
    implements CborSerializable {

  /**
   * Every transition but a refusal forgets the last refusal: the next one is new evidence.
   *
   * @param lastRefusal the regulatory refusal persisted last, while nothing else happened since
   */
  public LeadState(
      String campaignId,
      Status status,
      List<Lead.PhoneNumber> numbers,
      String timezone,
      int priority,
      Map<String, String> customFields,
      List<Attempt> attempts,
      Instant nextAttemptAt,
      Instant lastAbandonAt,
      Callback callback,
      Lead.Dnc dnc,
      String finalDisposition,
      String notDialableReason,
      int rotationIndex,
      String activeAttemptId,
      Instant reservationDeadline) {
    this(
        campaignId,
        status,
        numbers,
        timezone,
        priority,
        customFields,
        attempts,
        nextAttemptAt,
        lastAbandonAt,
        callback,
        dnc,
        finalDisposition,
        notDialableReason,
        rotationIndex,
        activeAttemptId,
        reservationDeadline,
        null);
  }

  /**
   * True when {@code refusal} repeats the last persisted one (same rule, same time it may allow the
   * lead again) with nothing in between: the dialer asking again before the hopper caught up adds
   * no evidence, so it is not persisted again.
   */
  boolean repeats(DialCompliance.Refusal refusal) {
    return lastRefusal != null
        && lastRefusal.rule() == refusal.rule()
        && java.util.Objects.equals(lastRefusal.retryAt(), refusal.retryAt());
  }

  static final LeadState EMPTY =
      new LeadState(
          null,
          Status.NEW,
          List.of(),
          null,
          0,
          Map.of(),
          List.of(),
          null,
          null,
          null,
          null,
          null,
          "lead not imported",
          0,
          null,
          null);

  private static final Set<Status> IN_CALL =
      Set.of(Status.RESERVED, Status.DIALING, Status.CONNECTED, Status.WRAP_UP);

  public LeadState {
    numbers = List.copyOf(numbers);
    customFields = Map.copyOf(customFields);
    attempts = List.copyOf(attempts);
  }

  /** Where a call result or disposition sends the lead. */
  record Resolution(Status status, Instant nextAttemptAt, Callback callback) {}

  boolean exists() {
    return campaignId != null;
  }

  Attempt activeAttempt() {
    return attempts.stream()
        .filter(a -> a.attemptId().equals(activeAttemptId))
        .findFirst()
        .orElse(null);
  }

  Lead.Summary toSummary(String leadId) {
    return new Lead.Summary(
        leadId,
        campaignId,
        status,
        numbers,
        timezone,
        priority,
        customFields,
        attempts,
        nextAttemptAt,
        callback,
        dnc,
        finalDisposition,
        notDialableReason);
  }

  // ---- rules ----

  /**
   * Why the lead may not be reserved now, in precedence order; empty when it may. A refusal with a
   * {@link DialCompliance.Rule} is a regulatory one (persisted as evidence); one without is the
   * lead's own lifecycle (busy, final, not due yet).
   */
  Optional<DialCompliance.Refusal> refusalToReserve(
      String attemptId, DialPolicy policy, String agentId, Instant now) {
    if (dnc != null || status == Status.DNC) {
      return Optional.of(
          new DialCompliance.Refusal(
              DialCompliance.Rule.DNC, "lead is on the do-not-call list", null));
    }
    if (IN_CALL.contains(status)) {
      return own("lead is already " + status + " for attempt " + activeAttemptId);
    }
    if (attempts.stream().anyMatch(a -> a.attemptId().equals(attemptId))) {
      return own("attempt " + attemptId + " was already used on this lead");
    }
    switch (status) {
      case NEW:
        return own("lead is not dialable: " + notDialableReason);
      case DONE:
        return own("lead is DONE (" + finalDisposition + ")");
      case EXHAUSTED:
        return own("lead is EXHAUSTED: no attempts left");
      default:
        break;
    }
    if (numbers.stream().allMatch(Lead.PhoneNumber::invalid)) {
      return own("lead has no valid number left");
    }
    Optional<DialCompliance.Refusal> compliance =
        DialCompliance.check(false, timezone, dialTimes(), lastAbandonAt, policy, now);
    if (compliance.isPresent()) {
      return compliance;
    }
    if (nextAttemptAt != null && now.isBefore(nextAttemptAt)) {
      return own("next attempt not before " + nextAttemptAt);
    }
    if (status == Status.CALLBACK) {
      if (now.isBefore(callback.dueAt())) {
        return own("callback is due at " + callback.localTime() + " " + timezone);
      }
      if (callback.agentId() != null && !callback.agentId().equals(agentId)) {
        return own("callback is reserved for agent " + callback.agentId());
      }
    }
    return Optional.empty();
  }

  private static Optional<DialCompliance.Refusal> own(String reason) {
    return Optional.of(new DialCompliance.Refusal(null, reason, null));
  }

  /** Why a call step for {@code attemptId} does not fit the current status; empty when it does. */
  /**
   * True when {@code attemptId} is in this lead's history with {@code step} already done (e.g. its
   * dial or its end recorded): a repeated command for it is a retry whose first reply was lost.
   */
  boolean stepRecorded(String attemptId, java.util.function.Predicate<Attempt> step) {
    return attemptId != null
        && attempts.stream().anyMatch(a -> attemptId.equals(a.attemptId()) && step.test(a));
  }

  Optional<String> wrongStep(String attemptId, Status expected) {
    if (activeAttemptId == null || !activeAttemptId.equals(attemptId)) {
      return Optional.of(
          "attempt " + attemptId + " does not hold this lead (active: " + activeAttemptId + ")");
    }
    if (status != expected) {
      return Optional.of("attempt " + attemptId + " is " + status + ", expected " + expected);
    }
    return Optional.empty();
  }

  Optional<String> refusalToScheduleCallback() {
    if (dnc != null || status == Status.DNC) {
      return Optional.of("lead is on the do-not-call list");
    }
    if (IN_CALL.contains(status)) {
      return Optional.of("lead is in a call (" + status + "); use the disposition instead");
    }
    if (timezone == null) {
      return Optional.of("lead has no timezone, a callback time cannot be placed");
    }
    return Optional.empty();
  }

  /** The number the next attempt dials, skipping numbers marked invalid. */
  String nextNumber(DialPolicy.NumberRotation rotation) {
    int start = rotation == DialPolicy.NumberRotation.ROTATE ? rotationIndex : 0;
    for (int i = 0; i < numbers.size(); i++) {
      Lead.PhoneNumber candidate = numbers.get((start + i) % numbers.size());
      if (!candidate.invalid()) {
        return candidate.e164();
      }
    }
    throw new IllegalStateException("no valid number; refusalToReserve must be checked first");
  }

  Resolution resolveCallEnd(
      CallOutcome outcome, Disposition disposition, Duration abandonLockout, Instant now) {
    if (dnc != null) {
      return new Resolution(Status.DNC, null, null);
    }
    if (outcome == CallOutcome.INVALID_NUMBER) {
      String dialed = activeAttempt().number();
      boolean anotherValid =
          numbers.stream().anyMatch(n -> !n.invalid() && !n.e164().equals(dialed));
      if (anotherValid) {
        return new Resolution(Status.QUEUED, now, null);
      }
      return new Resolution(Status.EXHAUSTED, null, null);
    }
    Resolution next = resolveDisposition(disposition, null, now);
    if (outcome == CallOutcome.ABANDONED && next.status() == Status.QUEUED) {
      Instant lockedUntil = now.plus(abandonLockout == null ? Duration.ZERO : abandonLockout);
      if (lockedUntil.isAfter(next.nextAttemptAt())) {
        return new Resolution(Status.QUEUED, lockedUntil, null);
      }
    }
    return next;
  }

  /** Where a disposition sends the lead: DNC wins, then callback, final, retry or exhausted. */
  Resolution resolveDisposition(Disposition d, Callback newCallback, Instant now) {
    if (dnc != null || d.dnc()) {
      return new Resolution(Status.DNC, null, null);
    }
    if (d.callback()) {
      return new Resolution(Status.CALLBACK, null, newCallback);
    }
    if (d.finalOutcome()) {
      return new Resolution(Status.DONE, null, null);
    }
    long sameEnding =
        attempts.stream()
                .filter(a -> !a.attemptId().equals(activeAttemptId))
                .filter(a -> d.code().equals(a.dispositionCode()))
                .count()
            + 1;
    if (d.retry() == null || sameEnding >= d.retry().maxAttempts()) {
      return new Resolution(Status.EXHAUSTED, null, null);
    }
    return new Resolution(Status.QUEUED, now.plus(d.retry().delay()), null);
  }

  Status statusAfterRelease() {
    if (dnc != null) {
      return Status.DNC;
    }
    return callback != null ? Status.CALLBACK : Status.QUEUED;
  }

  Callback callbackAt(LocalDateTime localTime, String agentId, Duration fallback) {
    Instant due = localTime.atZone(ZoneId.of(timezone)).toInstant();
    Instant fallbackAt =
        agentId == null || fallback == null || fallback.isZero() ? null : due.plus(fallback);
    return new Callback(localTime, timezone, due, agentId, fallbackAt);
  }

  private List<Instant> dialTimes() {
    return attempts.stream().map(Attempt::dialedAt).filter(Objects::nonNull).toList();
  }

  // ---- event application ----

  LeadState apply(Lead.Event event) {
    if (event instanceof Lead.Imported e) {
      return new LeadState(
          e.campaignId(),
          e.notDialableReason() == null ? Status.QUEUED : Status.NEW,
          e.numbers(),
          e.timezone(),
          e.priority(),
          e.customFields(),
          List.of(),
          null,
          null,
          null,
          null,
          null,
          e.notDialableReason(),
          0,
          null,
          null);
    } else if (event instanceof Lead.TimezoneChanged e) {
      Status next = status == Status.NEW ? Status.QUEUED : status;
      return with(next, e.newTimezone(), attempts, nextAttemptAt, callback, null);
    } else if (event instanceof Lead.Reserved e) {
      List<Attempt> more = new ArrayList<>(attempts);
      more.add(Attempt.reserved(e.attemptId(), e.number(), e.at()));
      int index = indexOf(e.number());
      return new LeadState(
          campaignId,
          Status.RESERVED,
          numbers,
          timezone,
          priority,
          customFields,
          more,
          nextAttemptAt,
          lastAbandonAt,
          callback,
          dnc,
          finalDisposition,
          notDialableReason,
          (index + 1) % numbers.size(),
          e.attemptId(),
          e.expiresAt());
    } else if (event instanceof Lead.ReservationReleased e) {
      return released(e.newStatus(), updateActive(a -> a.released(e.reason(), e.at())));
    } else if (event instanceof Lead.DialStarted e) {
      return lock(Status.DIALING, updateActive(a -> a.dialed(e.at())), e.resultDeadline());
    } else if (event instanceof Lead.CallAnswered e) {
      return lock(status, updateActive(a -> a.answered(e.at())), null);
    } else if (event instanceof Lead.AgentConnected e) {
      return lock(Status.CONNECTED, updateActive(a -> a.connected(e.agentId(), e.at())), null);
    } else if (event instanceof Lead.CallEnded e) {
      return ended(e);
    } else if (event instanceof Lead.DispositionRecorded e) {
      return dispositioned(e);
    } else if (event instanceof Lead.MarkedDnc e) {
      Lead.Dnc mark = new Lead.Dnc(e.source(), e.by(), e.at());
      Status next = IN_CALL.contains(status) ? status : Status.DNC;
      return new LeadState(
          campaignId,
          next,
          numbers,
          timezone,
          priority,
          customFields,
          attempts,
          null,
          lastAbandonAt,
          null,
          mark,
          finalDisposition,
          notDialableReason,
          rotationIndex,
          activeAttemptId,
          reservationDeadline);
    } else if (event instanceof Lead.CallbackScheduled e) {
      return with(Status.CALLBACK, timezone, attempts, null, e.callback(), null);
    } else if (event instanceof Lead.AttemptSummarized e) {
      List<Attempt> updated =
          attempts.stream()
              .map(
                  a ->
                      a.attemptId().equals(e.attemptId())
                          ? a.summarized(e.summary(), e.summarizer())
                          : a)
              .toList();
      return with(status, timezone, updated, nextAttemptAt, callback, notDialableReason);
    } else if (event instanceof Lead.CallbackOpenedToAnyone e) {
      return with(status, timezone, attempts, nextAttemptAt, callback.openedToAnyone(), null);
    } else if (event instanceof Lead.DialRefused e) {
      // Evidence only: the rules recompute from attempts, abandons and DNC.
      return new LeadState(
          campaignId,
          status,
          numbers,
          timezone,
          priority,
          customFields,
          attempts,
          nextAttemptAt,
          lastAbandonAt,
          callback,
          dnc,
          finalDisposition,
          notDialableReason,
          rotationIndex,
          activeAttemptId,
          reservationDeadline,
          new DialCompliance.Refusal(e.rule(), e.reason(), e.retryAt()));
    } else if (event instanceof Lead.SafeHarborPlayed) {
      return this;
    }
    throw new IllegalArgumentException("unknown event " + event.getClass());
  }

  private LeadState ended(Lead.CallEnded e) {
    List<Attempt> updated = updateActive(a -> a.ended(e.outcome(), e.dispositionCode(), e.at()));
    List<Lead.PhoneNumber> nums = numbers;
    if (e.outcome() == CallOutcome.INVALID_NUMBER) {
      String dialed = activeAttempt().number();
      nums =
          numbers.stream()
              .map(n -> n.e164().equals(dialed) ? new Lead.PhoneNumber(n.e164(), true) : n)
              .toList();
    }
    Instant abandonAt = e.outcome() == CallOutcome.ABANDONED ? e.at() : lastAbandonAt;
    boolean stillLocked = e.newStatus() == Status.WRAP_UP;
    return new LeadState(
        campaignId,
        e.newStatus(),
        nums,
        timezone,
        priority,
        customFields,
        updated,
        e.nextAttemptAt(),
        abandonAt,
        stillLocked ? callback : null,
        dnc,
        terminalCode(e.newStatus(), e.dispositionCode()),
        notDialableReason,
        rotationIndex,
        stillLocked ? activeAttemptId : null,
        null);
  }

  private LeadState dispositioned(Lead.DispositionRecorded e) {
    List<Attempt> updated =
        updateActive(a -> a.dispositioned(e.agentId(), e.dispositionCode(), e.notes()));
    Lead.Dnc mark =
        dnc == null && e.newStatus() == Status.DNC
            ? new Lead.Dnc(Lead.DncSource.DISPOSITION, e.agentId(), e.at())
            : dnc;
    return new LeadState(
        campaignId,
        e.newStatus(),
        numbers,
        timezone,
        priority,
        customFields,
        updated,
        e.nextAttemptAt(),
        lastAbandonAt,
        e.callback(),
        mark,
        terminalCode(e.newStatus(), e.dispositionCode()),
        notDialableReason,
        rotationIndex,
        null,
        null);
  }

  private String terminalCode(Status next, String code) {
    return next == Status.DONE || next == Status.EXHAUSTED || next == Status.DNC
        ? code
        : finalDisposition;
  }

  private int indexOf(String e164) {
    for (int i = 0; i < numbers.size(); i++) {
      if (numbers.get(i).e164().equals(e164)) {
        return i;
      }
    }
    return 0;
  }

  private List<Attempt> updateActive(java.util.function.UnaryOperator<Attempt> change) {
    return attempts.stream()
        .map(a -> a.attemptId().equals(activeAttemptId) ? change.apply(a) : a)
        .toList();
  }

  private LeadState lock(Status next, List<Attempt> updated, Instant deadline) {
    return new LeadState(
        campaignId,
        next,
        numbers,
        timezone,
        priority,
        customFields,
        updated,
        nextAttemptAt,
        lastAbandonAt,
        callback,
        dnc,
        finalDisposition,
        notDialableReason,
        rotationIndex,
        activeAttemptId,
        deadline);
  }

  private LeadState released(Status next, List<Attempt> updated) {
    return new LeadState(
        campaignId,
        next,
        numbers,
        timezone,
        priority,
        customFields,
        updated,
        nextAttemptAt,
        lastAbandonAt,
        callback,
        dnc,
        finalDisposition,
        notDialableReason,
        rotationIndex,
        null,
        null);
  }

  private LeadState with(
      Status next,
      String zone,
      List<Attempt> updated,
      Instant nextAt,
      Callback newCallback,
      String notDialable) {
    return new LeadState(
        campaignId,
        next,
        numbers,
        zone,
        priority,
        customFields,
        updated,
        nextAt,
        lastAbandonAt,
        newCallback,
        dnc,
        finalDisposition,
        notDialable,
        rotationIndex,
        activeAttemptId,
        reservationDeadline);
  }
}
