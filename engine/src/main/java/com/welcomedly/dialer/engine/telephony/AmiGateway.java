package com.welcomedly.dialer.engine.telephony;

import com.welcomedly.dialer.engine.logging.PhoneNumberMasking;
import com.welcomedly.dialer.engine.telephony.AmiEvents.LinkLost;
import com.welcomedly.dialer.engine.telephony.AmiEvents.Malformed;
import com.welcomedly.dialer.engine.telephony.AmiEvents.Observed;
import com.welcomedly.dialer.engine.telephony.AmiEvents.OriginateResult;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.AgentLegEvent;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.AgentLegFailed;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.AgentLegUp;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.CallEvent;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.Command;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.InvalidNumber;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.LiveChannel;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.PbxDown;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.PbxStatus;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.PbxUp;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.Reconciled;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.asteriskjava.manager.ManagerConnection;
import org.asteriskjava.manager.ManagerConnectionFactory;
import org.asteriskjava.manager.ManagerEventListener;
import org.asteriskjava.manager.action.BridgeAction;
import org.asteriskjava.manager.action.CoreShowChannelsAction;
import org.asteriskjava.manager.action.HangupAction;
import org.asteriskjava.manager.action.ManagerAction;
import org.asteriskjava.manager.action.OriginateAction;
import org.asteriskjava.manager.action.PingAction;
import org.asteriskjava.manager.action.RedirectAction;
import org.asteriskjava.manager.action.SetVarAction;
import org.asteriskjava.manager.event.CoreShowChannelEvent;
import org.asteriskjava.manager.event.ResponseEvent;
import org.asteriskjava.manager.response.ManagerError;

/**
 * The only owner of an asterisk-java {@link ManagerConnection}: logs in, keeps the link alive,
 * reconnects with exponential backoff, refuses work while the PBX is down, and turns the {@link
 * TelephonyGateway} commands into AMI actions and the AMI events back into domain events (via
 * {@link AmiEvents} and {@link CallTracker}).
 *
 * <p>Threads: asterisk-java blocks in {@code login()}, {@code logoff()} and its socket writes, so
 * all of those run on the dispatcher named by {@code dialer.telephony.blocking-dispatcher}; writes
 * are chained one after another so actions reach the PBX in the order the actor sent them. Results
 * come back as messages. The event listener runs on asterisk-java's reader thread and only converts
 * and {@code tell}s. At most {@code max-in-flight-actions} actions wait for their Response; beyond
 * that, and while the link is down, the gateway answers at once with a refusal.
 */
public final class AmiGateway extends AbstractBehavior<Command> {

  /** The gateway behaviour; spawn it once per node (it is the node's only AMI connection). */
  public static Behavior<Command> create(AmiGatewaySettings settings) {
    return Behaviors.setup(
        context -> Behaviors.withTimers(timers -> new AmiGateway(context, timers, settings)));
  }

  private static final Pattern DIALABLE = Pattern.compile("\\+?[0-9*#]{1,32}");

  private enum Connect implements Command {
    INSTANCE
  }

  private enum KeepAliveTick implements Command {
    INSTANCE
  }

  private record LoginOutcome(int generation, String error) implements Command {}

  private record ConnectionDropped(int generation, String reason) implements Command {}

  private record PingAnswered(int generation) implements Command {}

  private record ActionAnswered(String key, boolean success, String message) implements Command {}

  private record ActionTimedOut(String key) implements Command {}

  private record OriginateOverdue(String callId) implements Command {}

  private record SettleFailure(String callId) implements Command {}

  private record ChannelsListed(String key, List<LiveChannel> channels) implements Command {
    ChannelsListed {
      channels = List.copyOf(channels);
    }
  }

  /** Bookkeeping for an action awaiting its Response (never sent as a message). */
  private record Pending(String action, String callId, String agentId) {}

  private static final String AUTO_RECONCILE = "reconcile-auto";

