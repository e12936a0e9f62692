package com.welcomedly.dialer.engine.agent;

import com.welcomedly.dialer.engine.CborSerializable;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * Time accounting of one login session: time spent in each status and, while paused, per pause
 * reason. Accounted up to the last status change; {@link AgentState#accountedUntil} adds the
 * running stretch.
 */
public record Session(
    String sessionId,
    Instant loggedInAt,
    Map<Agent.Status, Duration> timeInStatus,
    Map<Agent.PauseReason, Duration> pauseTime)
    implements CborSerializable {

  private static final Set<Agent.Status> PRODUCTIVE =
      Set.of(Agent.Status.READY, Agent.Status.RESERVED, Agent.Status.ON_CALL, Agent.Status.WRAP_UP);

  public Session {
    timeInStatus = Map.copyOf(timeInStatus);
    pauseTime = Map.copyOf(pauseTime);
  }

  static Session start(String sessionId, Instant at) {
    return new Session(sessionId, at, Map.of(), Map.of());
  }

  Session plus(Agent.Status status, Agent.PauseReason reason, Duration spent) {
    Map<Agent.Status, Duration> byStatus = new EnumMap<>(Agent.Status.class);
    byStatus.putAll(timeInStatus);
    byStatus.merge(status, spent, Duration::plus);
    Map<Agent.PauseReason, Duration> byReason = new EnumMap<>(Agent.PauseReason.class);
    byReason.putAll(pauseTime);
    if (status == Agent.Status.PAUSED && reason != null) {
      byReason.merge(reason, spent, Duration::plus);
    }
    return new Session(sessionId, loggedInAt, byStatus, byReason);
  }

  /** Ready, reserved, talking or wrapping up: the time the agent was available to the dialer. */
  public Duration productiveTime() {
    return timeInStatus.entrySet().stream()
        .filter(e -> PRODUCTIVE.contains(e.getKey()))
        .map(Map.Entry::getValue)
        .reduce(Duration.ZERO, Duration::plus);
  }

  public Duration totalPauseTime() {
    return timeInStatus.getOrDefault(Agent.Status.PAUSED, Duration.ZERO);
  }
}
