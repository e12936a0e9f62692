package com.welcomedly.dialer.sim;

import static com.welcomedly.dialer.sim.AmiWire.bridgeFields;
import static com.welcomedly.dialer.sim.AmiWire.channelFields;
import static com.welcomedly.dialer.sim.AmiWire.duration;
import static com.welcomedly.dialer.sim.AmiWire.event;
import static com.welcomedly.dialer.sim.AmiWire.parseLong;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The AMI actions on live channels: Bridge (at once, or after the bridge delay), Redirect (into the
 * safe-harbor context too), Hangup, and the channel listings CoreShowChannels and Status. PBX
 * thread only.
 */
final class ChannelActions {
  private final Pbx pbx;
  private final SimulatorSettings settings;

  ChannelActions(Pbx pbx) {
    this.pbx = pbx;
    this.settings = pbx.settings;
  }

  void bridge(AmiSession session, Map<String, String> action, String actionId) {
    Channel one = pbx.channels.get(action.getOrDefault("channel1", ""));
    Channel two = pbx.channels.get(action.getOrDefault("channel2", ""));
    if (one == null) {
      session.respond(actionId, "Error", "Channel1 does not exist: " + action.get("channel1"));
      return;
    }
    if (two == null) {
      session.respond(actionId, "Error", "Channel2 does not exist: " + action.get("channel2"));
      return;
    }
    session.respond(actionId, "Success", "Channels have been bridged");
    double delay = pbx.bridgeDelaySeconds;
    if (delay <= 0) {
      enterBridge(one, two);
    } else {
      pbx.later(
          one.call,
          delay,
          () -> {
            if (!one.gone && !two.gone) {
              enterBridge(one, two);
            }
          });
    }
  }

  void enterBridge(Channel one, Channel two) {
    Bridge bridge =
        new Bridge(
            String.format(
                "%08x-0000-4000-8000-%012x", pbx.bridgeSequence++, System.nanoTime() & 0xffff));
    pbx.emit("BridgeCreate", "call,all", bridgeFields(bridge));
    for (Channel channel : List.of(one, two)) {
      if (channel.bridge != null) {
        pbx.leaveBridge(channel);
      }
      channel.linkedId = one.linkedId;
      channel.priority = 4;
      bridge.members.add(channel);
      channel.bridge = bridge;
      pbx.emitChannel("BridgeEnter", channel, bridgeFields(bridge));
    }
  }

  void redirect(AmiSession session, Map<String, String> action, String actionId) {
    Channel channel = pbx.channels.get(action.getOrDefault("channel", ""));
    if (channel == null) {
      session.respond(actionId, "Error", "Channel does not exist: " + action.get("channel"));
      return;
    }
    session.respond(actionId, "Success", "Redirect successful");
    Bridge bridge = channel.bridge;
    if (bridge != null) {
      pbx.leaveBridge(channel);
      List<Channel> rest = new ArrayList<>(bridge.members);
      for (Channel other : rest) {
        pbx.leaveBridge(other);
      }
      pbx.emit("BridgeDestroy", "call,all", bridgeFields(bridge));
      for (Channel other : rest) {
        if (other.call.agent && !other.gone) {
          pbx.emitChannel("UserEvent", other, "UserEvent", "AgentIdle");
        }
      }
    }
    channel.context = action.getOrDefault("context", channel.context);
    channel.exten = action.getOrDefault("exten", "s");
    channel.priority = (int) parseLong(action.get("priority"), 1);
    Call call = channel.call;
    if (channel.context.equals(settings.safeHarborContext())) {
      pbx.later(
          call,
          settings.safeHarborSeconds(),
          () -> {
            if (call.ended) {
              return;
            }
            channel.priority = 4;
            pbx.emitChannel(
                "UserEvent",
                channel,
                "UserEvent",
                "DialerSafeHarbor",
                "Result",
                call.plan.optOut() ? "OPTOUT" : "PLAYED");
            pbx.hangups.localHangup(call, 16);
          });
    }
  }

  void hangupAction(AmiSession session, Map<String, String> action, String actionId) {
    Channel channel = pbx.channels.get(action.getOrDefault("channel", ""));
    if (channel == null) {
      session.respond(actionId, "Error", "No such channel");
      return;
    }
    session.respond(actionId, "Success", "Channel Hungup");
    int cause = (int) parseLong(action.get("cause"), 16);
    if (channel.legTwo) {
      pbx.hangups.remoteHangup(channel.call);
    } else {
      pbx.hangups.localHangup(channel.call, cause);
    }
  }

  void coreShowChannels(AmiSession session, String actionId) {
    session.respond(actionId, "Success", "Channels will follow", "EventList", "start");
    int count = 0;
    for (Channel c : pbx.channels.values()) {
      count++;
      session.send(
          listed(
              "CoreShowChannel",
              actionId,
              c,
              "BridgeId",
              c.bridge == null ? "" : c.bridge.id,
              "Application",
              c.call.agent ? "Wait" : "AppDial2",
              "ApplicationData",
              "",
              "Duration",
              duration(c),
              "BridgedChannel",
              "",
              "BridgedUniqueID",
              ""));
    }
    session.send(listComplete("CoreShowChannelsComplete", actionId, count));
  }

  void status(AmiSession session, Map<String, String> action, String actionId) {
    String only = action.get("channel");
    if (only != null && !only.isEmpty() && !pbx.channels.containsKey(only)) {
      session.respond(actionId, "Error", "No such channel");
      return;
    }
    session.respond(actionId, "Success", "Channel status will follow", "EventList", "start");
    int count = 0;
    for (Channel c : pbx.channels.values()) {
      if (only != null && !only.isEmpty() && !c.name.equals(only)) {
        continue;
      }
      count++;
      session.send(
          listed(
              "Status",
              actionId,
              c,
              "BridgeID",
              c.bridge == null ? "" : c.bridge.id,
              "Seconds",
              Long.toString((System.nanoTime() - c.createdNanos) / 1_000_000_000L)));
    }
    session.send(listComplete("StatusComplete", actionId, count, "Items", Integer.toString(count)));
  }

  /** The event that ends a listing of {@code count} items, then {@code extra} fields. */
  private static String listComplete(String name, String actionId, int count, String... extra) {
    String[] fields = {
      "ActionID",
      actionId == null ? "" : actionId,
      "EventList",
      "Complete",
      "ListItems",
      Integer.toString(count)
    };
    String[] all = java.util.Arrays.copyOf(fields, fields.length + extra.length);
    System.arraycopy(extra, 0, all, fields.length, extra.length);
    return event(name, "call,all", all);
  }

  /** One item of a channel listing: the action's id, the channel's fields, then {@code extra}. */
  private static String listed(String name, String actionId, Channel c, String... extra) {
    List<String> f = new ArrayList<>(List.of("ActionID", actionId == null ? "" : actionId));
    f.addAll(List.of(channelFields(c)));
    f.addAll(List.of(extra));
    return event(name, "call,all", f.toArray(String[]::new));
  }
}
