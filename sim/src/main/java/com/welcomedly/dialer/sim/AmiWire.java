package com.welcomedly.dialer.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * How the simulated PBX writes AMI: event packets and the field lists Asterisk 22 puts in them
 * (channel, destination and bridge fields, state and cause texts). Pure functions.
 */
final class AmiWire {
  private AmiWire() {}

  static String[] channelFields(Channel c) {
    return new String[] {
      "Channel",
      c.name,
      "ChannelState",
      Integer.toString(c.state),
      "ChannelStateDesc",
      stateDesc(c.state),
      "CallerIDNum",
      "<unknown>",
      "CallerIDName",
      "<unknown>",
      "ConnectedLineNum",
      "<unknown>",
      "ConnectedLineName",
      "<unknown>",
      "Language",
      "en",
      "AccountCode",
      "",
      "Context",
      c.context,
      "Exten",
      c.exten,
      "Priority",
      Integer.toString(c.priority),
      "Uniqueid",
      c.uniqueId,
      "Linkedid",
      c.linkedId
    };
  }

  static String[] destFields(Channel c, String... extra) {
    List<String> f =
        new ArrayList<>(
            List.of(
                "DestChannel",
                c.name,
                "DestChannelState",
                Integer.toString(c.state),
                "DestChannelStateDesc",
                stateDesc(c.state),
                "DestCallerIDNum",
                "<unknown>",
                "DestCallerIDName",
                "<unknown>",
                "DestConnectedLineNum",
                "<unknown>",
                "DestConnectedLineName",
                "<unknown>",
                "DestLanguage",
                "en",
                "DestAccountCode",
                "",
                "DestContext",
                c.context,
                "DestExten",
                c.exten,
                "DestPriority",
                Integer.toString(c.priority),
                "DestUniqueid",
                c.uniqueId,
                "DestLinkedid",
                c.linkedId));
    f.addAll(List.of(extra));
    return f.toArray(String[]::new);
  }

  static String[] bridgeFields(Bridge bridge) {
    return new String[] {
      "BridgeUniqueid", bridge.id,
      "BridgeType", "basic",
      "BridgeTechnology", "simple_bridge",
      "BridgeCreator", "<unknown>",
      "BridgeName", "<unknown>",
      "BridgeNumChannels", Integer.toString(bridge.members.size()),
      "BridgeVideoSourceMode", "none"
    };
  }

  static String event(String name, String privilege, String... fields) {
    StringBuilder sb = new StringBuilder(256);
    sb.append("Event: ").append(name).append("\r\n");
    sb.append("Privilege: ").append(privilege).append("\r\n");
    for (int i = 0; i + 1 < fields.length; i += 2) {
      sb.append(fields[i]).append(": ").append(fields[i + 1]).append("\r\n");
    }
    return sb.append("\r\n").toString();
  }

  static String stateDesc(int state) {
    return switch (state) {
      case 0 -> "Down";
      case 4 -> "Ring";
      case 5 -> "Ringing";
      case 6 -> "Up";
      case 7 -> "Busy";
      default -> "Unknown";
    };
  }

  static String causeText(int cause) {
    return switch (cause) {
      case 1 -> "Unallocated (unassigned) number";
      case 16 -> "Normal Clearing";
      case 17 -> "User busy";
      case 19 -> "User alerting, no answer";
      case 21 -> "Call Rejected";
      case 34 -> "Circuit/channel congestion";
      default -> "Unknown";
    };
  }

  static String duration(Channel c) {
    long seconds = (System.nanoTime() - c.createdNanos) / 1_000_000_000L;
    return String.format("%02d:%02d:%02d", seconds / 3600, (seconds / 60) % 60, seconds % 60);
  }

  static long parseLong(String text, long fallback) {
    if (text == null) {
      return fallback;
    }
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }
}