  private final AmiGatewaySettings settings;
  private final TimerScheduler<Command> timers;
  private final Executor blocking;
  private final CallTracker<ActorRef<CallEvent>, ActorRef<AgentLegEvent>> tracker;
  private final BridgeTiming bridgeTiming = new BridgeTiming();
  private final Map<String, Pending> pending = new HashMap<>();
  private final Map<String, ActorRef<Reconciled>> reconcileRequests = new HashMap<>();
  private final Set<ActorRef<PbxStatus>> subscribers = new LinkedHashSet<>();
  // Uniqueids of Originates the link lost before the PBX acknowledged them: already reported as
  // refused, so if the PBX did place one after all, reconciliation hangs it up (no orphan call).
  private final Set<String> unacknowledged = new LinkedHashSet<>();

  private ManagerConnection connection;
  private ManagerEventListener listener;
  private CompletableFuture<Void> writes = CompletableFuture.completedFuture(null);
  private int generation;
  private boolean up;
  private int failedAttempts;
  private boolean pingOutstanding;
  private boolean reconcileAfterLogin;

  /** Why the PBX is going down while the link is still up (a shutdown in progress), or null. */
  private String stopping;

  private long sequence = System.currentTimeMillis();
  private PbxStatus status = new PbxDown("connecting", Instant.now());

  private AmiGateway(
      ActorContext<Command> context, TimerScheduler<Command> timers, AmiGatewaySettings settings) {
    super(context);
    this.settings = settings;
    this.timers = timers;
    this.blocking =
        context
            .getSystem()
            .dispatchers()
            .lookup(DispatcherSelector.fromConfig(settings.blockingDispatcher()));
    this.tracker =
        new CallTracker<>(
            new CallTracker.Sink<>() {
              @Override
              public void call(ActorRef<CallEvent> to, CallEvent event) {
                to.tell(event);
                bridgeTiming.observed(event);
                if (event.isFinal()) {
                  TelephonyMetrics.callOutcomes(event.getClass().getSimpleName()).increment();
                  timers.cancel(overdueKey(event.callId()));
                  timers.cancel(settleKey(event.callId()));
                }
              }

              @Override
              public void agent(ActorRef<AgentLegEvent> to, AgentLegEvent event) {
                to.tell(event);
              }
            });
    TelephonyMetrics.pbxUp().update(0);
    context.getSelf().tell(Connect.INSTANCE);
    timers.startTimerAtFixedRate(KeepAliveTick.INSTANCE, settings.keepAliveInterval());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(TelephonyGateway.Originate.class, this::onOriginate)
        .onMessage(TelephonyGateway.NailUpAgent.class, this::onNailUpAgent)
        .onMessage(TelephonyGateway.Bridge.class, this::onBridge)
        .onMessage(TelephonyGateway.SafeHarbor.class, this::onSafeHarbor)
        .onMessage(TelephonyGateway.Hangup.class, this::onHangup)
        .onMessage(TelephonyGateway.ReleaseAgent.class, this::onReleaseAgent)
        .onMessage(TelephonyGateway.Reconcile.class, this::onReconcile)
        .onMessage(TelephonyGateway.Track.class, this::onTrack)
        .onMessage(TelephonyGateway.Subscribe.class, this::onSubscribe)
        .onMessage(TelephonyGateway.Unsubscribe.class, this::onUnsubscribe)
        .onMessage(Observed.class, this::onObserved)
        .onMessageEquals(Connect.INSTANCE, this::onConnect)
        .onMessageEquals(KeepAliveTick.INSTANCE, this::onKeepAliveTick)
        .onMessage(LoginOutcome.class, this::onLoginOutcome)
        .onMessage(ConnectionDropped.class, this::onConnectionDropped)
        .onMessage(PingAnswered.class, this::onPingAnswered)
        .onMessage(ActionAnswered.class, this::onActionAnswered)
        .onMessage(ActionTimedOut.class, this::onActionTimedOut)
        .onMessage(OriginateOverdue.class, this::onOriginateOverdue)
        .onMessage(SettleFailure.class, this::onSettleFailure)
        .onMessage(ChannelsListed.class, this::onChannelsListed)
        .onSignal(PostStop.class, signal -> onPostStop())
        .build();
  }

