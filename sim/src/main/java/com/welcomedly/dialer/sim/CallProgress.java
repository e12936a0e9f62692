package com.welcomedly.dialer.sim;

import static com.welcomedly.dialer.sim.AmiWire.parseLong;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A call from its Originate to its answer, as the callee's {@link CallPlan} decides: the Local
 * channel pair, ringing, busy/congestion/no answer/invalid numbers with Asterisk 22's reasons and
 * causes, the answer, and after it the dialplan's part (AMD, the agentless message) and the
 * callee's own hangup. PBX thread only.
 */
final class CallProgress {
  private final Pbx pbx;
  private final SimulatorSettings settings;

  CallProgress(Pbx pbx) {
    this.pbx = pbx;
    this.settings = pbx.settings;
  }

  void originate(
      AmiSession session, Map<String, String> action, List<String> variables, String actionId) {
    String dial = action.get("channel");
    String context = action.getOrDefault("context", "default");
    if (dial == null || !dial.contains("/")) {
      session.respond(actionId, "Error", "Channel not specified");
      return;
    }
    if (action.containsKey("application") && !action.containsKey("context")) {
      session.respond(actionId, "Error", "Application-only originates are not simulated");
      return;
    }
    session.respond(actionId, "Success", "Originate successfully queued");
    String resource = dial.substring(dial.indexOf('/') + 1);
    String number =
        resource.contains("@") ? resource.substring(0, resource.indexOf('@')) : resource;
    String remoteContext =
        resource.contains("@") ? resource.substring(resource.indexOf('@') + 1) : "from-dialer";
    boolean agent = context.equals(settings.agentContext());
    int dialCount = pbx.dialCounts.merge(number, 1, Integer::sum);
    CallPlan plan = CallPlan.plan(number, dialCount, settings);
    String uniqueId = action.getOrDefault("channelid", pbx.nextUniqueId());
    String otherId = action.getOrDefault("otherchannelid", pbx.nextUniqueId());
    Call call = new Call(actionId, uniqueId, dial, context, agent, plan);
    Map<String, String> vars = new HashMap<>();
    for (String variable : variables) {
      int eq = variable.indexOf('=');
      if (eq > 0) {
        vars.put(variable.substring(0, eq), variable.substring(eq + 1));
      }
    }
    call.variables = Map.copyOf(vars);
    String base = dial + "-" + String.format("%08x", pbx.channelSequence++);
    call.one = new Channel(base + ";1", uniqueId, call, false);
    call.two = new Channel(base + ";2", otherId, call, true);
    for (Channel c : List.of(call.one, call.two)) {
      c.context = remoteContext;
      c.exten = number;
      pbx.channels.put(c.name, c);
      pbx.liveChannels.incrementAndGet();
    }
    call.one.state = 0;
    call.two.state = 4;
    long timeoutMillis = parseLong(action.get("timeout"), 30_000L);
    double timeoutSimSeconds = timeoutMillis / 1000.0;
    pbx.emitChannel("Newchannel", call.one);
    pbx.emitChannel("Newchannel", call.two);
    for (String variable : variables) {
      int eq = variable.indexOf('=');
      if (eq > 0) {
        pbx.emitChannel(
            "VarSet",
            call.one,
            "Variable",
            variable.substring(0, eq),
            "Value",
            variable.substring(eq + 1));
      }
    }
    if (agent) {
      pbx.dialBegin(call);
      pbx.later(call, settings.agentAnswerSeconds(), () -> answer(call, false));
      return;
    }
    switch (plan.outcome()) {
      case NO_SUCH_NUMBER ->
          pbx.later(
              call,
              0.002,
              () -> {
                pbx.hangupChannel(call.two, 0);
                pbx.originateFailure(call, 0);
                pbx.hangupChannel(call.one, 0);
                pbx.end(call);
              });
      case UNALLOCATED, REJECTED -> {
        pbx.dialBegin(call);
        int cause = plan.outcome() == CallPlan.Outcome.UNALLOCATED ? 1 : 21;
        pbx.later(
            call,
            Math.min(plan.ringSeconds(), timeoutSimSeconds),
            () -> {
              call.two.priority = 3;
              pbx.emitChannel("SoftHangupRequest", call.two, "Cause", "16");
              pbx.emitChannel("HangupRequest", call.one, "Cause", Integer.toString(cause));
              pbx.hangupChannel(call.two, cause);
              pbx.originateFailure(call, 0);
              pbx.dialEnd(call, "NOANSWER");
              pbx.hangupChannel(call.one, cause);
              pbx.end(call);
            });
      }
      default -> {
        pbx.dialBegin(call);
        pbx.ringing(call);
        double ring = plan.ringSeconds();
        if (plan.outcome() == CallPlan.Outcome.NO_ANSWER && ring >= timeoutSimSeconds
            || ring >= timeoutSimSeconds) {
          pbx.later(call, timeoutSimSeconds, () -> originateTimeout(call));
        } else {
          pbx.later(call, ring, () -> resolve(call));
        }
      }
    }
  }

