package com.welcomedly.dialer.engine.dialing;

import com.welcomedly.dialer.engine.agent.Agent;
import com.welcomedly.dialer.engine.campaign.CampaignConfig;
import com.welcomedly.dialer.engine.campaign.Disposition;
import com.welcomedly.dialer.engine.lead.Lead;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway;

/**
 * A call's end, by the phase it had reached: the agent goes to wrap-up after a connected call, a
 * live answer that never reached an agent is an abandon, and every outcome is recorded on the lead
 * with the campaign's system disposition.
 */
final class CallEnd {

  private final DialerContext d;
  private final CampaignHistory history;
  private final PreviewDesk previews;
  private final AgentlessDialing agentless;

  CallEnd(
      DialerContext d, CampaignHistory history, PreviewDesk previews, AgentlessDialing agentless) {
    this.d = d;
    this.history = history;
    this.previews = previews;
    this.agentless = agentless;
  }

  void callEnded(CallBook.Call call, TelephonyGateway.CallEvent event, CampaignConfig config) {
    if (call.phase() == CallBook.Phase.BRIDGING && !call.recorded() && call.bridgedAt() != null) {
      // The caller talked to the agent bridged first, whose record is not answered yet: the end is
      // decided with that answer (LiveAnswerRouting.onAgentReserved).
      d.timers.cancel(DialerContext.deadlineKey(call.attemptId()));
      d.book.endedBeforeRecord(call.attemptId(), event);
      return;
    }
    previews.callEnded(call);
    d.timers.cancel(DialerContext.deadlineKey(call.attemptId()));
    d.book.forget(call.attemptId());
    if (call.phase() != CallBook.Phase.CONNECTED) {
      // Not held any more, but the hopper may still show it dialable until it catches up. A
      // connected call does not rest: its lead goes to wrap-up, the hopper caught up during the
      // talk, and the agent's disposition may make it due again at once (a callback in 5 s).
      d.resting.rest(call.leadId(), d.clock.instant());
    }
    d.safeHarbor.forget(call.attemptId());
    d.totals = d.totals.end();
    switch (call.phase()) {
      case CONNECTED -> {
        d.observations.talkEnded(call.agentId(), d.clock.instant());
        d.agentStep(call.agentId(), r -> new Agent.EndCall(call.attemptId(), r));
        d.book.releaseAgent(call.agentId());
        d.leadStep(
            call.leadId(),
            r ->
                new Lead.RecordCallEnd(
                    call.attemptId(), Lead.CallOutcome.COMPLETED, null, null, r));
        d.outcome("COMPLETED");
      }
      case BRIDGING -> {
        // Hung up before the bridge: the agent's reservation (recorded, or still on its way: the
        // cancel follows it to the agent) is given back.
        d.agentStep(
            call.agentId(),
            r -> new Agent.CancelReservation(call.attemptId(), "caller hung up", r));
        d.book.releaseAgent(call.agentId());
        history.countAbandon(DialingMetrics.AbandonReason.HUNG_UP);
        end(call, Lead.CallOutcome.ABANDONED, Disposition.DROPPED, config);
      }
      case ANSWERED -> {
        history.countAbandon(DialingMetrics.AbandonReason.HUNG_UP);
        end(call, Lead.CallOutcome.ABANDONED, Disposition.DROPPED, config);
      }
      // Counted when the connect deadline played the safe-harbor message.
      case ABANDONING -> end(call, Lead.CallOutcome.ABANDONED, Disposition.DROPPED, config);
      case MACHINE ->
          end(call, Lead.CallOutcome.MACHINE, agentless.machineDisposition(call), config);
      case MESSAGE ->
          end(call, Lead.CallOutcome.BROADCAST, agentless.messageDisposition(call, config), config);
      case RESERVING, DIALING -> {
        d.observations.dialResolved(call.dialedAt(), d.clock.instant(), false);
        if (event instanceof TelephonyGateway.Busy) {
          end(call, Lead.CallOutcome.BUSY, Disposition.BUSY, config);
        } else if (event instanceof TelephonyGateway.NoAnswer) {
          end(call, Lead.CallOutcome.NO_ANSWER, Disposition.NO_ANSWER, config);
        } else if (event instanceof TelephonyGateway.InvalidNumber) {
          end(call, Lead.CallOutcome.INVALID_NUMBER, Disposition.INVALID_NUMBER, config);
        } else {
          end(call, Lead.CallOutcome.FAILED, Disposition.FAILED, config);
        }
      }
    }
  }

  private void end(
      CallBook.Call call, Lead.CallOutcome outcome, String dispositionCode, CampaignConfig config) {
    Disposition disposition = config.disposition(dispositionCode).orElseThrow();
    d.leadStep(
        call.leadId(),
        r ->
            new Lead.RecordCallEnd(
                call.attemptId(), outcome, disposition, config.postAbandonLockout(), r));
    d.outcome(outcome.name());
  }
}
