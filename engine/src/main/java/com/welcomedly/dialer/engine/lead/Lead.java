package com.welcomedly.dialer.engine.lead;

import com.welcomedly.dialer.engine.CborSerializable;
import com.welcomedly.dialer.engine.campaign.Disposition;
import com.welcomedly.dialer.engine.compliance.DialCompliance;
import com.welcomedly.dialer.engine.compliance.DialPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
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

  /**
   * Where a lead imported in bulk waits for its entity: looked up once when an entity without
   * events starts. {@link #NONE} for entities that are only ever created by {@link Import}.
   */
  public interface IntakeLookup {
    CompletionStage<Optional<Imported>> find(String leadId);

    IntakeLookup NONE = leadId -> CompletableFuture.completedFuture(Optional.empty());
  }

  /**
   * Idle leads passivate after {@code dialer.lead.passivation.idle-timeout}, and at most {@code
   * active-entity-limit} leads per node stay in memory (least recently used go first), so the heap
   * follows the dialing, not the size of the lists.
   */
  public static void init(ActorSystem<?> system, IntakeLookup intake) {
    var config = system.settings().config().getConfig("dialer.lead.passivation");
    var passivation =
        ClusterShardingSettings.PassivationStrategySettings$.MODULE$
            .defaults()
            .withActiveEntityLimit(config.getInt("active-entity-limit"))
            .withLeastRecentlyUsedReplacement()
            .withIdleEntityPassivation(config.getDuration("idle-timeout"));
    ClusterSharding.get(system)
        .init(
            Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), Clock.systemUTC(), intake))
                .withSettings(
                    ClusterShardingSettings.create(system).withPassivationStrategy(passivation)));
  }

  public static Behavior<Command> create(String leadId, Clock clock) {
    return create(leadId, clock, IntakeLookup.NONE);
  }

  public static Behavior<Command> create(String leadId, Clock clock, IntakeLookup intake) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> new Lead(leadId, clock, timers, intake, ctx::pipeToSelf)));
  }

  /** The one thing the lead needs from its ActorContext: an answer delivered as a command. */
  private interface Piping {
    void pipe(
        CompletionStage<Optional<Imported>> stage,
        org.apache.pekko.japi.function.Function2<Optional<Imported>, Throwable, Command> adapt);
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

  /**
   * An agent is bridged to the call. {@code late}: the bridge came after the campaign's connect
   * deadline, so the call is an abandon under the regulators' definition although an agent talks to
   * the caller (SafeHarborTiming.late); the read models count it so.
   */
  public record MarkConnected(
      String attemptId, String agentId, boolean late, ActorRef<StatusReply<Summary>> replyTo)
      implements Change {
    public MarkConnected(String attemptId, String agentId, ActorRef<StatusReply<Summary>> replyTo) {
      this(attemptId, agentId, false, replyTo);
    }
  }

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

  /** Node-local answer of the {@link IntakeLookup}: never sent over the wire. */
  private record IntakeLooked(Optional<Imported> imported, Throwable failure) implements Command {}

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

  /**
   * {@code late}: bridged after the connect deadline, an abandon for the abandon-rate ledger and
   * the compliance report (see {@link MarkConnected}); false in events older than the field.
   */
  public record AgentConnected(
      String leadId, String campaignId, String attemptId, String agentId, boolean late, Instant at)
      implements Event {
    public AgentConnected(
        String leadId, String campaignId, String attemptId, String agentId, Instant at) {
      this(leadId, campaignId, attemptId, agentId, false, at);
    }
  }

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
  private final IntakeLookup intake;
  private final Piping piping;

  /** True from the start of an entity without events until the intake lookup answers. */
  private boolean intakePending;

  private Lead(
      String leadId,
      Clock clock,
      TimerScheduler<Command> timers,
      IntakeLookup intake,
      Piping piping) {
    super(
        PersistenceId.of(ENTITY_KEY.name(), leadId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1));
    this.leadId = leadId;
    this.clock = clock;
    this.timers = timers;
    this.intake = intake;
    this.piping = piping;
  }

  @Override
  public LeadState emptyState() {
    return LeadState.EMPTY;
  }

  @Override
  public CommandHandlerWithReply<Command, Event, LeadState> commandHandler() {
    var lookingUp =
        newCommandHandlerWithReplyBuilder()
            .forState(s -> intakePending)
            .onCommand(IntakeLooked.class, this::onIntakeLooked)
            .onCommand(Command.class, this::whileLooking);
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
            .onCommand(CallbackFallbackDue.class, this::onCallbackFallbackDue)
            .onCommand(IntakeLooked.class, (s, c) -> Effect().noReply());
    return lookingUp.orElse(notImported).orElse(imported).build();
  }

  private String notFound() {
    return "lead " + leadId + " does not exist";
  }

  private ReplyEffect<Event, LeadState> onImport(LeadState s, Import cmd) {
    LeadIntake.Admission admission =
        LeadIntake.admit(
            leadId,
            cmd.campaignId(),
            cmd.numbers(),
            cmd.timezone(),
            cmd.priority(),
            cmd.customFields(),
            now());
    if (!admission.admitted()) {
      return reject(cmd.replyTo(), admission.refusal());
    }
    return persist(admission.imported(), cmd.replyTo());
  }

  /**
   * The answer to the intake lookup started at recovery: a lead imported in bulk persists its
   * Imported event (with the import's time) before any command sees it, so its journal begins with
   * the import exactly as if the command path had created it. Either way the waiting commands run.
   */
  private ReplyEffect<Event, LeadState> onIntakeLooked(LeadState s, IntakeLooked msg) {
    if (msg.failure() != null) {
      // The database did not answer: restart (with backoff) and look again; the askers retry.
      throw new IllegalStateException(
          "lead " + leadId + ": the bulk-import lookup failed", msg.failure());
    }
    intakePending = false;
    if (msg.imported().isEmpty()) {
      return Effect().noReply().thenUnstashAll();
    }
    return Effect().persist(msg.imported().get()).thenNoReply().thenUnstashAll();
  }

  /** Commands before the intake lookup has answered wait for it (stashed, bounded by Pekko). */
  private ReplyEffect<Event, LeadState> whileLooking(LeadState s, Command cmd) {
    return Effect().stash();
  }

  private ReplyEffect<Event, LeadState> onSetTimezone(LeadState s, SetTimezone cmd) {
    if (cmd.timezone() == null || !LeadIntake.validZone(cmd.timezone())) {
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
        new AgentConnected(
            leadId, s.campaignId(), cmd.attemptId(), cmd.agentId(), cmd.late(), now()),
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

  @Override
  public SignalHandler<LeadState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), this::onRecovered)
        .build();
  }

  private void onRecovered(LeadState s) {
    if (!s.exists() && intake != IntakeLookup.NONE) {
      intakePending = true;
      piping.pipe(intake.find(leadId), IntakeLooked::new);
    }
    restartTimers(s);
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