  void resolve(Call call) {
    if (call.resolved) {
      return;
    }
    switch (call.plan.outcome()) {
      case HUMAN, MACHINE -> answer(call, call.plan.responseFirst());
      case BUSY -> {
        call.resolved = true;
        call.two.state = 7;
        call.two.priority = 5;
        pbx.emitChannel("Newstate", call.two);
        pbx.dialEnd(call, "BUSY");
        pbx.emitChannel("HangupRequest", call.two, "Cause", "0");
        pbx.emitChannel("SoftHangupRequest", call.two, "Cause", "16");
        pbx.hangupChannel(call.two, 17);
        if (call.plan.responseFirst()) {
          pbx.originateFailure(call, 5);
          pbx.hangupChannel(call.one, 0);
        } else {
          pbx.hangupChannel(call.one, 0);
          pbx.originateFailure(call, 5);
        }
        pbx.end(call);
      }
      case CONGESTION -> {
        call.resolved = true;
        call.two.state = 7;
        call.two.priority = 5;
        pbx.emitChannel("Newstate", call.two);
        pbx.originateFailure(call, 8);
        pbx.dialEnd(call, "CONGESTION");
        pbx.emitChannel("HangupRequest", call.two, "Cause", "0");
        pbx.emitChannel("SoftHangupRequest", call.two, "Cause", "16");
        pbx.hangupChannel(call.two, 34);
        pbx.hangupChannel(call.one, 0);
        pbx.end(call);
      }
      case NO_ANSWER -> {
        // The callee's network gives up before our Originate timeout (Reason 0, cause 19).
        call.resolved = true;
        pbx.originateFailure(call, 0);
        call.two.priority = 6;
        pbx.emitChannel("SoftHangupRequest", call.two, "Cause", "16");
        pbx.emitChannel("HangupRequest", call.one, "Cause", "19");
        pbx.hangupChannel(call.two, 19);
        pbx.dialEnd(call, "NOANSWER");
        pbx.hangupChannel(call.one, 19);
        pbx.end(call);
      }
      default -> {}
    }
  }

  void originateTimeout(Call call) {
    if (call.resolved) {
      return;
    }
    call.resolved = true;
    call.two.priority = 5;
    pbx.emitChannel("HangupRequest", call.two, "Cause", "19");
    pbx.originateFailure(call, 3);
    pbx.emitChannel("SoftHangupRequest", call.two, "Cause", "16");
    pbx.hangupChannel(call.two, 19);
    pbx.hangupChannel(call.one, 19);
    pbx.end(call);
  }

  void answer(Call call, boolean responseFirst) {
    if (call.resolved) {
      return;
    }
    call.resolved = true;
    if (responseFirst) {
      pbx.originateSuccess(call);
    }
    call.two.state = 6;
    call.two.priority = call.agent ? 2 : 5;
    pbx.emitChannel("Newstate", call.two);
    call.one.state = 6;
    pbx.emitChannel("Newstate", call.one);
    pbx.dialEnd(call, "ANSWER");
    if (!responseFirst) {
      pbx.originateSuccess(call);
    }
    call.one.context = call.originateContext;
    call.one.exten = "s";
    call.one.priority = call.agent ? 4 : 1;
    if (call.agent) {
      return;
    }
    if (call.originateContext.equals(settings.amdContext())) {
      pbx.later(call, settings.amdSeconds(), () -> amdResult(call, 4));
    } else if (call.originateContext.equals(settings.agentlessContext())) {
      AgentlessScript script = AgentlessScript.of(call.plan, call.variables, settings);
      if (script.amd()) {
        pbx.later(call, settings.amdSeconds(), () -> amdResult(call, 6));
      }
      pbx.later(call, script.resultAfter(), () -> agentlessResult(call, script));
    }
    if (call.plan.talkSeconds() > 0) {
      pbx.later(call, call.plan.talkSeconds(), () -> pbx.hangups.remoteHangup(call));
    }
  }

  /** {@code UserEvent AMDResult}, as app_amd's verdict is reported by our dialplan. */
  void amdResult(Call call, int priority) {
    if (call.ended) {
      return;
    }
    boolean machine = call.plan.outcome() == CallPlan.Outcome.MACHINE;
    call.one.priority = priority;
    pbx.emitChannel(
        "UserEvent",
        call.one,
        "UserEvent",
        "AMDResult",
        "AMDStatus",
        machine ? "MACHINE" : "HUMAN",
        "AMDCause",
        machine ? "LONGGREETING-1500-1500" : "HUMAN-800-800");
  }

  /**
   * {@code UserEvent DialerAgentless} from dialer-agentless; it hangs up after all but TRANSFER.
   */
  void agentlessResult(Call call, AgentlessScript script) {
    if (call.ended || call.one.bridge != null || !call.one.context.equals(call.originateContext)) {
      return; // gone, or already taken elsewhere by the dialer
    }
    List<String> fields =
        new ArrayList<>(
            List.of(
                "UserEvent",
                "DialerAgentless",
                "Result",
                script.result(),
                "CallId",
                call.one.uniqueId));
    if (script.key() != null) {
      call.one.exten = script.key();
      call.one.priority = 1;
      fields.addAll(List.of("Key", script.key()));
    }
    pbx.emitChannel("UserEvent", call.one, fields.toArray(String[]::new));
    if (script.hangsUp()) {
      pbx.hangups.localHangup(call, 16);
    }
  }
}
