package com.welcomedly.dialer.engine.telephony;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.welcomedly.dialer.engine.CborSerializable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The telephony protocol the dialers speak: commands to the gateway actor ({@link
 * AmiGateway#create}) and the domain events it sends back. Nothing here mentions AMI; the gateway
 * translates.
 *
 * <p><b>Calls.</b> {@link Originate} places one customer call identified by {@code callId} (the
 * attempt id). Its listener receives, in order: at most one {@link Ringing}; then exactly one
 * outcome. An unanswered outcome ({@link Busy}, {@link NoAnswer}, {@link Congestion}, {@link
 * InvalidNumber}, {@link Failed}, or {@link ActionRejected} for the Originate itself) ends the
 * call. {@link Answered} is followed by any of {@link MachineDetection} (only with AMD on), {@link
 * Bridged}, {@link SafeHarborPlayed} or {@link SafeHarborFailed}, non-final {@link ActionRejected}s
 * (a Bridge or Hangup the PBX refused), and always ends with one {@link HungUp}. {@link
 * CallEvent#isFinal()} tells which event ends the call: after it the gateway forgets the callId.
 *
 * <p><b>Agents.</b> {@link NailUpAgent} originates the agent's endpoint into the holding context
 * and keeps it up between calls: {@link AgentLegUp}, then for every customer {@link AgentBridged}
 * and {@link AgentIdle} (back in holding, reusable), finally {@link AgentLegDown} ({@link
 * ReleaseAgent} or the agent hung up) or {@link AgentLegFailed} if it never came up.
 *
 * <p><b>PBX.</b> While the AMI link is down — or the PBX announced its shutdown or restart (AMI
 * {@code Shutdown}, or an action refused with "shutting down") — the gateway refuses Originate and
 * NailUpAgent at once with a reason containing {@code "PBX down"} (circuit breaker); {@link
 * Subscribe}rs get {@link PbxUp}/{@link PbxDown}. Calls a shutdown cut while ringing end {@link
 * Failed}, never {@link NoAnswer}. After a reconnect the gateway reconciles its calls with the
 * PBX's channel list: a call that ended while the link was down gets its final event, one that was
 * answered meanwhile gets its {@link Answered}. An Originate the PBX had not yet acknowledged when
 * the link dropped is refused at once ({@link ActionRejected}, final); should the PBX have placed
 * it after all, reconciliation hangs that channel up. {@link Reconcile} returns that channel list,
 * matched to callIds and agentIds; a node that restarted uses it to find its calls (a call's
 * Asterisk Uniqueid is its callId) and sends {@link Track} for each one it owns to get its events
 * again.
 */
public final class TelephonyGateway {
  private TelephonyGateway() {}

  /** Commands accepted by the gateway actor. */
  public interface Command extends CborSerializable {}

  /**
   * Place a customer call. {@code dialTemplate} contains {@code {number}}, e.g. {@code
   * PJSIP/{number}@carrier}; {@code ringTimeout} becomes the Originate timeout; with {@code amd}
   * the call is answered into the AMD context and a {@link MachineDetection} follows {@link
   * Answered}. With a {@code broadcast} (AGENTLESS campaigns; null otherwise) it is answered into
   * the agentless context instead, which plays the message and reports a {@link BroadcastResult}.
   */
  public record Originate(
      String callId,
      String campaignId,
      String leadId,
      String number,
      String dialTemplate,
      String callerId,
      Duration ringTimeout,
      boolean amd,
      ActorRef<CallEvent> listener,
      Broadcast broadcast)
      implements Command {

    /** A call for an agent (no broadcast message). */
    public Originate(
        String callId,
        String campaignId,
        String leadId,
        String number,
        String dialTemplate,
        String callerId,
        Duration ringTimeout,
        boolean amd,
        ActorRef<CallEvent> listener) {
      this(
          callId,
          campaignId,
          leadId,
          number,
          dialTemplate,
          callerId,
          ringTimeout,
          amd,
          listener,
          null);
    }
  }

  /**
   * What the agentless dialplan does with an answered call: plays {@code message} (a sound name),
   * reads one key — {@code transferKey} asks for an agent, {@code optOutKey} opts out — and on a
   * machine (AMD on) leaves the message after the beep if {@code leaveMessageOnMachine}.
   */
  public record Broadcast(
      String message, String transferKey, String optOutKey, boolean leaveMessageOnMachine)
      implements CborSerializable {}

  /** Originate the agent's endpoint (e.g. {@code PJSIP/agent101}) into the holding context. */
  public record NailUpAgent(String agentId, String endpoint, ActorRef<AgentLegEvent> listener)
      implements Command {}

  /** Bridge an answered customer call into the agent's nailed-up leg. */
  public record Bridge(String callId, String agentId) implements Command {}

  /** Redirect an answered, unconnected call into the safe-harbor message (then it hangs up). */
  public record SafeHarbor(String callId, String messageRef) implements Command {}

  /**
   * Hang up the customer leg of a call (a bridged agent returns to holding). Before answer it
   * cancels the call, which then ends with {@link Failed} "cancelled by the dialer before answer".
   */
  public record Hangup(String callId) implements Command {}

  /** Hang up the agent's nailed-up leg. */
  public record ReleaseAgent(String agentId) implements Command {}

  /** List the PBX's live channels, matched to callIds and agentIds. */
  public record Reconcile(ActorRef<Reconciled> replyTo) implements Command {}

  /**
   * Adopt a call this gateway does not track — after a node restart, for a {@link LiveChannel} from
   * {@link Reconcile} — so its events reach {@code listener} again. The gateway re-checks the
   * channel with the PBX at once: if it is already gone the listener gets the final {@link HungUp}
   * (side UNKNOWN) or {@link Failed}.
   */
  public record Track(String callId, LiveChannel channel, ActorRef<CallEvent> listener)
      implements Command {}

  public record Subscribe(ActorRef<PbxStatus> subscriber) implements Command {}

  public record Unsubscribe(ActorRef<PbxStatus> subscriber) implements Command {}

  // ------------------------------------------------------------------ call events

  /** Which side ended an answered call. */
  public enum Side {
    CUSTOMER,
    AGENT,
    /** We hung up (Hangup command, or the safe-harbor dialplan finished). */
    DIALER,
    /** The call ended while the AMI link was down; found out by reconciliation. */
    UNKNOWN
  }

  /** The AMD verdict; NOTSURE and HANGUP are passed through as Asterisk reports them. */
  public enum AmdVerdict {
    HUMAN,
    MACHINE,
    NOTSURE,
    HANGUP
  }

  /**
   * Events about one call, keyed by {@code callId}, stamped with when the PBX reported them. Typed
   * by name on the wire: they travel inside the dialer's sharded envelope to wherever it lives.
   */
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
  @JsonSubTypes({
    @JsonSubTypes.Type(value = Ringing.class, name = "Ringing"),
    @JsonSubTypes.Type(value = Answered.class, name = "Answered"),
    @JsonSubTypes.Type(value = Busy.class, name = "Busy"),
    @JsonSubTypes.Type(value = NoAnswer.class, name = "NoAnswer"),
    @JsonSubTypes.Type(value = Congestion.class, name = "Congestion"),
    @JsonSubTypes.Type(value = InvalidNumber.class, name = "InvalidNumber"),
    @JsonSubTypes.Type(value = Failed.class, name = "Failed"),
    @JsonSubTypes.Type(value = MachineDetection.class, name = "MachineDetection"),
    @JsonSubTypes.Type(value = Bridged.class, name = "Bridged"),
    @JsonSubTypes.Type(value = SafeHarborPlayed.class, name = "SafeHarborPlayed"),
    @JsonSubTypes.Type(value = SafeHarborFailed.class, name = "SafeHarborFailed"),
    @JsonSubTypes.Type(value = BroadcastResult.class, name = "BroadcastResult"),
    @JsonSubTypes.Type(value = HungUp.class, name = "HungUp"),
    @JsonSubTypes.Type(value = ActionRejected.class, name = "ActionRejected")
  })
  public sealed interface CallEvent extends CborSerializable {
    String callId();

    Instant at();

    /** True for the event that ends the call. */
    default boolean isFinal() {
      return false;
    }
  }

  public record Ringing(String callId, Instant at) implements CallEvent {}

  /** Answered; {@code channel} is the PBX channel carrying the customer. */
  public record Answered(String callId, String channel, Instant at) implements CallEvent {}

  public record Busy(String callId, int cause, Instant at) implements CallEvent {
    @Override
    public boolean isFinal() {
      return true;
    }
  }

  public record NoAnswer(String callId, int cause, Instant at) implements CallEvent {
    @Override
    public boolean isFinal() {
      return true;
    }
  }

  public record Congestion(String callId, int cause, Instant at) implements CallEvent {
    @Override
    public boolean isFinal() {
      return true;
    }
  }

  /** The network says the number does not exist (Q.850 1 unallocated, 3 no route, 28 format). */
  public record InvalidNumber(String callId, int cause, Instant at) implements CallEvent {
    @Override
    public boolean isFinal() {
      return true;
    }
  }

  /** Any other failure to connect (e.g. cause 21 call rejected), with the Q.850 cause. */
  public record Failed(String callId, int cause, String reason, Instant at) implements CallEvent {
    @Override
    public boolean isFinal() {
      return true;
    }
  }

  public record MachineDetection(String callId, AmdVerdict verdict, String detail, Instant at)
      implements CallEvent {}

  public record Bridged(String callId, String agentId, Instant at) implements CallEvent {}

  /** The safe-harbor message was played; {@code optedOut} if the callee pressed the opt-out. */
  public record SafeHarborPlayed(String callId, boolean optedOut, Instant at)
      implements CallEvent {}

  /**
   * The safe-harbor message did NOT play (e.g. its sound file is missing on the PBX): the call is
   * still an abandon, but there is no evidence the callee heard the message.
   */
  public record SafeHarborFailed(String callId, String reason, Instant at) implements CallEvent {}

  /** What the agentless dialplan reports about its message (UserEvent DialerAgentless). */
  public enum BroadcastOutcome {
    /** The callee pressed the transfer key: it waits for an agent (the connect deadline runs). */
    TRANSFER,
    /** The callee pressed the opt-out key; the dialplan hangs up. */
    OPTOUT,
    /** The message played to its end, no key (or another key) pressed; the dialplan hangs up. */
    PLAYED,
    /** AMD said machine and the message was played after the beep; the dialplan hangs up. */
    MESSAGE_LEFT,
    /** AMD said machine and no message is left; the dialplan hangs up. */
    MACHINE,
    /** The message could not be played (e.g. its sound file is missing); the dialplan hangs up. */
    FAILED
  }

  /**
   * The agentless dialplan's result for a call; {@code key} is the key pressed (or empty), {@code
   * detail} the dialplan's reason for a FAILED. Not final: {@link HungUp} follows.
   */
  public record BroadcastResult(
      String callId, BroadcastOutcome outcome, String key, String detail, Instant at)
      implements CallEvent {}

  public record HungUp(String callId, Side side, int cause, Instant at) implements CallEvent {
    @Override
    public boolean isFinal() {
      return true;
    }
  }

  /**
   * The PBX (or the gateway's circuit breaker / in-flight bound) refused an action for this call.
   * Final when {@code action} is {@code Originate}: the call never existed.
   */
  public record ActionRejected(String callId, String action, String reason, Instant at)
      implements CallEvent {
    @Override
    public boolean isFinal() {
      return "Originate".equals(action);
    }
  }

  // ------------------------------------------------------------------ agent leg events

  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
  @JsonSubTypes({
    @JsonSubTypes.Type(value = AgentLegUp.class, name = "AgentLegUp"),
    @JsonSubTypes.Type(value = AgentLegFailed.class, name = "AgentLegFailed"),
    @JsonSubTypes.Type(value = AgentBridged.class, name = "AgentBridged"),
    @JsonSubTypes.Type(value = AgentIdle.class, name = "AgentIdle"),
    @JsonSubTypes.Type(value = AgentLegDown.class, name = "AgentLegDown")
  })
  public sealed interface AgentLegEvent extends CborSerializable {
    String agentId();

    Instant at();
  }

  public record AgentLegUp(String agentId, String channel, Instant at) implements AgentLegEvent {}

  public record AgentLegFailed(String agentId, String reason, Instant at)
      implements AgentLegEvent {}

  public record AgentBridged(String agentId, String callId, Instant at) implements AgentLegEvent {}

  /** The agent leg is back in the holding context after a call and can take the next one. */
  public record AgentIdle(String agentId, Instant at) implements AgentLegEvent {}

  public record AgentLegDown(String agentId, int cause, Instant at) implements AgentLegEvent {}

  // ------------------------------------------------------------------ PBX status

  public sealed interface PbxStatus extends CborSerializable {}

  public record PbxUp(Instant at) implements PbxStatus {}

  public record PbxDown(String reason, Instant at) implements PbxStatus {}

  // ------------------------------------------------------------------ reconciliation

  /**
   * One live PBX channel. {@code callId}/{@code agentId} are set when the channel belongs to a call
   * or agent leg this gateway tracks. After a node restart nothing is tracked: match {@code
   * uniqueId} against your attempt ids (a call's channel has Uniqueid = callId, its Local partner
   * callId + "-2"; agent legs are "agent-&lt;agentId&gt;-&lt;n&gt;").
   */
  public record LiveChannel(
      String channel, String uniqueId, int state, String bridgeId, String callId, String agentId) {}

  /** {@code complete} is false when the PBX could not be asked (link down, action failed). */
  public record Reconciled(List<LiveChannel> channels, boolean complete, Instant at)
      implements CborSerializable {
    public Reconciled {
      channels = List.copyOf(channels);
    }
  }
}
