package com.welcomedly.dialer.engine.dialing;

import com.welcomedly.dialer.engine.agent.Agent;
import com.welcomedly.dialer.engine.projection.TaggedProjections;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Carries every agent's wrap-up result to its lead: an at-least-once projection of the Agent events
 * that turns each {@link Agent.WrapUpCompleted} into {@code Lead.RecordDisposition}.
 *
 * <p>Why a projection and not a message from the agent or the dialer: the hand-off must survive the
 * loss of any node between the agent's disposition and the lead's update. The journal holds the
 * agent's event; the stored offset says whether the lead got it; a replay is harmless because the
 * lead takes one disposition per attempt and the relay treats "already recorded" as done.
 */
public final class DispositionRelay {
  public static final String NAME = "disposition-relay";

  private DispositionRelay() {}

  public static void init(ActorSystem<?> system) {
    Duration askTimeout =
        system.settings().config().getDuration("dialer.dialing.relay.ask-timeout");
    int retries = system.settings().config().getInt("dialer.dialing.relay.retries");
    Duration retryDelay =
        system.settings().config().getDuration("dialer.dialing.relay.retry-delay");
    TaggedProjections.<Agent.Event>atLeastOnce(
        system,
        NAME,
        Agent.TAGS,
        () -> new DispositionRelayHandler(system, askTimeout),
        retries,
        retryDelay);
  }
}
