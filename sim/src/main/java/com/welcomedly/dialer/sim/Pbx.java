package com.welcomedly.dialer.sim;

import static com.welcomedly.dialer.sim.AmiWire.bridgeFields;
import static com.welcomedly.dialer.sim.AmiWire.causeText;
import static com.welcomedly.dialer.sim.AmiWire.channelFields;
import static com.welcomedly.dialer.sim.AmiWire.destFields;
import static com.welcomedly.dialer.sim.AmiWire.event;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The simulated PBX: a single scheduler thread that owns every channel, bridge and timer, so its
 * state needs no locks and thousands of concurrent channels cost timers, not threads. Holds that
 * state, dispatches the actions sessions hand it, and writes the events every part of a call shares
 * (dial progress, OriginateResponse, hangup of one channel, leaving a bridge). A call's progress
 * from Originate to answer is {@link CallProgress}, its end {@link Hangups}, the actions on live
 * channels {@link ChannelActions}.
 */
final class Pbx {
  private static final Logger LOG = Logger.getLogger(Pbx.class.getName());

  final SimulatorSettings settings;
  private final AmiSimulator simulator;
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(AmiSimulator.daemon("ami-sim-pbx"));
  final CallProgress progress;
  final Hangups hangups;
  final ChannelActions actions;

  /** Read by other threads; changed on the PBX thread only. */
  final AtomicInteger liveChannels = new AtomicInteger();

  /** See {@link AmiSimulator#setBridgeDelaySeconds}. */
  volatile double bridgeDelaySeconds;

  // PBX-thread state.
  final Map<String, Channel> channels = new LinkedHashMap<>();
  final Map<String, Integer> dialCounts = new HashMap<>();
  int channelSequence;
  int bridgeSequence;
  private int uniqueSequence;

  Pbx(SimulatorSettings settings, AmiSimulator simulator) {
    this.settings = settings;
    this.simulator = simulator;
    // After the settings: the parts read them.
    this.progress = new CallProgress(this);
    this.hangups = new Hangups(this);
    this.actions = new ChannelActions(this);
  }

  void shutdown() {
    executor.shutdownNow();
  }

  void submit(Runnable task) {
    try {
      executor.execute(guarded(task));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      LOG.log(Level.FINE, "simulator stopped", e);
    }
  }

  void later(Call call, double simulatedSeconds, Runnable task) {
    try {
      ScheduledFuture<?> timer =
          executor.schedule(
              guarded(task), settings.realMillis(simulatedSeconds), TimeUnit.MILLISECONDS);
      if (call != null) {
        call.timers.add(timer);
      }
    } catch (java.util.concurrent.RejectedExecutionException e) {
      LOG.log(Level.FINE, "simulator stopped", e);
    }
  }

