package com.welcomedly.dialer.engine.dialing;

import com.welcomedly.dialer.engine.campaign.CampaignConfig;
import com.welcomedly.dialer.engine.campaign.Disposition;
import com.welcomedly.dialer.engine.lead.Lead;
import com.welcomedly.dialer.engine.pacing.AgentlessPacing;
import com.welcomedly.dialer.engine.pacing.PacingDecision;
import com.welcomedly.dialer.engine.pacing.PacingSnapshot;
import com.welcomedly.dialer.engine.pacing.TokenBucket;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.BroadcastOutcome;
import java.time.Clock;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.slf4j.Logger;

/**
 * The AGENTLESS (voice-broadcast) part of a campaign's dialer. Pacing comes from the trunk (calls
 * per second and concurrent calls, {@link AgentlessPacing}), not from agents. An answered call is
 * in the agentless dialplan context, which plays the message and reports what the callee did
 * (UserEvent DialerAgentless, {@link TelephonyGateway.BroadcastResult}):
 *
 * <ul>
 *   <li>transfer key: the call becomes a live answer from that instant and the dialer routes it
 *       like any other — longest-ready agent, connect deadline, safe-harbor message and abandon
 *       ledger;
 *   <li>opt-out key: the lead is marked DNC at once, and the call ends as DNC_REQUEST;
 *   <li>message played with no key: MESSAGE_PLAYED; a callee who hangs up during it: HUNG_UP (or
 *       MESSAGE_PLAYED if the campaign has no HUNG_UP); a message that could not play: FAILED;
 *   <li>machine (AMD on): MESSAGE_LEFT when the message was left after the beep, else MACHINE.
 * </ul>
 *
 * Unanswered calls end as for every campaign (busy, no answer, ... with the campaign's retry
 * rules). Owned by one dialer, single-threaded; an entry lives from the dialplan's result until the
 * call ends.
 */
final class AgentlessDialing {

  private final String campaignId;
  private final CallBook book;
  private final Clock clock;
  private final Logger log;
  private final Consumer<CallBook.Call> liveAnswer;
  private final BiConsumer<String, Function<ActorRef<StatusReply<Lead.Summary>>, Lead.Command>>
      leadSteps;

  /** The dialplan's result per call still in its message (never TRANSFER: that one is routed). */
  private final Map<String, BroadcastOutcome> results = new HashMap<>();

  /**
   * @param liveAnswer the dialer's routing of a live answer (connect deadline, agent, ledger)
   * @param leadSteps the dialer's retried lead steps, per lead id
   */
  AgentlessDialing(
      String campaignId,
      CallBook book,
      Clock clock,
      Logger log,
      Consumer<CallBook.Call> liveAnswer,
      BiConsumer<String, Function<ActorRef<StatusReply<Lead.Summary>>, Lead.Command>> leadSteps) {
    this.campaignId = campaignId;
    this.book = book;
    this.clock = clock;
    this.log = log;
    this.liveAnswer = liveAnswer;
    this.leadSteps = leadSteps;
  }

  /**
   * How many calls to place now: the trunk's CPS, the concurrent-call cap and, at the abandon cap,
   * the ready agents.
   */
  static PacingDecision pace(
      PacingSnapshot snapshot, CallBook book, CampaignConfig config, TokenBucket trunk) {
    CampaignConfig.Agentless a = config.agentless();
    return AgentlessPacing.decide(
        snapshot,
        book.callsInFlight(),
        book.callsIn(MAY_TRANSFER),
        a.callsPerSecond(),
        a.maxConcurrentCalls(),
        trunk);
  }

  /** Phases of a broadcast call that may still ask for an agent. */
  private static final Set<CallBook.Phase> MAY_TRANSFER =
      EnumSet.of(
          CallBook.Phase.RESERVING,
          CallBook.Phase.DIALING,
          CallBook.Phase.MESSAGE,
          CallBook.Phase.ANSWERED);

  /** What the agentless dialplan needs for a call of this campaign; null if it is not AGENTLESS. */
  static TelephonyGateway.Broadcast broadcast(CampaignConfig config) {
    if (!config.dialsAgentless()) {
      return null;
    }
    CampaignConfig.Agentless a = config.agentless();
    boolean leaveMessage =
        config.amd().enabled()
            && config.amd().machineReaction() == CampaignConfig.MachineReaction.LEAVE_MESSAGE;
    return new TelephonyGateway.Broadcast(
        a.message(), a.transferKey(), a.optOutKey(), leaveMessage);
  }

  /**
   * Handles the events that differ for a broadcast call: the answer (the message plays, no agent is
   * sought), the AMD verdict (the dialplan leaves the message or hangs up itself) and the
   * dialplan's result. Returns false for the rest (bridge, safe harbor, the call's end), which the
   * dialer handles as for every campaign.
   */
  boolean onCallEvent(CallBook.Call call, TelephonyGateway.CallEvent event) {
    if (event instanceof TelephonyGateway.Answered) {
      leadStep(call.leadId(), r -> new Lead.MarkAnswered(call.attemptId(), r));
      book.message(call.attemptId(), clock.instant());
      return true;
    }
    if (event instanceof TelephonyGateway.MachineDetection amd) {
      if (amd.verdict() == TelephonyGateway.AmdVerdict.MACHINE) {
        book.machine(call.attemptId());
      }
      return true; // a person (or NOTSURE) keeps hearing the message
    }
    if (event instanceof TelephonyGateway.BroadcastResult result) {
      onResult(call, result);
      return true;
    }
    return false;
  }

  private void onResult(CallBook.Call call, TelephonyGateway.BroadcastResult result) {
    DialingMetrics.outcomes(campaignId, "AGENTLESS_" + result.outcome()).increment();
    switch (result.outcome()) {
      case TRANSFER -> {
        if (call.phase() == CallBook.Phase.MESSAGE) {
          // The 2-second rule runs from the key press: the callee asked for an agent now.
          liveAnswer.accept(call);
        }
      }
      case OPTOUT -> {
        results.put(call.attemptId(), result.outcome());
        leadStep(
            call.leadId(),
            r -> new Lead.MarkDnc(Lead.DncSource.KEYPRESS_OPT_OUT, "agentless-key", r));
      }
      case FAILED -> {
        log.warn("Agentless message not played on {}: {}", call.attemptId(), result.detail());
        results.put(call.attemptId(), result.outcome());
      }
      default -> results.put(call.attemptId(), result.outcome());
    }
  }

  /** The system disposition of a broadcast call that ends while its message plays. */
  String messageDisposition(CallBook.Call call, CampaignConfig config) {
    BroadcastOutcome result = results.remove(call.attemptId());
    if (result == null) {
      // Hung up during the message (or the PBX lost the result): retried per HUNG_UP if defined.
      return config.disposition("HUNG_UP").isPresent() ? "HUNG_UP" : Disposition.MESSAGE_PLAYED;
    }
    return switch (result) {
      case OPTOUT -> Disposition.DNC_REQUEST;
      case FAILED -> Disposition.FAILED;
      default -> Disposition.MESSAGE_PLAYED;
    };
  }

  /** The system disposition of a machine: MESSAGE_LEFT when the dialplan left the message. */
  String machineDisposition(CallBook.Call call) {
    return results.remove(call.attemptId()) == BroadcastOutcome.MESSAGE_LEFT
        ? Disposition.MESSAGE_LEFT
        : Disposition.MACHINE;
  }

  private void leadStep(
      String leadId, Function<ActorRef<StatusReply<Lead.Summary>>, Lead.Command> command) {
    leadSteps.accept(leadId, command);
  }
}
