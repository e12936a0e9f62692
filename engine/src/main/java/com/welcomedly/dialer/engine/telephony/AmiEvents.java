package com.welcomedly.dialer.engine.telephony;

import com.welcomedly.dialer.engine.telephony.TelephonyGateway.LiveChannel;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import org.asteriskjava.manager.event.BridgeEnterEvent;
import org.asteriskjava.manager.event.BridgeLeaveEvent;
import org.asteriskjava.manager.event.CoreShowChannelEvent;
import org.asteriskjava.manager.event.DialEndEvent;
import org.asteriskjava.manager.event.DisconnectEvent;
import org.asteriskjava.manager.event.HangupEvent;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.event.NewChannelEvent;
import org.asteriskjava.manager.event.NewStateEvent;
import org.asteriskjava.manager.event.OriginateResponseEvent;
import org.asteriskjava.manager.event.ShutdownEvent;
import org.asteriskjava.manager.event.SoftHangupRequestEvent;
import org.asteriskjava.manager.event.UserEvent;

/**
 * Pure functions from asterisk-java's event beans to our immutable {@link Observed} records. The
 * beans are mutable and owned by asterisk-java's reader thread, so they are copied field by field
 * here and never leave this class. Everything the gateway does not need maps to {@link
 * Optional#empty()}; a bean with the fields we need missing (a malformed packet) maps to {@link
 * Malformed} so the gateway can count and log it instead of failing.
 */
public final class AmiEvents {
  private AmiEvents() {}

  /**
   * What the PBX told us, already stripped of AMI types. Correlated by Asterisk Uniqueid. These are
   * {@link TelephonyGateway.Command}s only so the listener can tell them to the gateway directly.
   */
  public sealed interface Observed extends TelephonyGateway.Command {
    Instant at();
  }

  public record ChannelCreated(String uniqueId, String channel, int state, Instant at)
      implements Observed {}

  public record ChannelStateChanged(String uniqueId, String channel, int state, Instant at)
      implements Observed {}

  /** DialEnd names the dialled channel as Dest*; {@code status} is ANSWER, BUSY, NOANSWER, … */
  public record DialEnded(String uniqueId, String channel, String status, Instant at)
      implements Observed {}

  public record ChannelHungUp(String uniqueId, String channel, int cause, Instant at)
      implements Observed {}

  /**
   * OriginateResponse. {@code actionId} is ours (asterisk-java strips its internal prefix); on
   * failure Asterisk reports the dial string as channel, without the {@code -xxxxxxxx;1} suffix.
   */
  public record OriginateResult(
      String actionId, String uniqueId, String channel, boolean success, int reason, Instant at)
      implements Observed {}

  public record BridgeEntered(String bridgeId, String uniqueId, String channel, Instant at)
      implements Observed {}

  public record BridgeLeft(String bridgeId, String uniqueId, String channel, Instant at)
      implements Observed {}

  /** UserEvent AMDResult from the AMD context (AMDStatus, AMDCause). */
  public record AmdResult(String uniqueId, String status, String cause, Instant at)
      implements Observed {}

  /** UserEvent AgentIdle: the nailed-up agent leg is back in the holding context. */
  public record AgentLegIdle(String uniqueId, String channel, Instant at) implements Observed {}

  /**
   * UserEvent DialerSafeHarbor: the safe-harbor context ended with Result PLAYED, OPTOUT or FAILED
   * (the message could not be played; {@code reason} says why). A missing Result is FAILED: only an
   * explicit PLAYED or OPTOUT is evidence that the message played.
   */
  public record SafeHarborResult(String uniqueId, String result, String reason, Instant at)
      implements Observed {}

  /**
   * UserEvent DialerAgentless: the agentless context's result for its message ({@code result}
   * TRANSFER, OPTOUT, PLAYED, MESSAGE_LEFT, MACHINE or FAILED; a missing Result is FAILED).
   */
  public record AgentlessResult(
      String uniqueId, String result, String key, String reason, Instant at) implements Observed {}

  /**
   * AMI {@code Shutdown}: the PBX is stopping (or restarting) and has already hung up its channels;
   * nothing sent to it now will be carried out.
   */
  public record PbxShutdown(boolean restart, Instant at) implements Observed {}

  /**
   * A SoftHangupRequest with cause 4 (AST_SOFTHANGUP_SHUTDOWN): Asterisk only sends it when it
   * hangs up every channel to stop or restart — about a second before {@code Shutdown}, and before
   * the final events of the calls it cuts.
   */
  public record PbxStopping(String uniqueId, Instant at) implements Observed {}

  /** Asterisk's soft-hangup flag for "the system is shutting down" (channel.h). */
  static final int SOFTHANGUP_SHUTDOWN = 4;

  /** The TCP connection to the PBX is gone (asterisk-java's DisconnectEvent). */
  public record LinkLost(Instant at) implements Observed {}

  /** A packet we understood as an event we need, but without the fields that make it usable. */
  public record Malformed(String eventType, String problem, Instant at) implements Observed {}