  static Runnable guarded(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "simulator task failed", e);
      }
    };
  }

  void onAction(
      AmiSession session,
      String name,
      Map<String, String> action,
      List<String> variables,
      String actionId) {
    switch (name) {
      case "ping" ->
          session.respond(
              actionId,
              "Success",
              null,
              "Ping",
              "Pong",
              "Timestamp",
              String.format("%.6f", System.currentTimeMillis() / 1000.0));
      case "events" -> {
        session.events = !"off".equalsIgnoreCase(action.getOrDefault("eventmask", "on"));
        session.respond(actionId, "Success", null, "Events", session.events ? "On" : "Off");
      }
      case "coresettings" ->
          session.respond(
              actionId,
              "Success",
              null,
              "AMIversion",
              "11.0.0",
              "AsteriskVersion",
              "22.10.1",
              "SystemName",
              "",
              "CoreMaxCalls",
              "0");
      case "originate" -> progress.originate(session, action, variables, actionId);
      case "bridge" -> actions.bridge(session, action, actionId);
      case "redirect" -> actions.redirect(session, action, actionId);
      case "hangup" -> actions.hangupAction(session, action, actionId);
      case "setvar" -> {
        String channel = action.get("channel");
        if (channel != null && !channel.isEmpty() && !channels.containsKey(channel)) {
          session.respond(actionId, "Error", "No such channel");
        } else {
          session.respond(actionId, "Success", "Variable Set");
        }
      }
      case "coreshowchannels" -> actions.coreShowChannels(session, actionId);
      case "status" -> actions.status(session, action, actionId);
      case "userevent" -> {
        session.respond(actionId, "Success", "Event Sent");
        List<String> fields = new ArrayList<>();
        action.forEach(
            (k, v) -> {
              if (!k.equals("action") && !k.equals("actionid") && !k.equals("userevent")) {
                fields.add(k);
                fields.add(v);
              }
            });
        List<String> all =
            new ArrayList<>(List.of("UserEvent", action.getOrDefault("userevent", "")));
        all.addAll(fields);
        simulator.broadcast(event("UserEvent", "user,all", all.toArray(String[]::new)));
      }
      default -> session.respond(actionId, "Error", "Invalid/unknown command");
    }
  }

  void dialBegin(Call call) {
    emit("DialBegin", "call,all", destFields(call.one, "DialString", call.one.exten));
  }

  void ringing(Call call) {
    call.one.state = 5;
    emitChannel("Newstate", call.one);
    emit("DialState", "call,all", destFields(call.one, "DialStatus", "RINGING"));
  }

  void dialEnd(Call call, String status) {
    emit("DialEnd", "call,all", destFields(call.one, "DialStatus", status));
  }

  void originateSuccess(Call call) {
    originateResponse(call, "Success", call.one.name, 4);
  }

  void originateFailure(Call call, int reason) {
    // Asterisk names the dial string here, not the channel: no "-xxxxxxxx;1" suffix.
    originateResponse(call, "Failure", call.dialString, reason);
  }

  private void originateResponse(Call call, String response, String channel, int reason) {
    emit(
        "OriginateResponse",
        "call,all",
        "ActionID",
        call.actionId,
        "Response",
        response,
        "Channel",
        channel,
        "Context",
        call.originateContext,
        "Exten",
        "s",
        "Reason",
        Integer.toString(reason),
        "Uniqueid",
        call.one.uniqueId,
        "CallerIDNum",
        "<unknown>",
        "CallerIDName",
        "<unknown>");
  }

  void leaveBridge(Channel channel) {
    Bridge bridge = channel.bridge;
    bridge.members.remove(channel);
    channel.bridge = null;
    emitChannel("BridgeLeave", channel, bridgeFields(bridge));
  }

  void hangupChannel(Channel channel, int cause) {
    if (channel.gone) {
      return;
    }
    channel.gone = true;
    channels.remove(channel.name);
    liveChannels.decrementAndGet();
    emitChannel("Hangup", channel, "Cause", Integer.toString(cause), "Cause-txt", causeText(cause));
  }

  void end(Call call) {
    call.ended = true;
    call.resolved = true;
    for (ScheduledFuture<?> timer : call.timers) {
      timer.cancel(false);
    }
    call.timers.clear();
  }

  void emitChannel(String name, Channel channel, String... extra) {
    String[] base = channelFields(channel);
    String[] all = new String[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    emit(name, name.equals("UserEvent") ? "user,all" : "call,all", all);
  }

  void emit(String name, String privilege, String... fields) {
    simulator.broadcast(event(name, privilege, fields));
  }

  String nextUniqueId() {
    return (System.currentTimeMillis() / 1000) + "." + uniqueSequence++;
  }

  /** {@code core restart now}: see {@link AmiSimulator#restart()}. */
  void restart() {
    submit(
        () -> {
          List<Call> live = new ArrayList<>();
          for (Channel channel : channels.values()) {
            if (!channel.legTwo && !live.contains(channel.call)) {
              live.add(channel.call);
            }
          }
          for (Call call : live) {
            emitChannel("SoftHangupRequest", call.two, "Cause", "4");
            emitChannel("SoftHangupRequest", call.one, "Cause", "4");
          }
          for (Call call : live) {
            cutByShutdown(call);
          }
          executor.schedule(
              guarded(
                  () -> {
                    emit("Shutdown", "system,all", "Shutdown", "Cleanly", "Restart", "True");
                    simulator.dropConnections();
                  }),
              1100,
              TimeUnit.MILLISECONDS);
        });
  }

  void cutByShutdown(Call call) {
    boolean ringing = !call.resolved;
    call.resolved = true;
    if (ringing) {
      dialEnd(call, "NOANSWER");
    }
    Bridge bridge = call.one.bridge;
    if (bridge != null) {
      leaveBridge(call.one);
    }
    hangupChannel(call.two, 0);
    hangupChannel(call.one, 0);
    if (ringing) {
      originateFailure(call, 0);
    }
    end(call);
    if (bridge != null && bridge.members.isEmpty()) {
      emit("BridgeDestroy", "call,all", bridgeFields(bridge));
    }
  }
}