  // ------------------------------------------------------------------ commands

  private Behavior<Command> onOriginate(TelephonyGateway.Originate cmd) {
    Instant now = Instant.now();
    String refusal = refusal("Originate");
    if (refusal == null && tracker.isTracking(cmd.callId())) {
      refusal = "duplicate callId: a call with this id is in flight";
    }
    if (refusal != null) {
      cmd.listener()
          .tell(new TelephonyGateway.ActionRejected(cmd.callId(), "Originate", refusal, now));
      return this;
    }
    if (cmd.number() == null || !DIALABLE.matcher(cmd.number()).matches()) {
      // Q.850 28: invalid number format. Nothing was sent to the PBX.
      cmd.listener().tell(new InvalidNumber(cmd.callId(), 28, now));
      return this;
    }
    OriginateAction action = new OriginateAction();
    action.setChannel(cmd.dialTemplate().replace("{number}", cmd.number()));
    action.setContext(
        cmd.broadcast() != null
            ? settings.agentlessContext()
            : cmd.amd() ? settings.customerAmdContext() : settings.customerContext());
    action.setExten("s");
    action.setPriority(1);
    action.setAsync(true);
    action.setTimeout(cmd.ringTimeout().toMillis());
    action.setCallerId(cmd.callerId());
    action.setChannelId(cmd.callId());
    action.setOtherChannelId(CallTracker.otherChannelId(cmd.callId()));
    action.setVariable("DIALER_CALL_ID", cmd.callId());
    action.setVariable("DIALER_CAMPAIGN_ID", cmd.campaignId());
    action.setVariable("DIALER_LEAD_ID", cmd.leadId());
    action.setVariable("DIALER_AMD", cmd.amd() ? "1" : "0");
    if (cmd.broadcast() != null) {
      action.setVariable("DIALER_AGENTLESS_MESSAGE", cmd.broadcast().message());
      action.setVariable("DIALER_TRANSFER_KEY", cmd.broadcast().transferKey());
      action.setVariable("DIALER_OPTOUT_KEY", cmd.broadcast().optOutKey());
      action.setVariable(
          "DIALER_LEAVE_MESSAGE", cmd.broadcast().leaveMessageOnMachine() ? "1" : "0");
    }
    tracker.originated(cmd.callId(), cmd.listener());
    getContext()
        .getLog()
        .debug(
            "Originate {} to {} (campaign {}, amd {})",
            cmd.callId(),
            PhoneNumberMasking.maskNumber(cmd.number()),
            cmd.campaignId(),
            cmd.amd());
    send(action, cmd.callId(), new Pending("Originate", cmd.callId(), null));
    timers.startSingleTimer(
        overdueKey(cmd.callId()),
        new OriginateOverdue(cmd.callId()),
        cmd.ringTimeout().plus(settings.originateResponseGrace()));
    return this;
  }

  private Behavior<Command> onNailUpAgent(TelephonyGateway.NailUpAgent cmd) {
    String refusal = refusal("NailUpAgent");
    if (refusal == null && tracker.legHeardBy(cmd.agentId(), cmd.listener())) {
      // The campaign's dialer restarted on this node (its shard lost its lease during a database
      // outage) and asks again for a leg this gateway keeps up for the same campaign: it is told
      // the leg is up instead of refused, or the agent would stay unusable for good. A leg still
      // ringing answers with its own AgentLegUp.
      tracker
          .agentChannel(cmd.agentId())
          .ifPresent(
              channel ->
                  cmd.listener().tell(new AgentLegUp(cmd.agentId(), channel, Instant.now())));
      return this;
    }
    if (refusal == null && tracker.hasAgent(cmd.agentId())) {
      refusal = "agent leg already nailed up";
    }
    if (refusal != null) {
      cmd.listener().tell(new AgentLegFailed(cmd.agentId(), refusal, Instant.now()));
      return this;
    }
    String legId = "agent-" + cmd.agentId() + "-" + (++sequence);
    OriginateAction action = new OriginateAction();
    action.setChannel(cmd.endpoint());
    action.setContext(settings.agentContext());
    action.setExten("s");
    action.setPriority(1);
    action.setAsync(true);
    action.setTimeout(settings.agentAnswerTimeout().toMillis());
    action.setCallerId("\"Dialer\" <" + cmd.agentId() + ">");
    action.setChannelId(legId);
    action.setOtherChannelId(CallTracker.otherChannelId(legId));
    action.setVariable("DIALER_AGENT_ID", cmd.agentId());
    tracker.nailedUp(cmd.agentId(), legId, cmd.listener());
    send(action, legId, new Pending("NailUpAgent", null, cmd.agentId()));
    return this;
  }

