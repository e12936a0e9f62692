package com.welcomedly.dialer.engine.telephony;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code dialer.telephony} (see reference.conf): where the PBX is, how the gateway paces and
 * protects itself, and the dialplan contexts of {@code asterisk-config/extensions.conf}.
 */
public record AmiGatewaySettings(
    String host,
    int port,
    String username,
    String secret,
    String blockingDispatcher,
    Duration keepAliveInterval,
    Duration actionTimeout,
    int maxInFlightActions,
    Duration minBackoff,
    Duration maxBackoff,
    Duration originateResponseGrace,
    Duration failureSettleTime,
    Duration agentAnswerTimeout,
    String customerContext,
    String customerAmdContext,
    String agentContext,
    String safeHarborContext,
    String agentlessContext) {

  public static AmiGatewaySettings fromConfig(Config root) {
    Config t = root.getConfig("dialer.telephony");
    return new AmiGatewaySettings(
        t.getString("ami.host"),
        t.getInt("ami.port"),
        t.getString("ami.username"),
        t.getString("ami.secret"),
        t.getString("blocking-dispatcher"),
        t.getDuration("keepalive-interval"),
        t.getDuration("action-timeout"),
        t.getInt("max-in-flight-actions"),
        t.getDuration("reconnect.min-backoff"),
        t.getDuration("reconnect.max-backoff"),
        t.getDuration("originate-response-grace"),
        t.getDuration("failure-settle-time"),
        t.getDuration("agent-answer-timeout"),
        t.getString("contexts.customer"),
        t.getString("contexts.customer-amd"),
        t.getString("contexts.agent"),
        t.getString("contexts.safe-harbor"),
        t.getString("contexts.agentless"));
  }

  public AmiGatewaySettings withPort(int newPort) {
    return new AmiGatewaySettings(
        host,
        newPort,
        username,
        secret,
        blockingDispatcher,
        keepAliveInterval,
        actionTimeout,
        maxInFlightActions,
        minBackoff,
        maxBackoff,
        originateResponseGrace,
        failureSettleTime,
        agentAnswerTimeout,
        customerContext,
        customerAmdContext,
        agentContext,
        safeHarborContext,
        agentlessContext);
  }

  /** Exponential backoff for the n-th consecutive failed connection attempt (0-based). */
  Duration backoff(int attempt) {
    long factor = 1L << Math.min(attempt, 20);
    Duration next = minBackoff.multipliedBy(factor);
    return next.compareTo(maxBackoff) > 0 ? maxBackoff : next;
  }
}
