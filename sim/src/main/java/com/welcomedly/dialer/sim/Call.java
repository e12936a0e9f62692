package com.welcomedly.dialer.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;

/** One Originate: its two Local legs, the callee's plan and its pending timers; PBX thread only. */
final class Call {
  final String actionId;
  final String linkedId;
  final String dialString;
  final String originateContext;
  final boolean agent;
  final CallPlan plan;
  final List<ScheduledFuture<?>> timers = new ArrayList<>();

  /** The Originate's channel variables (DIALER_AMD, DIALER_TRANSFER_KEY, ...). */
  Map<String, String> variables = Map.of();

  Channel one;
  Channel two;
  boolean resolved;
  boolean ended;

  Call(
      String actionId,
      String linkedId,
      String dialString,
      String originateContext,
      boolean agent,
      CallPlan plan) {
    this.actionId = actionId;
    this.linkedId = linkedId;
    this.dialString = dialString;
    this.originateContext = originateContext;
    this.agent = agent;
    this.plan = plan;
  }
}
