package com.welcomedly.dialer.engine.lead;

import com.welcomedly.dialer.engine.CborSerializable;
import com.welcomedly.dialer.engine.campaign.Disposition;
import com.welcomedly.dialer.engine.compliance.DialCompliance;
import com.welcomedly.dialer.engine.compliance.DialPolicy;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One contact of a campaign. Only the lead decides whether it may be dialed now: the dialer asks
 * with {@link ReserveForDial} (the lock) and the lead refuses with the precise reason. Campaign
 * rules arrive inside the commands that need them, so the lead never asks its campaign. Rules live
 * in {@link LeadState}; this class maps commands to events and timers.
 */
public final class Lead
    extends EventSourcedBehaviorWithEnforcedReplies<Lead.Command, Lead.Event, LeadState> {

  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "Lead");

  public static final List<String> TAGS = List.of("lead-0", "lead-1", "lead-2", "lead-3", "lead-4");

  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system)
        .init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), Clock.systemUTC())));
  }

  public static Behavior<Command> create(String leadId, Clock clock) {
    return Behaviors.withTimers(timers -> new Lead(leadId, clock, timers));
  }

  public enum Status {
    NEW,
    QUEUED,
    RESERVED,
    DIALING,
    CONNECTED,
    WRAP_UP,
    CALLBACK,
    DONE,
    DNC,
    EXHAUSTED
  }

  /**
   * How a call ended. COMPLETED: it was connected to an agent and goes to wrap-up. BROADCAST: an
   * AGENTLESS campaign's message reached a person who did not ask for an agent (its disposition
   * says how: played, opted out, hung up, or the message failed).
   */
  public enum CallOutcome {
    BUSY,
    NO_ANSWER,
    FAILED,
    INVALID_NUMBER,
    MACHINE,
    ABANDONED,
    COMPLETED,
    BROADCAST
  }

  public enum DncSource {
    DISPOSITION,
    API,
    SAFE_HARBOR_OPT_OUT,
    /** The callee pressed the opt-out key during an AGENTLESS campaign's message. */
    KEYPRESS_OPT_OUT
  }

  /** How the safe-harbor message of an abandoned call went. */
  public enum SafeHarborResult {
    /** Played to the end, no opt-out. */
    PLAYED,
    /** Played, and the callee pressed the opt-out key. */
    OPTED_OUT,
    /** The PBX refused to play it (the redirect failed). */
    FAILED
  }

  public record PhoneNumber(String e164, boolean invalid) implements CborSerializable {}

  public record Dnc(DncSource source, String by, Instant at) implements CborSerializable {}

  // ---- commands ----
  public sealed interface Command extends CborSerializable {}

  /** A command answered with the lead's {@link Summary}. */
  public sealed interface Change extends Command {
    ActorRef<StatusReply<Summary>> replyTo();
  }

  /** Creates the lead. {@code timezone} may be null: it is then derived from the numbers. */
  public record Import(
      String campaignId,
      List<String> numbers,
      String timezone,
      int priority,
      Map<String, String> customFields,
      ActorRef<StatusReply<Summary>> replyTo)
      implements Change {}

  public record SetTimezone(String timezone, ActorRef<StatusReply<Summary>> replyTo)
      implements Change {}

  /**
   * The lock: the dialer may dial this lead for {@code attemptId} only after a success reply.
   * {@code agentId} names the agent the call is for (preview, agent-only callback), or null.
   */
  public record ReserveForDial(
      String attemptId,
      DialPolicy policy,
      String agentId,
      ActorRef<StatusReply<Reservation>> replyTo)
      implements Command {}

  /**
   * Originate accepted; {@code resultTimeout} is how long to wait for answer or end. {@code
   * ringTimeout} is the ring time the Originate asked the PBX for (evidence of the ring-time
   * floor), or null when unknown (a call adopted from an earlier dialer).
   */
  public record MarkDialing(
      String attemptId,
      Duration resultTimeout,
      Duration ringTimeout,
      ActorRef<StatusReply<Summary>> replyTo)
      implements Change {
    public MarkDialing(
        String attemptId, Duration resultTimeout, ActorRef<StatusReply<Summary>> replyTo) {
      this(attemptId, resultTimeout, null, replyTo);
    }
  }

  public record MarkAnswered(String attemptId, ActorRef<StatusReply<Summary>> replyTo)
      implements Change {}

  public record MarkConnected(
      String attemptId, String agentId, ActorRef<StatusReply<Summary>> replyTo) implements Change {}

  /**
   * The call ended. For any outcome but COMPLETED, {@code disposition} is the campaign's system
   * disposition for it (BUSY, NO_ANSWER, MACHINE, DROPPED, FAILED, INVALID_NUMBER) and decides the
   * retry; {@code abandonLockout} applies to ABANDONED.
   */
  public record RecordCallEnd(
      String attemptId,
      CallOutcome outcome,
      Disposition disposition,
      Duration abandonLockout,
      ActorRef<StatusReply<Summary>> replyTo)
      implements Change {}

  /**
   * The agent's (or the wrap-up timeout's) disposition. {@code callbackAt} is the customer's local
   * time, required by callback dispositions; {@code callbackAgentOnly} keeps it for {@code agentId}
   * until {@code callbackFallback} past its time (ZERO: forever).
   */
  public record RecordDisposition(
      String attemptId,
      String agentId,
      Disposition disposition,
      String notes,
      LocalDateTime callbackAt,
      boolean callbackAgentOnly,
      Duration callbackFallback,
      boolean byTimeout,
      ActorRef<StatusReply<Summary>> replyTo)
      implements Change {}

  public record ReleaseReservation(
      String attemptId, String reason, ActorRef<StatusReply<Summary>> replyTo) implements Change {}

  public record MarkDnc(DncSource source, String by, ActorRef<StatusReply<Summary>> replyTo)
      implements Change {}

  /** A callback set outside a call (API). {@code agentId} null: anyone may take it. */
  public record ScheduleCallback(
      LocalDateTime localTime,
      String agentId,
      Duration callbackFallback,
      String by,
      ActorRef<StatusReply<Summary>> replyTo)
      implements Change {}

  /**
   * Evidence of an abandoned call's safe-harbor message: {@code startedAt} is when the dialer sent
   * the call to the message. Accepted for an answered attempt of this lead, whatever its status.
   */
  public record RecordSafeHarbor(
      String attemptId,
      SafeHarborResult result,
      Instant startedAt,
      ActorRef<StatusReply<Summary>> replyTo)
      implements Change {}

  /**
   * Stores the call summary of a dispositioned attempt. Idempotent: an attempt already summarized
   * answers success and keeps its first summary (the summary relay is at-least-once).
   */
  public record RecordSummary(
      String attemptId, String summary, String summarizer, ActorRef<StatusReply<Summary>> replyTo)
      implements Change {}

  public record GetSummary(ActorRef<Summary> replyTo) implements Command {}

  private record ReservationTimedOut(String attemptId) implements Command {}

  private record CallbackFallbackDue(String agentId) implements Command {}

  // ---- replies ----
  public record Reservation(
      String leadId,
      String campaignId,
      String attemptId,
      String number,
      String timezone,
      Instant expiresAt)
      implements CborSerializable {}

  public record Summary(
      String leadId,
      String campaignId,
      Status status,
      List<PhoneNumber> numbers,
      String timezone,
      int priority,
      Map<String, String> customFields,
      List<Attempt> attempts,
      Instant nextAttemptAt,
      Callback callback,
      Dnc dnc,
      String finalDisposition,
      String notDialableReason)
      implements CborSerializable {}

  // ---- events ----
  public sealed interface Event extends CborSerializable {
    String leadId();

    Instant at();
  }

  public record Imported(
      String leadId,
      String campaignId,
      List<PhoneNumber> numbers,
      String timezone,
      int priority,
      Map<String, String> customFields,
      String notDialableReason,
      Instant at)
      implements Event {}

  public record TimezoneChanged(
      String leadId, String campaignId, String oldTimezone, String newTimezone, Instant at)
      implements Event {}

  public record Reserved(
      String leadId,
      String campaignId,
      String attemptId,
      String number,
      String agentId,
      Instant expiresAt,
      Instant at)
      implements Event {}

  /** A reservation ended without a call result; {@code expired} when the timer did it. */
  public record ReservationReleased(
      String leadId,
      String campaignId,
      String attemptId,
      String reason,
      boolean expired,
      Status newStatus,
      Instant at)
      implements Event {}

  /** {@code ringTimeout}: the Originate's ring time; null in events older than the field. */
  public record DialStarted(
      String leadId,
      String campaignId,
      String attemptId,
      Instant resultDeadline,
      Duration ringTimeout,
      Instant at)
      implements Event {
    public DialStarted(
        String leadId, String campaignId, String attemptId, Instant resultDeadline, Instant at) {
      this(leadId, campaignId, attemptId, resultDeadline, null, at);
    }
  }

  public record CallAnswered(String leadId, String campaignId, String attemptId, Instant at)
      implements Event {}

  public record AgentConnected(
      String leadId, String campaignId, String attemptId, String agentId, Instant at)
      implements Event {}

  public record CallEnded(
      String leadId,
      String campaignId,
      String attemptId,
      CallOutcome outcome,
      String dispositionCode,
      Status newStatus,
      Instant nextAttemptAt,
      Instant at)
      implements Event {}

  public record DispositionRecorded(
      String leadId,
      String campaignId,
      String attemptId,
      String agentId,
      String dispositionCode,
      Disposition.Category category,
      String notes,
      boolean byTimeout,
      Status newStatus,
      Instant nextAttemptAt,
      Callback callback,
      Instant at)
      implements Event {}

  public record MarkedDnc(
      String leadId, String campaignId, DncSource source, String by, Status oldStatus, Instant at)
      implements Event {}

  public record CallbackScheduled(
      String leadId, String campaignId, Callback callback, String by, Instant at)
      implements Event {}

  public record CallbackOpenedToAnyone(
      String leadId, String campaignId, String formerAgentId, Instant at) implements Event {}

  /**
   * A reservation refused by a regulatory rule (the lead's own lifecycle refusals are not
   * persisted). Evidence for the compliance report; {@code retryAt} tells the hopper when to offer
   * the lead again. The lead's state does not change.
   */
  public record DialRefused(
      String leadId,
      String campaignId,
      String attemptId,
      DialCompliance.Rule rule,
      String reason,
      Instant retryAt,
      Instant at)
      implements Event {}

  /** The safe-harbor message of an abandoned call: played, opted out or failed. */
  public record SafeHarborPlayed(
      String leadId,
      String campaignId,
      String attemptId,
      SafeHarborResult result,
      Instant startedAt,
      Instant at)
      implements Event {}

  /** The call summary of an attempt (see {@code engine.summary}); {@code summarizer} names who. */
  public record AttemptSummarized(
      String leadId,
      String campaignId,
      String attemptId,
      String summary,
      String summarizer,
      Instant at)
      implements Event {}

  private static final String RESERVATION_TIMER = "reservation";
  private static final String CALLBACK_TIMER = "callback-fallback";

  private final String leadId;
  private final Clock clock;
  private final TimerScheduler<Command> timers;

  private Lead(String leadId, Clock clock, TimerScheduler<Command> timers) {
    super(
        PersistenceId.of(ENTITY_KEY.name(), leadId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1));
    this.leadId = leadId;
    this.clock = clock;
    this.timers = timers;
  }

  @Override
  public LeadState emptyState() {
    return LeadState.EMPTY;
  }

  @Override
  public CommandHandlerWithReply<Command, Event, LeadState> commandHandler() {
    var notImported =
        newCommandHandlerWithReplyBuilder()
            .forState(s -> !s.exists())
            .onCommand(Import.class, this::onImport)
            .onCommand(GetSummary.class, this::onGetSummary)
            .onCommand(
                ReserveForDial.class,
                (s, c) -> Effect().reply(c.replyTo(), StatusReply.error(notFound())))
            .onCommand(Change.class, (s, c) -> reject(c.replyTo(), notFound()));
    var imported =
        newCommandHandlerWithReplyBuilder()
            .forAnyState()
            .onCommand(Import.class, (s, c) -> reject(c.replyTo(), "lead " + leadId + " exists"))
            .onCommand(SetTimezone.class, this::onSetTimezone)
            .onCommand(ReserveForDial.class, this::onReserve)
            .onCommand(MarkDialing.class, this::onMarkDialing)
            .onCommand(MarkAnswered.class, this::onMarkAnswered)
            .onCommand(MarkConnected.class, this::onMarkConnected)
            .onCommand(RecordCallEnd.class, this::onRecordCallEnd)
            .onCommand(RecordDisposition.class, this::onRecordDisposition)
            .onCommand(ReleaseReservation.class, this::onRelease)
            .onCommand(MarkDnc.class, this::onMarkDnc)
            .onCommand(ScheduleCallback.class, this::onScheduleCallback)
            .onCommand(RecordSafeHarbor.class, this::onRecordSafeHarbor)
            .onCommand(RecordSummary.class, this::onRecordSummary)
            .onCommand(GetSummary.class, this::onGetSummary)
            .onCommand(ReservationTimedOut.class, this::onReservationTimedOut)
            .onCommand(CallbackFallbackDue.class, this::onCallbackFallbackDue);
    return notImported.orElse(imported).build();
  }

  private String notFound() {
    return "lead " + leadId + " does not exist";
  }

  private ReplyEffect<Event, LeadState> onImport(LeadState s, Import cmd) {
    if (cmd.campaignId() == null || cmd.numbers() == null || cmd.numbers().isEmpty()) {
      return reject(cmd.replyTo(), "a lead needs a campaign and at least one phone number");
    }
    List<PhoneNumber> numbers = new ArrayList<>();
    for (String raw : cmd.numbers()) {
      Optional<String> e164 = PhoneNumbers.toE164(raw);
      if (e164.isEmpty()) {
        return reject(cmd.replyTo(), "not a valid E.164 number: " + mask(raw));
      }
      if (numbers.stream().noneMatch(n -> n.e164().equals(e164.get()))) {
        numbers.add(new PhoneNumber(e164.get(), false));
      }
    }
    String timezone = cmd.timezone();
    if (timezone != null && !validZone(timezone)) {
      return reject(cmd.replyTo(), "unknown IANA timezone: " + timezone);
    }
    if (timezone == null) {
      timezone = PhoneNumbers.timezoneOf(numbers.get(0).e164()).orElse(null);
    }
    String notDialable =
        timezone == null
            ? "no timezone given and the number's prefix does not map to exactly one zone"
            : null;
    Map<String, String> fields = cmd.customFields() == null ? Map.of() : cmd.customFields();
    return persist(
        new Imported(
            leadId,
            cmd.campaignId(),
            numbers,
            timezone,
            cmd.priority(),
            fields,
            notDialable,
            now()),
        cmd.replyTo());
  }

  private ReplyEffect<Event, LeadState> onSetTimezone(LeadState s, SetTimezone cmd) {
    if (cmd.timezone() == null || !validZone(cmd.timezone())) {
      return reject(cmd.replyTo(), "unknown IANA timezone: " + cmd.timezone());
    }
    return persist(
        new TimezoneChanged(leadId, s.campaignId(), s.timezone(), cmd.timezone(), now()),
        cmd.replyTo());
  }

  private ReplyEffect<Event, LeadState> onReserve(LeadState s, ReserveForDial cmd) {
    Instant now = now();
    if (cmd.attemptId() == null || cmd.policy() == null) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("attemptId and policy are required"));
    }
    Optional<DialCompliance.Refusal> refusal =
        s.refusalToReserve(cmd.attemptId(), cmd.policy(), cmd.agentId(), now);
    if (refusal.isPresent()) {
      DialCompliance.Refusal r = refusal.get();
      if (r.rule() == null || s.repeats(r)) {
        return Effect().reply(cmd.replyTo(), StatusReply.error(r.reason()));
      }
      return Effect()
          .persist(
              new DialRefused(
                  leadId, s.campaignId(), cmd.attemptId(), r.rule(), r.reason(), r.retryAt(), now))
          .thenReply(cmd.replyTo(), ns -> StatusReply.error(r.reason()));
    }
    Instant expiresAt = now.plus(cmd.policy().reservationTimeout());
    String number = s.nextNumber(cmd.policy().numberRotation());
    return Effect()
        .persist(
            new Reserved(
                leadId, s.campaignId(), cmd.attemptId(), number, cmd.agentId(), expiresAt, now))
        .thenRun(
            ns ->
                timers.startSingleTimer(
                    RESERVATION_TIMER,
                    new ReservationTimedOut(cmd.attemptId()),
                    cmd.policy().reservationTimeout()))
        .thenReply(
            cmd.replyTo(),
            ns ->
                StatusReply.success(
                    new Reservation(
                        leadId, s.campaignId(), cmd.attemptId(), number, s.timezone(), expiresAt)));
  }

  private ReplyEffect<Event, LeadState> onMarkDialing(LeadState s, MarkDialing cmd) {
    if (s.stepRecorded(cmd.attemptId(), a -> a.dialedAt() != null)) {
      return alreadyDone(s, cmd.replyTo());
    }
    Optional<String> wrong = s.wrongStep(cmd.attemptId(), Status.RESERVED);
    if (wrong.isPresent()) {
      return reject(cmd.replyTo(), wrong.get());
    }
    Duration timeout = cmd.resultTimeout() == null ? Duration.ofMinutes(2) : cmd.resultTimeout();
    Instant now = now();
    return Effect()
        .persist(
            new DialStarted(
                leadId, s.campaignId(), cmd.attemptId(), now.plus(timeout), cmd.ringTimeout(), now))
        .thenRun(
            ns ->
                timers.startSingleTimer(
                    RESERVATION_TIMER, new ReservationTimedOut(cmd.attemptId()), timeout))
        .thenReply(cmd.replyTo(), ns -> StatusReply.success(ns.toSummary(leadId)));
  }

  private ReplyEffect<Event, LeadState> onMarkAnswered(LeadState s, MarkAnswered cmd) {
    if (s.stepRecorded(cmd.attemptId(), a -> a.answeredAt() != null)) {
      return alreadyDone(s, cmd.replyTo());
    }
    Optional<String> wrong = s.wrongStep(cmd.attemptId(), Status.DIALING);
    if (wrong.isPresent()) {
      return reject(cmd.replyTo(), wrong.get());
    }
    // A live call is in progress: only its end may release the lead now.
    timers.cancel(RESERVATION_TIMER);
    return persist(new CallAnswered(leadId, s.campaignId(), cmd.attemptId(), now()), cmd.replyTo());
  }

  private ReplyEffect<Event, LeadState> onMarkConnected(LeadState s, MarkConnected cmd) {
    if (s.stepRecorded(cmd.attemptId(), a -> a.connectedAt() != null)) {
      return alreadyDone(s, cmd.replyTo());
    }
    Optional<String> wrong = s.wrongStep(cmd.attemptId(), Status.DIALING);
    if (wrong.isPresent()) {
      return reject(cmd.replyTo(), wrong.get());
    }
    if (cmd.agentId() == null) {
      return reject(cmd.replyTo(), "agentId is required");
    }
    timers.cancel(RESERVATION_TIMER);
    return persist(
        new AgentConnected(leadId, s.campaignId(), cmd.attemptId(), cmd.agentId(), now()),
        cmd.replyTo());
  }

  private ReplyEffect<Event, LeadState> onRecordCallEnd(LeadState s, RecordCallEnd cmd) {
    if (s.stepRecorded(cmd.attemptId(), a -> a.endedAt() != null && a.outcome() == cmd.outcome())) {
      return alreadyDone(s, cmd.replyTo());
    }
    boolean connected = cmd.outcome() == CallOutcome.COMPLETED;
    Optional<String> wrong =
        s.wrongStep(cmd.attemptId(), connected ? Status.CONNECTED : Status.DIALING);
    if (wrong.isPresent()) {
      return reject(cmd.replyTo(), wrong.get());
    }
    if (!connected && cmd.disposition() == null) {
      return reject(cmd.replyTo(), "a " + cmd.outcome() + " call end needs its disposition");
    }
    timers.cancel(RESERVATION_TIMER);
    Instant now = now();
    LeadState.Resolution next =
        connected
            ? new LeadState.Resolution(Status.WRAP_UP, null, null)
            : s.resolveCallEnd(cmd.outcome(), cmd.disposition(), cmd.abandonLockout(), now);
    return persist(
        new CallEnded(
            leadId,
            s.campaignId(),
            cmd.attemptId(),
            cmd.outcome(),
            connected ? null : cmd.disposition().code(),
            next.status(),
            next.nextAttemptAt(),
            now),
        cmd.replyTo());
  }

  private ReplyEffect<Event, LeadState> onRecordDisposition(LeadState s, RecordDisposition cmd) {
    Optional<String> wrong = s.wrongStep(cmd.attemptId(), Status.WRAP_UP);
    if (wrong.isPresent()) {
      return reject(cmd.replyTo(), wrong.get());
    }
    if (cmd.disposition() == null) {
      return reject(cmd.replyTo(), "a disposition is required");
    }
    Instant now = now();
    Callback callback = null;
    if (cmd.disposition().callback() && !cmd.disposition().dnc() && s.dnc() == null) {
      if (cmd.callbackAt() == null) {
        return reject(cmd.replyTo(), "disposition " + cmd.disposition().code() + " needs a time");
      }
      callback =
          s.callbackAt(
              cmd.callbackAt(),
              cmd.callbackAgentOnly() ? cmd.agentId() : null,
              cmd.callbackFallback());
      if (!callback.dueAt().isAfter(now)) {
        return reject(cmd.replyTo(), "callback time " + cmd.callbackAt() + " is in the past");
      }
    }
    LeadState.Resolution next = s.resolveDisposition(cmd.disposition(), callback, now);
    Callback scheduled = callback;
    return Effect()
        .persist(
            new DispositionRecorded(
                leadId,
                s.campaignId(),
                cmd.attemptId(),
                cmd.agentId(),
                cmd.disposition().code(),
                cmd.disposition().category(),
                cmd.notes(),
                cmd.byTimeout(),
                next.status(),
                next.nextAttemptAt(),
                next.callback(),
                now))
        .thenRun(ns -> startCallbackFallback(ns.callback(), now))
        .thenReply(cmd.replyTo(), ns -> StatusReply.success(ns.toSummary(leadId)));
  }

  private ReplyEffect<Event, LeadState> onRelease(LeadState s, ReleaseReservation cmd) {
    Optional<String> wrong = s.wrongStep(cmd.attemptId(), Status.RESERVED);
    if (wrong.isPresent()) {
      return reject(cmd.replyTo(), wrong.get());
    }
    timers.cancel(RESERVATION_TIMER);
    return persist(
        new ReservationReleased(
            leadId,
            s.campaignId(),
            cmd.attemptId(),
            cmd.reason(),
            false,
            s.statusAfterRelease(),
            now()),
        cmd.replyTo());
  }

  private ReplyEffect<Event, LeadState> onReservationTimedOut(
      LeadState s, ReservationTimedOut msg) {
    boolean stillWaiting =
        msg.attemptId().equals(s.activeAttemptId())
            && (s.status() == Status.RESERVED
                || (s.status() == Status.DIALING && s.activeAttempt().answeredAt() == null));
    if (!stillWaiting) {
      return Effect().noReply();
    }
    String reason =
        s.status() == Status.RESERVED
            ? "reservation expired: the dial never started"
            : "no dial result in time";
    return Effect()
        .persist(
            new ReservationReleased(
                leadId,
                s.campaignId(),
                msg.attemptId(),
                reason,
                true,
                s.statusAfterRelease(),
                now()))
        .thenNoReply();
  }

  private ReplyEffect<Event, LeadState> onMarkDnc(LeadState s, MarkDnc cmd) {
    if (cmd.source() == null) {
      return reject(cmd.replyTo(), "a DNC source is required");
    }
    if (s.dnc() != null) {
      return Effect().reply(cmd.replyTo(), StatusReply.success(s.toSummary(leadId)));
    }
    timers.cancel(CALLBACK_TIMER);
    return persist(
        new MarkedDnc(leadId, s.campaignId(), cmd.source(), cmd.by(), s.status(), now()),
        cmd.replyTo());
  }

  private ReplyEffect<Event, LeadState> onScheduleCallback(LeadState s, ScheduleCallback cmd) {
    Optional<String> refusal = s.refusalToScheduleCallback();
    if (refusal.isPresent()) {
      return reject(cmd.replyTo(), refusal.get());
    }
    if (cmd.localTime() == null) {
      return reject(cmd.replyTo(), "a callback needs a time");
    }
    Instant now = now();
    Callback callback = s.callbackAt(cmd.localTime(), cmd.agentId(), cmd.callbackFallback());
    if (!callback.dueAt().isAfter(now)) {
      return reject(cmd.replyTo(), "callback time " + cmd.localTime() + " is in the past");
    }
    return Effect()
        .persist(new CallbackScheduled(leadId, s.campaignId(), callback, cmd.by(), now))
        .thenRun(ns -> startCallbackFallback(callback, now))
        .thenReply(cmd.replyTo(), ns -> StatusReply.success(ns.toSummary(leadId)));
  }

  private ReplyEffect<Event, LeadState> onCallbackFallbackDue(
      LeadState s, CallbackFallbackDue msg) {
    if (s.status() != Status.CALLBACK || s.callback() == null || s.callback().agentId() == null) {
      return Effect().noReply();
    }
    return Effect()
        .persist(new CallbackOpenedToAnyone(leadId, s.campaignId(), s.callback().agentId(), now()))
        .thenNoReply();
  }

  private ReplyEffect<Event, LeadState> onRecordSafeHarbor(LeadState s, RecordSafeHarbor cmd) {
    boolean answered =
        s.attempts().stream()
            .anyMatch(a -> a.attemptId().equals(cmd.attemptId()) && a.answeredAt() != null);
    if (!answered) {
      return reject(cmd.replyTo(), "attempt " + cmd.attemptId() + " was not answered on this lead");
    }
    if (cmd.result() == null) {
      return reject(cmd.replyTo(), "a safe-harbor result is required");
    }
    return persist(
        new SafeHarborPlayed(
            leadId, s.campaignId(), cmd.attemptId(), cmd.result(), cmd.startedAt(), now()),
        cmd.replyTo());
  }

  private ReplyEffect<Event, LeadState> onRecordSummary(LeadState s, RecordSummary cmd) {
    Optional<Attempt> attempt =
        s.attempts().stream().filter(a -> a.attemptId().equals(cmd.attemptId())).findFirst();
    if (attempt.isEmpty() || attempt.get().dispositionCode() == null) {
      return reject(
          cmd.replyTo(), "attempt " + cmd.attemptId() + " has no disposition to summarize");
    }
    if (cmd.summary() == null || cmd.summary().isBlank()) {
      return reject(cmd.replyTo(), "a summary is required");
    }
    if (attempt.get().summary() != null) {
      return Effect().reply(cmd.replyTo(), StatusReply.success(s.toSummary(leadId)));
    }
    return persist(
        new AttemptSummarized(
            leadId, s.campaignId(), cmd.attemptId(), cmd.summary(), cmd.summarizer(), now()),
        cmd.replyTo());
  }

  private ReplyEffect<Event, LeadState> onGetSummary(LeadState s, GetSummary cmd) {
    return Effect().reply(cmd.replyTo(), s.toSummary(leadId));
  }

  private void startCallbackFallback(Callback callback, Instant now) {
    timers.cancel(CALLBACK_TIMER);
    if (callback != null && callback.agentId() != null && callback.fallbackAt() != null) {
      Duration delay = Duration.between(now, callback.fallbackAt());
      timers.startSingleTimer(
          CALLBACK_TIMER,
          new CallbackFallbackDue(callback.agentId()),
          delay.isNegative() ? Duration.ZERO : delay);
    }
  }

  /** A repeated step of an attempt (a retry after a lost reply): success, nothing persisted. */
  private ReplyEffect<Event, LeadState> alreadyDone(
      LeadState s, ActorRef<StatusReply<Summary>> replyTo) {
    return Effect().reply(replyTo, StatusReply.success(s.toSummary(leadId)));
  }

  private ReplyEffect<Event, LeadState> reject(
      ActorRef<StatusReply<Summary>> replyTo, String reason) {
    return Effect().reply(replyTo, StatusReply.error(reason));
  }

  private ReplyEffect<Event, LeadState> persist(
      Event event, ActorRef<StatusReply<Summary>> replyTo) {
    return Effect()
        .persist(event)
        .thenReply(replyTo, s -> StatusReply.success(s.toSummary(leadId)));
  }

  private Instant now() {
    return clock.instant();
  }

  private static boolean validZone(String zone) {
    try {
      ZoneId.of(zone);
      return true;
    } catch (DateTimeException e) {
      return false;
    }
  }

  /** Keeps raw numbers out of error replies that may be logged: country code and last 2 digits. */
  private static String mask(String raw) {
    if (raw == null || raw.length() < 5) {
      return "***";
    }
    return raw.substring(0, 2) + "***" + raw.substring(raw.length() - 2);
  }

  @Override
  public SignalHandler<LeadState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), this::restartTimers)
        .build();
  }

  /** Timers die with the actor: after recovery, re-arm the ones the state still needs. */
  private void restartTimers(LeadState s) {
    Instant now = now();
    if (s.reservationDeadline() != null
        && (s.status() == Status.RESERVED
            || (s.status() == Status.DIALING && s.activeAttempt().answeredAt() == null))) {
      Duration left = Duration.between(now, s.reservationDeadline());
      timers.startSingleTimer(
          RESERVATION_TIMER,
          new ReservationTimedOut(s.activeAttemptId()),
          left.isNegative() ? Duration.ZERO : left);
    }
    if (s.status() == Status.CALLBACK) {
      startCallbackFallback(s.callback(), now);
    }
  }

  @Override
  public EventHandler<LeadState, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(LeadState::apply);
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return Set.of(TAGS.get(Math.abs(leadId.hashCode() % TAGS.size())));
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(100, 3);
  }
}