  private Behavior<Command> onBridge(TelephonyGateway.Bridge cmd) {
    String customer = tracker.customerChannel(cmd.callId()).orElse(null);
    String agent = tracker.agentChannel(cmd.agentId()).orElse(null);
    String refusal = refusal("Bridge");
    if (refusal == null && customer == null) {
      refusal = "call is not answered (or already gone)";
    } else if (refusal == null && agent == null) {
      refusal = "agent " + cmd.agentId() + " has no nailed-up leg";
    }
    if (refusal != null) {
      tracker.reject(cmd.callId(), "Bridge", refusal, Instant.now());
      return this;
    }
    Instant answeredAt = bridgeTiming.liveAt(cmd.callId());
    send(
        new BridgeAction(customer, agent, false),
        "bridge-" + (++sequence),
        new Pending("Bridge", cmd.callId(), cmd.agentId()),
        () -> bridgeTiming.writing(cmd.callId(), answeredAt));
    return this;
  }

  private Behavior<Command> onSafeHarbor(TelephonyGateway.SafeHarbor cmd) {
    String customer = tracker.customerChannel(cmd.callId()).orElse(null);
    String refusal = refusal("SafeHarbor");
    if (refusal == null && customer == null) {
      refusal = "call is not answered (or already gone)";
    }
    if (refusal != null) {
      tracker.reject(cmd.callId(), "SafeHarbor", refusal, Instant.now());
      return this;
    }
    // Setvar then Redirect: the writes are chained, so the variable is set before the jump.
    send(
        new SetVarAction(customer, "DIALER_SAFE_HARBOR_MESSAGE", cmd.messageRef()),
        "setvar-" + (++sequence),
        new Pending("SafeHarbor", cmd.callId(), null));
    send(
        new RedirectAction(customer, settings.safeHarborContext(), "s", 1),
        "redirect-" + (++sequence),
        new Pending("SafeHarbor", cmd.callId(), null));
    return this;
  }

  private Behavior<Command> onHangup(TelephonyGateway.Hangup cmd) {
    // While ringing this cancels the call: it ends with Failed("cancelled by the dialer ...").
    String customer = tracker.hangupChannel(cmd.callId()).orElse(null);
    String refusal = refusal("Hangup");
    if (refusal == null && customer == null) {
      refusal = "call has no channel yet to hang up";
    }
    if (refusal != null) {
      tracker.reject(cmd.callId(), "Hangup", refusal, Instant.now());
      return this;
    }
    tracker.dialerHangup(cmd.callId());
    send(
        new HangupAction(customer, 16),
        "hangup-" + (++sequence),
        new Pending("Hangup", cmd.callId(), null));
    return this;
  }

  private Behavior<Command> onReleaseAgent(TelephonyGateway.ReleaseAgent cmd) {
    String agent = tracker.agentChannel(cmd.agentId()).orElse(null);
    if (agent == null || refusal("ReleaseAgent") != null) {
      getContext().getLog().info("ReleaseAgent {}: no live agent leg", cmd.agentId());
      return this;
    }
    tracker.agentReleased(cmd.agentId());
    send(
        new HangupAction(agent, 16),
        "release-" + (++sequence),
        new Pending("ReleaseAgent", null, cmd.agentId()));
    return this;
  }

