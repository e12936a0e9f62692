package com.welcomedly.dialer.engine.agent;

import com.welcomedly.dialer.engine.CborSerializable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EffectBuilder;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * An agent: {@code LOGGED_OUT -> READY <-> PAUSED(reason); READY -> RESERVED -> ON_CALL -> WRAP_UP
 * -> READY} (or PAUSED when they asked to pause during the call). Wrap-up and heartbeat have
 * timers; every event names the call (attempt, lead, campaign) so the dialer and projections can
 * act on it without asking. Rules and time accounting live in {@link AgentState}.
 */
public final class Agent
    extends EventSourcedBehaviorWithEnforcedReplies<Agent.Command, Agent.Event, AgentState> {

  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "Agent");

  public static final List<String> TAGS =
      List.of("agent-0", "agent-1", "agent-2", "agent-3", "agent-4");

  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system)
        .init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), Clock.systemUTC())));
  }

  public static Behavior<Command> create(String agentId, Clock clock) {
    return Behaviors.setup(
        ctx -> Behaviors.withTimers(timers -> new Agent(agentId, clock, timers, ctx)));
  }

  public enum Status {
    LOGGED_OUT,
    READY,
    PAUSED,
    RESERVED,
    ON_CALL,
    WRAP_UP
  }

  public enum PauseReason {
    BREAK,
    LUNCH,
    TRAINING,
    MEETING,
    PERSONAL,
    TECHNICAL,
    DISCONNECTED
  }

  /** The call an agent is reserved for or on. */
  public record CallRef(String attemptId, String leadId, String campaignId)
      implements CborSerializable {}

  /** What happens when wrap-up runs out: the campaign's timeout and timeout disposition. */
  public record WrapUpPolicy(Duration timeout, String timeoutDisposition)
      implements CborSerializable {}

  // ---- commands ----
  public sealed interface Command extends CborSerializable {}

  /** A command answered with the agent's {@link Summary}. */
  public sealed interface Change extends Command {
    ActorRef<StatusReply<Summary>> replyTo();
  }

  /** Creates or edits the agent: name, phone endpoint (dial string), campaigns. */
  public record Configure(
      String displayName,
      String phoneEndpoint,
      Set<String> campaigns,
      String by,
      ActorRef<StatusReply<Summary>> replyTo)
      implements Change {}

  /**
   * Like {@link Configure}, but only for an agent that does not exist yet: the entity decides, so
   * of concurrent creations of one id exactly one succeeds and the others are refused.
   */
  public record Create(
      String displayName,
      String phoneEndpoint,
      Set<String> campaigns,
      String by,
      ActorRef<StatusReply<Summary>> replyTo)
      implements Change {}

  /** Starts a session; without a {@link Heartbeat} within {@code heartbeatTimeout} it pauses. */
  public record LogIn(Duration heartbeatTimeout, ActorRef<StatusReply<Summary>> replyTo)
      implements Change {}

  public record LogOut(ActorRef<StatusReply<Summary>> replyTo) implements Change {}

  public record Ready(ActorRef<StatusReply<Summary>> replyTo) implements Change {}

  /** Pauses now when READY/PAUSED; during a call, pauses once the wrap-up is done. */
  public record Pause(PauseReason reason, ActorRef<StatusReply<Summary>> replyTo)
      implements Change {}

  public record Heartbeat(ActorRef<StatusReply<Summary>> replyTo) implements Change {}

  /** The dialer reserves a READY agent for an answered (or about to be answered) call. */
  public record Reserve(CallRef call, WrapUpPolicy wrapUp, ActorRef<StatusReply<Summary>> replyTo)
      implements Change {}

  /**
   * Bridge first, record after (docs/state-machines.md): the dialer chose this agent from its own
   * view and already sent the bridge to the PBX; this records the reservation. Accepted while
   * READY, and while PAUSED for at most {@link #BRIDGED_PAUSE_GRACE} (the pause crossed the
   * dialer's choice: the call is the agent's, the pause applies after its wrap-up, as a pause asked
   * during a call does). A repeat for the call the agent already holds is a success.
   */
  public record ReserveBridged(
      CallRef call, WrapUpPolicy wrapUp, ActorRef<StatusReply<Summary>> replyTo)
      implements Change {}

  public record CancelReservation(
      String attemptId, String reason, ActorRef<StatusReply<Summary>> replyTo) implements Change {}

  public record ConnectCall(String attemptId, ActorRef<StatusReply<Summary>> replyTo)
      implements Change {}

  public record EndCall(String attemptId, ActorRef<StatusReply<Summary>> replyTo)
      implements Change {}

  /**
   * The agent's result for the call in wrap-up. {@code callbackAt} (the customer's local time) and
   * {@code callbackAgentOnly} matter only for a callback disposition; the lead validates them.
   */
  public record SubmitDisposition(
      String attemptId,
      String dispositionCode,
      String notes,
      LocalDateTime callbackAt,
      boolean callbackAgentOnly,
      ActorRef<StatusReply<Summary>> replyTo)
      implements Change {}

  public record GetSummary(ActorRef<Summary> replyTo) implements Command {}

  /**
   * The current state with the sequence number of the last event applied to it: a live feed shows
   * this state, then follows the journal from the next sequence number without a gap or overlap.
   */
  public record GetPosition(ActorRef<Position> replyTo) implements Command {}

  /** The agent's summary with its journal position ({@link Changed}), for a dialer's re-read. */
  public record GetChange(ActorRef<Changed> replyTo) implements Command {}

  private record WrapUpTimedOut(String attemptId) implements Command {}

  private record HeartbeatMissed(String sessionId) implements Command {}

  // ---- replies ----
  public record Summary(
      String agentId,
      String displayName,
      String phoneEndpoint,
      Set<String> campaigns,
      Status status,
      PauseReason pauseReason,
      PauseReason pauseAfterCall,
      CallRef call,
      Instant wrapUpDeadline,
      Instant statusSince,
      Session session)
      implements CborSerializable {}

  /**
   * The agent after a stored change, pushed to its campaigns' dialers ({@link AgentChanges}) and
   * the reply to {@link GetChange}: of two views the one with the higher {@code sequenceNr} is
   * newer (pushes and re-reads travel different ways and may cross).
   */
  public record Changed(Summary summary, long sequenceNr) implements CborSerializable {}

  /** Reply to {@link GetPosition}; {@code sequenceNr} is 0 for an agent without events. */
  public record Position(AgentState state, long sequenceNr) implements CborSerializable {}

  // ---- events ----
  public sealed interface Event extends CborSerializable {
    String agentId();

    Instant at();
  }

  public record Configured(
      String agentId,
      String oldDisplayName,
      String newDisplayName,
      String oldPhoneEndpoint,
      String newPhoneEndpoint,
      Set<String> oldCampaigns,
      Set<String> newCampaigns,
      String by,
      Instant at)
      implements Event {}

  public record LoggedIn(
      String agentId,
      String sessionId,
      String phoneEndpoint,
      Set<String> campaigns,
      Duration heartbeatTimeout,
      Instant at)
      implements Event {}

  /** {@code session} holds the closed session's time per state and pause reason. */
  public record LoggedOut(String agentId, Status oldStatus, Session session, Instant at)
      implements Event {}

  public record BecameReady(String agentId, PauseReason endedPause, Instant at) implements Event {}

  public record Paused(String agentId, Status oldStatus, PauseReason reason, Instant at)
      implements Event {}

  public record PauseRequested(String agentId, Status status, PauseReason reason, Instant at)
      implements Event {}

  public record Reserved(String agentId, CallRef call, WrapUpPolicy wrapUp, Instant at)
      implements Event {}

  public record ReservationCancelled(
      String agentId,
      CallRef call,
      String reason,
      Status newStatus,
      PauseReason pauseReason,
      Instant at)
      implements Event {}

  public record CallConnected(String agentId, CallRef call, String phoneEndpoint, Instant at)
      implements Event {}

  public record CallEnded(String agentId, CallRef call, Instant wrapUpDeadline, Instant at)
      implements Event {}

  /**
   * Wrap-up is over, by the agent's disposition or by the timeout (then {@code dispositionCode} is
   * the campaign's timeout disposition): the dialer applies it to the lead.
   */
  public record WrapUpCompleted(
      String agentId,
      CallRef call,
      String dispositionCode,
      String notes,
      LocalDateTime callbackAt,
      boolean callbackAgentOnly,
      boolean byTimeout,
      Status newStatus,
      PauseReason pauseReason,
      Instant at)
      implements Event {}

  /**
   * The client went silent. READY/PAUSED/RESERVED agents pause as DISCONNECTED at once ({@code
   * releasedCall} is the reservation given back to the dialer); during a call the pause waits for
   * the wrap-up so the call is never cut.
   */
  public record HeartbeatLost(
      String agentId, Status oldStatus, Status newStatus, CallRef releasedCall, Instant at)
      implements Event {}

  /**
   * How long after pausing an agent still takes a call the dialer bridged first: the dialer's view
   * lags the agent by the pause's journal write and its push (milliseconds, up to about a second on
   * a loaded node); a pause older than this means the dialer's view was wrong, not late.
   */
  public static final Duration BRIDGED_PAUSE_GRACE = Duration.ofSeconds(5);

  private static final String WRAP_UP_TIMER = "wrap-up";
  private static final String HEARTBEAT_TIMER = "heartbeat";

  private final String agentId;
  private final Clock clock;
  private final TimerScheduler<Command> timers;
  private final ActorContext<Command> context;

  private Agent(
      String agentId, Clock clock, TimerScheduler<Command> timers, ActorContext<Command> context) {
    super(
        PersistenceId.of(ENTITY_KEY.name(), agentId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1));
    this.agentId = agentId;
    this.clock = clock;
    this.timers = timers;
    this.context = context;
  }

  @Override
  public AgentState emptyState() {
    return AgentState.EMPTY;
  }

  @Override
  public CommandHandlerWithReply<Command, Event, AgentState> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Configure.class, this::onConfigure)
        .onCommand(Create.class, this::onCreate)
        .onCommand(LogIn.class, this::onLogIn)
        .onCommand(LogOut.class, this::onLogOut)
        .onCommand(Ready.class, this::onReady)
        .onCommand(Pause.class, this::onPause)
        .onCommand(Heartbeat.class, this::onHeartbeat)
        .onCommand(Reserve.class, this::onReserve)
        .onCommand(ReserveBridged.class, this::onReserveBridged)
        .onCommand(CancelReservation.class, this::onCancelReservation)
        .onCommand(ConnectCall.class, this::onConnectCall)
        .onCommand(EndCall.class, this::onEndCall)
        .onCommand(SubmitDisposition.class, this::onSubmitDisposition)
        .onCommand(
            GetSummary.class, (s, c) -> Effect().reply(c.replyTo(), s.toSummary(agentId, now())))
        .onCommand(
            GetPosition.class,
            (s, c) -> Effect().reply(c.replyTo(), new Position(s, lastSequenceNumber(context))))
        .onCommand(
            GetChange.class,
            (s, c) ->
                Effect()
                    .reply(
                        c.replyTo(),
                        new Changed(s.toSummary(agentId, now()), lastSequenceNumber(context))))
        .onCommand(WrapUpTimedOut.class, this::onWrapUpTimedOut)
        .onCommand(HeartbeatMissed.class, this::onHeartbeatMissed)
        .build();
  }

  private ReplyEffect<Event, AgentState> onCreate(AgentState s, Create cmd) {
    if (s.phoneEndpoint() != null) {
      return reject(cmd.replyTo(), "agent " + agentId + " already exists");
    }
    return onConfigure(
        s,
        new Configure(
            cmd.displayName(), cmd.phoneEndpoint(), cmd.campaigns(), cmd.by(), cmd.replyTo()));
  }

  private ReplyEffect<Event, AgentState> onConfigure(AgentState s, Configure cmd) {
    if (cmd.phoneEndpoint() == null || cmd.phoneEndpoint().isBlank()) {
      return reject(cmd.replyTo(), "a phone endpoint (dial string) is required");
    }
    if (s.status() == Status.ON_CALL && !cmd.phoneEndpoint().equals(s.phoneEndpoint())) {
      return reject(cmd.replyTo(), "the phone endpoint cannot change during a call");
    }
    Set<String> campaigns = cmd.campaigns() == null ? Set.of() : Set.copyOf(cmd.campaigns());
    return persist(
        s,
        new Configured(
            agentId,
            s.displayName(),
            cmd.displayName(),
            s.phoneEndpoint(),
            cmd.phoneEndpoint(),
            s.campaigns(),
            campaigns,
            cmd.by(),
            now()),
        cmd.replyTo());
  }

  private ReplyEffect<Event, AgentState> onLogIn(AgentState s, LogIn cmd) {
    if (s.phoneEndpoint() == null) {
      return reject(cmd.replyTo(), "agent " + agentId + " is not configured (no phone endpoint)");
    }
    if (s.status() != Status.LOGGED_OUT) {
      return reject(cmd.replyTo(), "agent is already logged in (" + s.status() + ")");
    }
    if (cmd.heartbeatTimeout() == null
        || cmd.heartbeatTimeout().isNegative()
        || cmd.heartbeatTimeout().isZero()) {
      return reject(cmd.replyTo(), "a positive heartbeat timeout is required");
    }
    String sessionId = UUID.randomUUID().toString();
    return observed(
            s,
            new LoggedIn(
                agentId,
                sessionId,
                s.phoneEndpoint(),
                s.campaigns(),
                cmd.heartbeatTimeout(),
                now()))
        .thenRun(this::armHeartbeat)
        .thenReply(cmd.replyTo(), ns -> StatusReply.success(ns.toSummary(agentId, now())));
  }

  private ReplyEffect<Event, AgentState> onLogOut(AgentState s, LogOut cmd) {
    if (s.status() != Status.READY && s.status() != Status.PAUSED) {
      return reject(
          cmd.replyTo(), "cannot log out while " + s.status() + ", finish the call first");
    }
    Instant now = now();
    timers.cancel(HEARTBEAT_TIMER);
    return persist(
        s, new LoggedOut(agentId, s.status(), s.accountedUntil(now), now), cmd.replyTo());
  }

  private ReplyEffect<Event, AgentState> onReady(AgentState s, Ready cmd) {
    if (s.status() != Status.PAUSED) {
      return reject(
          cmd.replyTo(), "only a PAUSED agent can become READY, this one is " + s.status());
    }
    armHeartbeat(s);
    return persist(s, new BecameReady(agentId, s.pauseReason(), now()), cmd.replyTo());
  }

  private ReplyEffect<Event, AgentState> onPause(AgentState s, Pause cmd) {
    if (cmd.reason() == null) {
      return reject(cmd.replyTo(), "a pause reason is required");
    }
    switch (s.status()) {
      case LOGGED_OUT:
        return reject(cmd.replyTo(), "agent is LOGGED_OUT");
      case READY:
      case PAUSED:
        armHeartbeat(s);
        return persist(s, new Paused(agentId, s.status(), cmd.reason(), now()), cmd.replyTo());
      default:
        armHeartbeat(s);
        return persist(
            s, new PauseRequested(agentId, s.status(), cmd.reason(), now()), cmd.replyTo());
    }
  }

  private ReplyEffect<Event, AgentState> onHeartbeat(AgentState s, Heartbeat cmd) {
    if (s.status() == Status.LOGGED_OUT) {
      return reject(cmd.replyTo(), "agent is LOGGED_OUT, log in again");
    }
    armHeartbeat(s);
    return Effect().reply(cmd.replyTo(), StatusReply.success(s.toSummary(agentId, now())));
  }

  private ReplyEffect<Event, AgentState> onReserve(AgentState s, Reserve cmd) {
    if (s.status() != Status.READY) {
      return reject(
          cmd.replyTo(), "agent is " + s.status() + ", only a READY agent can be reserved");
    }
    String problem = reservationProblem(s, cmd.call(), cmd.wrapUp());
    if (problem != null) {
      return reject(cmd.replyTo(), problem);
    }
    return persist(s, new Reserved(agentId, cmd.call(), cmd.wrapUp(), now()), cmd.replyTo());
  }

  private ReplyEffect<Event, AgentState> onReserveBridged(AgentState s, ReserveBridged cmd) {
    if (cmd.call() != null && s.holds(cmd.call().attemptId())) {
      return alreadyDone(s, cmd.replyTo()); // a retry after a lost reply
    }
    if (s.status() != Status.PAUSED) {
      return onReserve(s, new Reserve(cmd.call(), cmd.wrapUp(), cmd.replyTo()));
    }
    Instant now = now();
    if (s.statusSince() == null || s.statusSince().plus(BRIDGED_PAUSE_GRACE).isBefore(now)) {
      return reject(
          cmd.replyTo(),
          "agent is PAUSED since "
              + s.statusSince()
              + ", longer than a bridged call's grace of "
              + BRIDGED_PAUSE_GRACE.toSeconds()
              + " s");
    }
    String problem = reservationProblem(s, cmd.call(), cmd.wrapUp());
    if (problem != null) {
      return reject(cmd.replyTo(), problem);
    }
    // The call was on its way to the agent when the pause landed: the agent takes it, and the
    // pause is kept for after the wrap-up (both facts in the journal, in this order).
    AgentState before = s;
    return Effect()
        .persist(
            List.<Event>of(
                new Reserved(agentId, cmd.call(), cmd.wrapUp(), now),
                new PauseRequested(agentId, Status.RESERVED, s.pauseReason(), now)))
        .thenRun(after -> stored(before, after))
        .thenReply(cmd.replyTo(), ns -> StatusReply.success(ns.toSummary(agentId, now())));
  }

  /** Why a reservation for {@code call} cannot be taken, or null. */
  private static String reservationProblem(AgentState s, CallRef call, WrapUpPolicy wrapUp) {
    if (call == null || wrapUp == null || wrapUp.timeout() == null) {
      return "a call and a wrap-up policy are required";
    }
    if (!s.campaigns().contains(call.campaignId())) {
      return "agent is not assigned to campaign " + call.campaignId();
    }
    return null;
  }

  private ReplyEffect<Event, AgentState> onCancelReservation(AgentState s, CancelReservation cmd) {
    String wrong = s.wrongCall(cmd.attemptId(), Status.RESERVED);
    if (wrong != null) {
      return reject(cmd.replyTo(), wrong);
    }
    return persist(
        s,
        new ReservationCancelled(
            agentId, s.call(), cmd.reason(), s.statusAfterCall(), s.pauseAfterCall(), now()),
        cmd.replyTo());
  }

  private ReplyEffect<Event, AgentState> onConnectCall(AgentState s, ConnectCall cmd) {
    if (s.alreadyPast(cmd.attemptId(), Status.RESERVED)) {
      return alreadyDone(s, cmd.replyTo());
    }
    String wrong = s.wrongCall(cmd.attemptId(), Status.RESERVED);
    if (wrong != null) {
      return reject(cmd.replyTo(), wrong);
    }
    return persist(
        s, new CallConnected(agentId, s.call(), s.phoneEndpoint(), now()), cmd.replyTo());
  }

  private ReplyEffect<Event, AgentState> onEndCall(AgentState s, EndCall cmd) {
    if (s.alreadyPast(cmd.attemptId(), Status.ON_CALL)) {
      return alreadyDone(s, cmd.replyTo());
    }
    String wrong = s.wrongCall(cmd.attemptId(), Status.ON_CALL);
    if (wrong != null) {
      return reject(cmd.replyTo(), wrong);
    }
    Instant now = now();
    Duration timeout = s.wrapUp().timeout();
    return observed(s, new CallEnded(agentId, s.call(), now.plus(timeout), now))
        .thenRun(
            ns ->
                timers.startSingleTimer(
                    WRAP_UP_TIMER, new WrapUpTimedOut(cmd.attemptId()), timeout))
        .thenReply(cmd.replyTo(), ns -> StatusReply.success(ns.toSummary(agentId, now())));
  }

  private ReplyEffect<Event, AgentState> onSubmitDisposition(AgentState s, SubmitDisposition cmd) {
    String wrong = s.wrongCall(cmd.attemptId(), Status.WRAP_UP);
    if (wrong != null) {
      return reject(cmd.replyTo(), wrong);
    }
    if (cmd.dispositionCode() == null || cmd.dispositionCode().isBlank()) {
      return reject(cmd.replyTo(), "a disposition code is required");
    }
    timers.cancel(WRAP_UP_TIMER);
    armHeartbeat(s);
    return persist(
        s,
        new WrapUpCompleted(
            agentId,
            s.call(),
            cmd.dispositionCode(),
            cmd.notes(),
            cmd.callbackAt(),
            cmd.callbackAgentOnly(),
            false,
            s.statusAfterCall(),
            s.pauseAfterCall(),
            now()),
        cmd.replyTo());
  }

  private ReplyEffect<Event, AgentState> onWrapUpTimedOut(AgentState s, WrapUpTimedOut msg) {
    if (s.wrongCall(msg.attemptId(), Status.WRAP_UP) != null) {
      return Effect().noReply();
    }
    return observed(
            s,
            new WrapUpCompleted(
                agentId,
                s.call(),
                s.wrapUp().timeoutDisposition(),
                null,
                null,
                false,
                true,
                s.statusAfterCall(),
                s.pauseAfterCall(),
                now()))
        .thenRun(ns -> AgentMetrics.wrapUpTimeouts().increment())
        .thenNoReply();
  }

  private ReplyEffect<Event, AgentState> onHeartbeatMissed(AgentState s, HeartbeatMissed msg) {
    if (s.status() == Status.LOGGED_OUT || !msg.sessionId().equals(s.session().sessionId())) {
      return Effect().noReply();
    }
    boolean inCall = s.status() == Status.ON_CALL || s.status() == Status.WRAP_UP;
    CallRef released = s.status() == Status.RESERVED ? s.call() : null;
    return observed(
            s,
            new HeartbeatLost(
                agentId, s.status(), inCall ? s.status() : Status.PAUSED, released, now()))
        .thenNoReply();
  }

  /** (Re)starts the heartbeat deadline; every message from the agent's client counts. */
  private void armHeartbeat(AgentState s) {
    if (s.session() != null && s.heartbeatTimeout() != null) {
      timers.startSingleTimer(
          HEARTBEAT_TIMER, new HeartbeatMissed(s.session().sessionId()), s.heartbeatTimeout());
    }
  }

  /** A repeated step (a retry after a lost reply): success, nothing persisted twice. */
  private ReplyEffect<Event, AgentState> alreadyDone(
      AgentState s, ActorRef<StatusReply<Summary>> replyTo) {
    return Effect().reply(replyTo, StatusReply.success(s.toSummary(agentId, now())));
  }

  private ReplyEffect<Event, AgentState> reject(
      ActorRef<StatusReply<Summary>> replyTo, String reason) {
    return Effect().reply(replyTo, StatusReply.error(reason));
  }

  private ReplyEffect<Event, AgentState> persist(
      AgentState before, Event event, ActorRef<StatusReply<Summary>> replyTo) {
    return observed(before, event)
        .thenReply(replyTo, s -> StatusReply.success(s.toSummary(agentId, now())));
  }

  /**
   * Persists {@code event} and, once stored, moves this agent between the state gauges and tells
   * the dialers of its campaigns.
   */
  private EffectBuilder<Event, AgentState> observed(AgentState before, Event event) {
    return Effect().persist(event).thenRun(after -> stored(before, after));
  }

  private void stored(AgentState before, AgentState after) {
    AgentMetrics.moved(before, after);
    AgentChanges.get(context.getSystem())
        .publish(
            before.campaigns(),
            after.campaigns(),
            new Changed(after.toSummary(agentId, now()), lastSequenceNumber(context)));
  }

  private Instant now() {
    return clock.instant();
  }

  @Override
  public SignalHandler<AgentState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(
            RecoveryCompleted.instance(),
            s -> {
              AgentMetrics.entered(s);
              restartTimers(s);
            })
        .onSignal(PreRestart.instance(), AgentMetrics::left)
        .onSignal(PostStop.instance(), AgentMetrics::left)
        .build();
  }

  /** Timers die with the actor: re-arm wrap-up (remaining time) and a fresh heartbeat window. */
  private void restartTimers(AgentState s) {
    if (s.status() == Status.LOGGED_OUT) {
      return;
    }
    armHeartbeat(s);
    if (s.status() == Status.WRAP_UP && s.wrapUpDeadline() != null) {
      Duration left = Duration.between(now(), s.wrapUpDeadline());
      timers.startSingleTimer(
          WRAP_UP_TIMER,
          new WrapUpTimedOut(s.call().attemptId()),
          left.isNegative() ? Duration.ZERO : left);
    }
  }

  @Override
  public EventHandler<AgentState, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(AgentState::apply);
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return Set.of(TAGS.get(Math.abs(agentId.hashCode() % TAGS.size())));
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(100, 3);
  }
}
