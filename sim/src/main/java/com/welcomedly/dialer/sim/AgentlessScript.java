package com.welcomedly.dialer.sim;

import java.util.Map;

/**
 * What the far end of an agentless call does with the campaign's message, decided when it answers —
 * the timeline the real {@code dialer-agentless} dialplan would report: with AMD ({@code
 * DIALER_AMD=1}) an {@code AMDResult} after {@code amdSeconds}; then one {@code UserEvent
 * DialerAgentless} with {@code result} (and {@code key}) {@code resultAfter} simulated seconds
 * after the answer, after which the dialplan hangs up unless the result is TRANSFER (the callee
 * then waits for the dialer's Bridge or Redirect).
 *
 * <p>A machine with AMD: MESSAGE_LEFT after the message ({@code DIALER_LEAVE_MESSAGE=1}) or MACHINE
 * at once. A person (or a machine without AMD) who presses a key ({@link CallPlan#key()}, or the
 * campaign's opt-out key for an opt-out plan) does so {@code keypressSeconds} into the message:
 * TRANSFER for {@code DIALER_TRANSFER_KEY}, OPTOUT for {@code DIALER_OPTOUT_KEY}, PLAYED for any
 * other key; without a key the message plays to its end: PLAYED.
 */
record AgentlessScript(
    boolean amd, boolean machine, double resultAfter, String result, String key) {

  static AgentlessScript of(
      CallPlan plan, Map<String, String> variables, SimulatorSettings settings) {
    boolean amd = "1".equals(variables.get("DIALER_AMD"));
    boolean machine = plan.outcome() == CallPlan.Outcome.MACHINE;
    double start = amd ? settings.amdSeconds() : 0;
    if (amd && machine) {
      boolean leave = "1".equals(variables.get("DIALER_LEAVE_MESSAGE"));
      return leave
          ? new AgentlessScript(true, true, start + settings.messageSeconds(), "MESSAGE_LEFT", null)
          : new AgentlessScript(true, true, start + 0.05, "MACHINE", null);
    }
    String transferKey = variables.getOrDefault("DIALER_TRANSFER_KEY", "1");
    String optOutKey = variables.getOrDefault("DIALER_OPTOUT_KEY", "9");
    String key = plan.optOut() ? optOutKey : machine ? null : plan.key();
    if (key == null) {
      return new AgentlessScript(amd, machine, start + settings.messageSeconds(), "PLAYED", null);
    }
    String result =
        key.equals(transferKey) ? "TRANSFER" : key.equals(optOutKey) ? "OPTOUT" : "PLAYED";
    return new AgentlessScript(amd, machine, start + settings.keypressSeconds(), result, key);
  }

  /** The dialplan hangs up after every result but TRANSFER. */
  boolean hangsUp() {
    return !"TRANSFER".equals(result);
  }
}
