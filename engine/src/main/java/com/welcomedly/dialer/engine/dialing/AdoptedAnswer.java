package com.welcomedly.dialer.engine.dialing;

import com.welcomedly.dialer.engine.telephony.TelephonyGateway;
import java.util.List;
import java.util.Optional;

/**
 * Rules for an answered call a dialer instance takes over from its predecessor (node lost or shard
 * handed off) before the call was recorded as connected: was the customer already bridged to an
 * agent on the PBX, and is this instance still waiting to learn which agent.
 */
final class AdoptedAnswer {
  private AdoptedAnswer() {}

  /** The customer's channel is in a bridge: the previous instance's Bridge went through. */
  static boolean bridged(TelephonyGateway.LiveChannel channel) {
    return channel != null && channel.bridgeId() != null && !channel.bridgeId().isBlank();
  }

  /**
   * The agent whose leg shares the customer's bridge, when this node's gateway knows that leg (the
   * dialer restarted on the same node): a call bridged first whose record may not have landed.
   */
  static Optional<String> agentInBridge(
      TelephonyGateway.LiveChannel customer, List<TelephonyGateway.LiveChannel> channels) {
    if (!bridged(customer)) {
      return Optional.empty();
    }
    return channels.stream()
        .filter(c -> c.agentId() != null && customer.bridgeId().equals(c.bridgeId()))
        .map(TelephonyGateway.LiveChannel::agentId)
        .findFirst();
  }

  /**
   * An adopted call bridged on the PBX whose agent is not known yet: the agent the previous
   * instance reserved for it (seen RESERVED on this attempt at the next refresh) is the one.
   */
  static boolean bridgedWithoutAgent(CallBook.Call call) {
    return call.phase() == CallBook.Phase.BRIDGING && call.agentId() == null;
  }

  /**
   * An event this call is already past: after an adoption both the previous node's gateway (through
   * the relay) and this node's may report the same answer or bridge.
   */
  static boolean isRepeat(TelephonyGateway.CallEvent event, CallBook.Call call) {
    if (event instanceof TelephonyGateway.MachineDetection) {
      // An AGENTLESS call plays its message (MESSAGE) while AMD listens: the verdict is news.
      return call.phase() != CallBook.Phase.DIALING && call.phase() != CallBook.Phase.MESSAGE;
    }
    if (event instanceof TelephonyGateway.Answered) {
      return call.phase() != CallBook.Phase.DIALING;
    }
    if (event instanceof TelephonyGateway.Bridged) {
      // Bridge first: a call waits in BRIDGING for the PBX's bridge and the agent's record; once
      // either is in, the same report again is a repeat.
      return call.phase() != CallBook.Phase.BRIDGING || call.bridgedAt() != null;
    }
    return false;
  }
}
