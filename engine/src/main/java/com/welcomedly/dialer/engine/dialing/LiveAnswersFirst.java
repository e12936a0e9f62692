package com.welcomedly.dialer.engine.dialing;

import com.typesafe.config.Config;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.dispatch.PriorityGenerator;
import org.apache.pekko.dispatch.UnboundedStablePriorityMailbox;

/**
 * The dialer's mailbox (issue 18, "live answers first"): the PBX's events — every call and
 * agent-leg event the gateway sends the dialer — are taken ahead of everything else it has queued:
 * agents' pushes, lead and agent replies, hopper results, ticks and the decisions they start. A
 * live answer (Answered, MachineDetection) and its Bridged, and the AgentLegUp that makes an agent
 * routable, never wait behind that backlog.
 *
 * <p>All telephony events rather than only those on the answer → bridge path: the mailbox is stable
 * (messages of one priority keep their order), so one call's events (Answered before Bridged before
 * HungUp) and one agent leg's (down before up again) keep their order without an argument per event
 * pair; and they are cheap to handle (no decision, at most an owed step), bounded by the call rate,
 * so they cannot starve the rest. Pekko wraps timers, message adapters and pipeToSelf results, so
 * those are never first (the connect deadline is a timer: a Bridged already queued is handled
 * before it, which is what the caller wants; a bridge after the deadline is still counted as an
 * abandon).
 *
 * <p>Configured as {@code dialer.dialing.mailbox} and given to the sharded entity's props ({@link
 * CampaignDialer#init}).
 */
public final class LiveAnswersFirst extends UnboundedStablePriorityMailbox {

  static final int FIRST = 0;
  static final int IN_TURN = 1;

  /** Pekko creates the mailbox from its configuration section (this constructor's signature). */
  public LiveAnswersFirst(ActorSystem.Settings settings, Config config) {
    super(
        new PriorityGenerator() {
          @Override
          public int gen(Object message) {
            return priority(message);
          }
        });
  }

  /** {@link #FIRST} for the PBX's events, {@link #IN_TURN} for anything else. */
  static int priority(Object message) {
    return message instanceof CampaignDialer.FromCall || message instanceof CampaignDialer.FromLeg
        ? FIRST
        : IN_TURN;
  }
}
