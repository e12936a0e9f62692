package com.welcomedly.dialer.api.agent;

import com.welcomedly.dialer.api.agent.AgentRoutes.AgentView;
import com.welcomedly.dialer.api.agent.AgentRoutes.CallView;
import com.welcomedly.dialer.api.agent.AgentRoutes.SessionView;
import com.welcomedly.dialer.engine.agent.Agent;
import com.welcomedly.dialer.engine.agent.Session;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/** The agent's summary as the API shows it, for the REST replies and the channel alike. */
final class AgentViews {

  private AgentViews() {}

  static AgentView of(Agent.Summary s) {
    return new AgentView(
        s.agentId(),
        s.displayName(),
        s.phoneEndpoint(),
        s.campaigns(),
        s.status().name(),
        s.statusSince(),
        name(s.pauseReason()),
        name(s.pauseAfterCall()),
        CallView.of(s.call()),
        s.wrapUpDeadline(),
        session(s.session()));
  }

  /**
   * Seconds per status, accounted up to the summary's moment. Logged-in time is the sum of all
   * statuses, so the figures always add up.
   */
  static SessionView session(Session session) {
    if (session == null) {
      return null;
    }
    Map<String, Long> byReason = new TreeMap<>();
    session.pauseTime().forEach((reason, time) -> byReason.put(reason.name(), time.toSeconds()));
    return new SessionView(
        session.sessionId(),
        session.loggedInAt(),
        session.timeInStatus().values().stream().reduce(Duration.ZERO, Duration::plus).toSeconds(),
        seconds(session, Agent.Status.READY),
        seconds(session, Agent.Status.RESERVED),
        seconds(session, Agent.Status.ON_CALL),
        seconds(session, Agent.Status.WRAP_UP),
        seconds(session, Agent.Status.PAUSED),
        byReason);
  }

  private static long seconds(Session session, Agent.Status status) {
    return session.timeInStatus().getOrDefault(status, Duration.ZERO).toSeconds();
  }

  static String name(Enum<?> value) {
    return value == null ? null : value.name();
  }
}