  private Behavior<Command> onReconcile(TelephonyGateway.Reconcile cmd) {
    if (!up) {
      cmd.replyTo().tell(new Reconciled(List.of(), false, Instant.now()));
      return this;
    }
    String key = "reconcile-" + (++sequence);
    reconcileRequests.put(key, cmd.replyTo());
    listChannels(key);
    return this;
  }

  private Behavior<Command> onTrack(TelephonyGateway.Track cmd) {
    if (tracker.isTracking(cmd.callId())) {
      return this;
    }
    tracker.adopt(
        cmd.callId(), cmd.channel().channel(), cmd.channel().state() == 6, cmd.listener());
    if (up) {
      listChannels(AUTO_RECONCILE + "-" + (++sequence));
    } else {
      reconcileAfterLogin = true;
    }
    return this;
  }

  private Behavior<Command> onSubscribe(TelephonyGateway.Subscribe cmd) {
    subscribers.add(cmd.subscriber());
    cmd.subscriber().tell(status);
    return this;
  }

  private Behavior<Command> onUnsubscribe(TelephonyGateway.Unsubscribe cmd) {
    subscribers.remove(cmd.subscriber());
    return this;
  }

  // ------------------------------------------------------------------ PBX events

  private Behavior<Command> onObserved(Observed observed) {
    if (observed instanceof Malformed m) {
      TelephonyMetrics.skippedEvents().increment();
      getContext()
          .getLog()
          .warn("Skipped AMI {} packet: {}", m.eventType(), PhoneNumberMasking.mask(m.problem()));
      return this;
    }
    if (observed instanceof LinkLost) {
      return this; // the listener reports it with its generation as ConnectionDropped
    }
    acknowledgeOriginate(observed);
    if (observed instanceof OriginateResult r && !r.success() && tracker.isTracking(r.actionId())) {
      timers.startSingleTimer(
          settleKey(r.actionId()), new SettleFailure(r.actionId()), settings.failureSettleTime());
    }
    tracker.onObserved(observed);
    if (observed instanceof AmiEvents.PbxStopping && stopping == null && up) {
      // Asterisk is hanging up every channel to stop: refuse work now (a nailed-up agent leg
      // re-originated into it would fail with "Asterisk is shutting down"), but keep reading:
      // the final events of the calls it cuts are still on their way.
      stopping = "Asterisk is shutting down (it hangs up every channel)";
      getContext().getLog().warn("AMI: {}", stopping);
      TelephonyMetrics.pbxUp().update(0);
      publish(new PbxDown(stopping, Instant.now()));
    }
    if (observed instanceof AmiEvents.PbxShutdown shutdown) {
      // Asterisk sends Shutdown after it hung up every channel and before it closes AMI: anything
      // sent now fails ("Asterisk is shutting down"), so the breaker opens at once.
      linkDown(
          "Asterisk is "
              + (shutdown.restart() ? "restarting" : "shutting down")
              + " (AMI Shutdown)");
    }
    return this;
  }

  /**
   * Events about a call's channel prove the PBX took its Originate even if the Response is late or
   * lost: it no longer counts as in flight, and a link loss will not refuse it.
   */
  private void acknowledgeOriginate(Observed observed) {
    String uniqueId = null;
    if (observed instanceof AmiEvents.ChannelCreated c) {
      uniqueId = c.uniqueId();
    } else if (observed instanceof AmiEvents.ChannelStateChanged c) {
      uniqueId = c.uniqueId();
    } else if (observed instanceof OriginateResult r) {
      uniqueId = r.actionId();
    }
    Pending p = uniqueId == null ? null : pending.get(uniqueId);
    if (p != null && (p.action().equals("Originate") || p.action().equals("NailUpAgent"))) {
      pending.remove(uniqueId);
      timers.cancel(actionKey(uniqueId));
    }
  }

  private Behavior<Command> onOriginateOverdue(OriginateOverdue msg) {
    tracker.overdue(msg.callId(), Instant.now());
    return this;
  }

  private Behavior<Command> onSettleFailure(SettleFailure msg) {
    tracker.settle(msg.callId(), Instant.now());
    return this;
  }