  /** Maps one bean; empty for events the gateway does not use. */
  public static Optional<Observed> toObserved(ManagerEvent event) {
    Instant at = receivedAt(event);
    if (event instanceof DisconnectEvent) {
      return Optional.of(new LinkLost(at));
    }
    if (event instanceof OriginateResponseEvent e) {
      if (e.getActionId() == null) {
        return malformed(event, "no ActionID", at);
      }
      return Optional.of(
          new OriginateResult(
              e.getActionId(),
              e.getUniqueId(),
              e.getChannel(),
              "Success".equalsIgnoreCase(e.getResponse()),
              e.getReason() == null ? 0 : e.getReason(),
              at));
    }
    if (event instanceof NewChannelEvent e) {
      return channelEvent(event, e.getUniqueId(), e.getChannel(), at)
          .or(() -> Optional.of(new ChannelCreated(e.getUniqueId(), e.getChannel(), state(e), at)));
    }
    if (event instanceof NewStateEvent e) {
      return channelEvent(event, e.getUniqueId(), e.getChannel(), at)
          .or(
              () ->
                  Optional.of(
                      new ChannelStateChanged(e.getUniqueId(), e.getChannel(), state(e), at)));
    }
    if (event instanceof DialEndEvent e) {
      return channelEvent(event, e.getDestUniqueId(), e.getDestChannel(), at)
          .or(
              () ->
                  Optional.of(
                      new DialEnded(
                          e.getDestUniqueId(), e.getDestChannel(), e.getDialStatus(), at)));
    }
    if (event instanceof HangupEvent e) {
      return channelEvent(event, e.getUniqueId(), e.getChannel(), at)
          .or(
              () ->
                  Optional.of(
                      new ChannelHungUp(
                          e.getUniqueId(),
                          e.getChannel(),
                          e.getCause() == null ? 0 : e.getCause(),
                          at)));
    }
    if (event instanceof BridgeEnterEvent e) {
      if (e.getBridgeUniqueId() == null) {
        return malformed(event, "no BridgeUniqueid", at);
      }
      return channelEvent(event, e.getUniqueId(), e.getChannel(), at)
          .or(
              () ->
                  Optional.of(
                      new BridgeEntered(
                          e.getBridgeUniqueId(), e.getUniqueId(), e.getChannel(), at)));
    }
    if (event instanceof BridgeLeaveEvent e) {
      if (e.getBridgeUniqueId() == null) {
        return malformed(event, "no BridgeUniqueid", at);
      }
      return channelEvent(event, e.getUniqueId(), e.getChannel(), at)
          .or(
              () ->
                  Optional.of(
                      new BridgeLeft(e.getBridgeUniqueId(), e.getUniqueId(), e.getChannel(), at)));
    }
    if (event instanceof AmiUserEvents.AMDResultEvent e) {
      if (e.getUniqueId() == null || e.getAmdStatus() == null) {
        return malformed(event, "AMDResult without Uniqueid/AMDStatus", at);
      }
      return Optional.of(new AmdResult(e.getUniqueId(), e.getAmdStatus(), e.getAmdCause(), at));
    }
    if (event instanceof AmiUserEvents.AgentIdleEvent e) {
      return channelEvent(event, e.getUniqueId(), e.getChannel(), at)
          .or(() -> Optional.of(new AgentLegIdle(e.getUniqueId(), e.getChannel(), at)));
    }
    if (event instanceof AmiUserEvents.DialerSafeHarborEvent e) {
      if (e.getUniqueId() == null) {
        return malformed(event, "DialerSafeHarbor without Uniqueid", at);
      }
      return Optional.of(
          new SafeHarborResult(
              e.getUniqueId(),
              e.getResult() == null ? "FAILED" : e.getResult().trim(),
              e.getResult() == null ? "no Result in the UserEvent" : e.getReason(),
              at));
    }
    if (event instanceof AmiUserEvents.DialerAgentlessEvent e) {
      if (e.getUniqueId() == null) {
        return malformed(event, "DialerAgentless without Uniqueid", at);
      }
      return Optional.of(
          new AgentlessResult(
              e.getUniqueId(),
              e.getResult() == null ? "FAILED" : e.getResult().trim(),
              e.getKey() == null ? "" : e.getKey().trim(),
              e.getResult() == null ? "no Result in the UserEvent" : e.getReason(),
              at));
    }
    if (event instanceof SoftHangupRequestEvent e) {
      return e.getCause() != null && e.getCause() == SOFTHANGUP_SHUTDOWN
          ? Optional.of(new PbxStopping(e.getUniqueId(), at))
          : Optional.empty();
    }
    if (event instanceof ShutdownEvent e) {
      return Optional.of(new PbxShutdown(Boolean.TRUE.equals(e.getRestart()), at));
    }
    if (event instanceof UserEvent) {
      return Optional.empty(); // other dialplans' user events are none of our business
    }
    return Optional.empty();
  }

  /** One CoreShowChannels entry; empty when it lacks a channel name or Uniqueid. */
  public static Optional<LiveChannel> toLiveChannel(CoreShowChannelEvent event) {
    if (event.getChannel() == null || event.getUniqueid() == null) {
      return Optional.empty();
    }
    String bridgeId = event.getBridgeid();
    return Optional.of(
        new LiveChannel(
            event.getChannel(),
            event.getUniqueid(),
            state(event),
            bridgeId == null || bridgeId.isEmpty() ? null : bridgeId,
            null,
            null));
  }

  private static Optional<Observed> channelEvent(
      ManagerEvent event, String uniqueId, String channel, Instant at) {
    if (uniqueId == null || uniqueId.isEmpty()) {
      return malformed(event, "no Uniqueid", at);
    }
    if (channel == null || channel.isEmpty()) {
      return malformed(event, "no Channel", at);
    }
    return Optional.empty();
  }

  private static Optional<Observed> malformed(ManagerEvent event, String problem, Instant at) {
    return Optional.of(new Malformed(event.getClass().getSimpleName(), problem, at));
  }

  private static int state(ManagerEvent event) {
    Integer state = event.getChannelState();
    return state == null ? -1 : state;
  }

  private static Instant receivedAt(ManagerEvent event) {
    Date received = event.getDateReceived();
    return received == null ? Instant.now() : received.toInstant();
  }
}
