package com.welcomedly.dialer.sim;

import static com.welcomedly.dialer.sim.AmiWire.bridgeFields;

import java.util.ArrayList;
import java.util.List;

/**
 * How a call ends: the far end hangs up, the dialer hangs up its side, or a bridge loses its last
 * partner (an agent leg goes back to holding, a lone customer is hung up). PBX thread only.
 */
final class Hangups {
  private final Pbx pbx;

  Hangups(Pbx pbx) {
    this.pbx = pbx;
  }

  /** The far end (customer or agent phone) hangs up: the ;2 leg goes first. */
  void remoteHangup(Call call) {
    if (call.ended) {
      return;
    }
    Bridge bridge = call.one.bridge;
    call.two.priority = call.agent ? 3 : 8;
    pbx.emitChannel("SoftHangupRequest", call.two, "Cause", "16");
    pbx.emitChannel("HangupRequest", call.one, "Cause", "16");
    pbx.hangupChannel(call.two, 16);
    if (bridge != null) {
      pbx.leaveBridge(call.one);
    }
    pbx.hangupChannel(call.one, 16);
    pbx.end(call);
    if (bridge != null) {
      teardown(bridge);
    }
  }

  /** A Hangup action on the ;1 leg (the side the dialer controls). */
  void localHangup(Call call, int cause) {
    if (call.ended) {
      return;
    }
    String c = Integer.toString(cause);
    Bridge bridge = call.one.bridge;
    boolean beforeAnswer = !call.resolved;
    call.resolved = true;
    if (bridge != null) {
      pbx.leaveBridge(call.one);
      pbx.emitChannel("HangupRequest", call.two, "Cause", c);
      pbx.hangupChannel(call.one, cause);
      teardown(bridge);
    } else {
      pbx.emitChannel("SoftHangupRequest", call.one, "Cause", c);
      pbx.emitChannel("HangupRequest", call.two, "Cause", c);
      pbx.hangupChannel(call.one, cause);
      if (beforeAnswer) {
        // Asterisk's dial loop sees the hangup: AST_CONTROL_HANGUP, Reason 1.
        pbx.originateFailure(call, 1);
      }
    }
    pbx.emitChannel("SoftHangupRequest", call.two, "Cause", c);
    pbx.hangupChannel(call.two, cause);
    pbx.end(call);
  }

  /** The last member leaves; an agent leg goes back to holding, a lone customer is hung up. */
  void teardown(Bridge bridge) {
    List<Channel> rest = new ArrayList<>(bridge.members);
    for (Channel other : rest) {
      pbx.leaveBridge(other);
    }
    pbx.emit("BridgeDestroy", "call,all", bridgeFields(bridge));
    for (Channel other : rest) {
      if (other.gone) {
        continue;
      }
      if (other.call.agent) {
        other.priority = 4;
        pbx.emitChannel("UserEvent", other, "UserEvent", "AgentIdle");
      } else {
        localHangup(other.call, 16);
      }
    }
  }
}