  // ------------------------------------------------------------------ the connection

  private Behavior<Command> onConnect() {
    if (connection != null) {
      return this;
    }
    int gen = ++generation;
    ManagerConnection conn =
        new ManagerConnectionFactory(
                settings.host(), settings.port(), settings.username(), settings.secret())
            .createManagerConnection();
    conn.setSocketTimeout((int) Math.min(Integer.MAX_VALUE, settings.actionTimeout().toMillis()));
    AmiUserEvents.ALL.forEach(conn::registerUserEventClass);
    ActorRef<Command> self = getContext().getSelf();
    ManagerEventListener eventListener =
        event -> {
          // asterisk-java's reader thread: convert, tell, nothing else.
          try {
            AmiEvents.toObserved(event)
                .ifPresent(
                    o -> {
                      if (o instanceof LinkLost) {
                        self.tell(new ConnectionDropped(gen, "AMI connection closed"));
                      } else {
                        self.tell(o);
                      }
                    });
          } catch (RuntimeException e) {
            self.tell(new Malformed(event.getClass().getSimpleName(), e.toString(), Instant.now()));
          }
        };
    conn.addEventListener(eventListener);
    connection = conn;
    listener = eventListener;
    writes = CompletableFuture.completedFuture(null);
    CompletableFuture<Void> login =
        CompletableFuture.runAsync(
            () -> {
              try {
                conn.login();
              } catch (Exception e) {
                throw new IllegalStateException(describe(e), e);
              }
            },
            blocking);
    getContext()
        .pipeToSelf(
            login,
            (ok, error) ->
                new LoginOutcome(gen, error == null ? null : describe(rootCause(error))));
    return this;
  }

  private Behavior<Command> onLoginOutcome(LoginOutcome outcome) {
    if (outcome.generation() != generation || connection == null) {
      return this;
    }
    if (outcome.error() != null) {
      getContext()
          .getLog()
          .warn("AMI login to {}:{} failed: {}", settings.host(), settings.port(), outcome.error());
      closeConnection();
      scheduleReconnect();
      return this;
    }
    up = true;
    stopping = null;
    failedAttempts = 0;
    pingOutstanding = false;
    TelephonyMetrics.pbxUp().update(1);
    getContext().getLog().info("AMI up: logged in to {}:{}", settings.host(), settings.port());
    publish(new PbxUp(Instant.now()));
    if (reconcileAfterLogin) {
      reconcileAfterLogin = false;
      listChannels(AUTO_RECONCILE + "-" + (++sequence));
    } else {
      tracker.pbxBack();
    }
    return this;
  }

  private Behavior<Command> onConnectionDropped(ConnectionDropped dropped) {
    if (dropped.generation() != generation || connection == null) {
      return this;
    }
    linkDown(dropped.reason());
    return this;
  }

  private Behavior<Command> onKeepAliveTick() {
    if (!up) {
      return this;
    }
    if (pingOutstanding) {
      linkDown("keepalive: no answer to Ping within " + settings.keepAliveInterval());
      return this;
    }
    pingOutstanding = true;
    int gen = generation;
    ActorRef<Command> self = getContext().getSelf();
    ManagerConnection conn = connection;
    write(
        () -> {
          try {
            conn.sendAction(new PingAction(), response -> self.tell(new PingAnswered(gen)));
          } catch (Exception e) {
            self.tell(new ConnectionDropped(gen, "Ping failed: " + describe(e)));
          }
        });
    return this;
  }

  private Behavior<Command> onPingAnswered(PingAnswered answered) {
    if (answered.generation() == generation) {
      pingOutstanding = false;
    }
    return this;
  }

  private void linkDown(String reason) {
    if (up) {
      getContext().getLog().warn("AMI down: {}", reason);
      TelephonyMetrics.pbxUp().update(0);
      publish(new PbxDown(reason, Instant.now()));
    }
    up = false;
    pingOutstanding = false;
    Instant now = Instant.now();
    for (Map.Entry<String, Pending> entry : new ArrayList<>(pending.entrySet())) {
      timers.cancel(actionKey(entry.getKey()));
      Pending p = entry.getValue();
      if (p.action().equals("Originate") || p.action().equals("NailUpAgent")) {
        unacknowledged.add(entry.getKey());
        failAction(
            entry.getKey(), p, "PBX link lost before the PBX acknowledged the Originate", now);
      } else {
        failAction(entry.getKey(), p, "PBX link lost before the action was answered", now);
      }
    }
    pending.clear();
    for (ActorRef<Reconciled> replyTo : reconcileRequests.values()) {
      replyTo.tell(new Reconciled(List.of(), false, now));
    }
    reconcileRequests.clear();
    // Calls and agent legs in flight are checked against the PBX once we are back.
    tracker.linkLost();
    reconcileAfterLogin = !tracker.isEmpty() || !unacknowledged.isEmpty();
    closeConnection();
    scheduleReconnect();
  }

  private void scheduleReconnect() {
    Duration delay = settings.backoff(failedAttempts++);
    TelephonyMetrics.reconnects().increment();
    timers.startSingleTimer("connect", Connect.INSTANCE, delay);
  }

  private void closeConnection() {
    ManagerConnection conn = connection;
    ManagerEventListener l = listener;
    connection = null;
    listener = null;
    if (conn == null) {
      return;
    }
    // logoff() also stops asterisk-java's own reconnect thread: we reconnect with our backoff.
    CompletableFuture.runAsync(
        () -> {
          conn.removeEventListener(l);
          try {
            conn.logoff();
          } catch (RuntimeException e) {
            // Already disconnected: nothing to log off.
          }
        },
        blocking);
  }

  private Behavior<Command> onPostStop() {
    closeConnection();
    TelephonyMetrics.pbxUp().update(0);
    return this;
  }

  // ------------------------------------------------------------------ actions

  /** Why an action cannot be sent now, or null. */
  private String refusal(String action) {
    if (!up || connection == null || stopping != null) {
      TelephonyMetrics.actions(action, "refused").increment();
      return "PBX down: " + (status instanceof PbxDown d ? d.reason() : "not connected");
    }
    if (pending.size() >= settings.maxInFlightActions()) {
      TelephonyMetrics.actions(action, "refused").increment();
      return "too many AMI actions in flight (" + pending.size() + ")";
    }
    return null;
  }

  private void send(ManagerAction action, String key, Pending p) {
    send(action, key, p, () -> {});
  }

  /** {@code beforeWrite} runs on the AMI writer just before the action goes out. */
  private void send(ManagerAction action, String key, Pending p, Runnable beforeWrite) {
    action.setActionId(key);
    pending.put(key, p);
    timers.startSingleTimer(actionKey(key), new ActionTimedOut(key), settings.actionTimeout());
    TelephonyMetrics.actions(p.action(), "sent").increment();
    ActorRef<Command> self = getContext().getSelf();
    ManagerConnection conn = connection;
    int gen = generation;
    write(
        () -> {
          try {
            beforeWrite.run();
            conn.sendAction(
                action,
                response ->
                    self.tell(
                        new ActionAnswered(
                            key, !(response instanceof ManagerError), response.getMessage())));
          } catch (Exception e) {
            self.tell(new ActionAnswered(key, false, describe(e)));
            self.tell(new ConnectionDropped(gen, "write failed: " + describe(e)));
          }
        });
  }

  private void listChannels(String key) {
    pending.put(key, new Pending("CoreShowChannels", null, null));
    timers.startSingleTimer(actionKey(key), new ActionTimedOut(key), settings.actionTimeout());
    ActorRef<Command> self = getContext().getSelf();
    ManagerConnection conn = connection;
    write(
        () -> {
          try {
            CoreShowChannelsAction action = new CoreShowChannelsAction();
            action.setActionId(key);
            conn.sendEventGeneratingAction(
                action,
                responseEvents -> {
                  List<LiveChannel> live = new ArrayList<>();
                  for (ResponseEvent event : responseEvents.getEvents()) {
                    if (event instanceof CoreShowChannelEvent c) {
                      AmiEvents.toLiveChannel(c).ifPresent(live::add);
                    }
                  }
                  self.tell(new ChannelsListed(key, live));
                });
          } catch (Exception e) {
            self.tell(new ActionAnswered(key, false, describe(e)));
          }
        });
  }

  private void write(Runnable task) {
    writes = writes.handle((ok, error) -> null).thenRunAsync(task, blocking);
  }

  private Behavior<Command> onActionAnswered(ActionAnswered answered) {
    Pending p = pending.remove(answered.key());
    if (p == null) {
      return this;
    }
    timers.cancel(actionKey(answered.key()));
    TelephonyMetrics.actions(p.action(), answered.success() ? "success" : "error").increment();
    if (!answered.success()) {
      failAction(answered.key(), p, "PBX refused: " + answered.message(), Instant.now());
      if (answered.message() != null
          && answered.message().toLowerCase(java.util.Locale.ROOT).contains("shutting down")) {
        // The PBX is going down before its Shutdown event: stop sending it work now.
        tracker.pbxStopping();
        linkDown("Asterisk refused an action: " + answered.message());
      }
    }
    return this;
  }

  private Behavior<Command> onActionTimedOut(ActionTimedOut timedOut) {
    Pending p = pending.remove(timedOut.key());
    if (p != null) {
      TelephonyMetrics.actions(p.action(), "timeout").increment();
      failAction(
          timedOut.key(),
          p,
          "no Response from the PBX within " + settings.actionTimeout(),
          Instant.now());
    }
    return this;
  }

  private void failAction(String key, Pending p, String reason, Instant now) {
    switch (p.action()) {
      case "NailUpAgent" -> tracker.agentFailed(p.agentId(), reason, now);
      case "ReleaseAgent" ->
          getContext().getLog().warn("ReleaseAgent {} failed: {}", p.agentId(), reason);
      case "CoreShowChannels" -> {
        ActorRef<Reconciled> replyTo = reconcileRequests.remove(key);
        if (replyTo != null) {
          replyTo.tell(new Reconciled(List.of(), false, now));
        }
      }
      default -> tracker.reject(p.callId(), p.action(), reason, now);
    }
  }

  private Behavior<Command> onChannelsListed(ChannelsListed listed) {
    pending.remove(listed.key());
    timers.cancel(actionKey(listed.key()));
    List<LiveChannel> matched = tracker.match(listed.channels());
    if (listed.key().startsWith(AUTO_RECONCILE)) {
      Map<String, LiveChannel> byUniqueId = new HashMap<>();
      matched.forEach(c -> byUniqueId.put(c.uniqueId(), c));
      tracker.reconcile(byUniqueId, Instant.now());
      tracker.pbxBack();
      for (LiveChannel live : matched) {
        if (unacknowledged.contains(live.uniqueId()) && refusal("Hangup") == null) {
          getContext().getLog().warn("Hanging up unacknowledged originate {}", live.uniqueId());
          send(
              new HangupAction(live.channel(), 16),
              "orphan-" + (++sequence),
              new Pending("OrphanHangup", null, null));
        }
      }
      unacknowledged.clear();
      getContext().getLog().info("Reconciled after reconnect: {} live channels", matched.size());
    } else {
      ActorRef<Reconciled> replyTo = reconcileRequests.remove(listed.key());
      if (replyTo != null) {
        replyTo.tell(new Reconciled(matched, true, Instant.now()));
      }
    }
    return this;
  }

  private void publish(PbxStatus newStatus) {
    status = newStatus;
    subscribers.forEach(s -> s.tell(newStatus));
  }

  private static String overdueKey(String callId) {
    return "overdue-" + callId;
  }

  private static String settleKey(String callId) {
    return "settle-" + callId;
  }

  private static String actionKey(String key) {
    return "action-" + key;
  }

  private static Throwable rootCause(Throwable error) {
    Throwable t = error;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  private static String describe(Throwable e) {
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }
}
