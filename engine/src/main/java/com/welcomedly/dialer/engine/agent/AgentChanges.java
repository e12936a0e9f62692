package com.welcomedly.dialer.engine.agent;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * Agents' changes pushed to whoever follows a campaign (its dialer), instead of the dialer asking
 * every agent every tick (issue 18: 1,000 agents meant 2,000 asks a second, and an agent who turned
 * READY waited up to a tick). One cluster {@link Topic} per campaign: an Agent publishes each
 * stored change to the topics of its campaigns; a campaign nobody follows (DRAFT, FINISHED) costs a
 * dropped message, and no dialer is started by it (as a sharded message would).
 *
 * <p>At most once: a change published while a follower's subscription is still spreading, or lost
 * with a node, is missed, so a follower also re-reads its agents now and then ({@link
 * Agent.GetChange}); {@link Agent.Changed#sequenceNr} tells which of two views is newer.
 */
public final class AgentChanges implements Extension {

  private static final ExtensionId<AgentChanges> ID =
      new ExtensionId<>() {
        @Override
        public AgentChanges createExtension(ActorSystem<?> system) {
          return new AgentChanges(system);
        }
      };

  public static AgentChanges get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  private final ActorSystem<?> system;
  private final Map<String, ActorRef<Topic.Command<Agent.Changed>>> topics =
      new ConcurrentHashMap<>();

  private AgentChanges(ActorSystem<?> system) {
    this.system = system;
  }

  /** {@code follower} hears every change of the campaign's agents from now on. */
  public void follow(String campaignId, ActorRef<Agent.Changed> follower) {
    topic(campaignId).tell(Topic.subscribe(follower));
  }

  /** Published to the campaigns the agent left too, so their dialers let the agent go. */
  void publish(Set<String> before, Set<String> after, Agent.Changed change) {
    Set<String> campaigns = new HashSet<>(after);
    campaigns.addAll(before);
    for (String campaignId : campaigns) {
      topic(campaignId).tell(Topic.publish(change));
    }
  }

  private ActorRef<Topic.Command<Agent.Changed>> topic(String campaignId) {
    return topics.computeIfAbsent(
        campaignId,
        id -> {
          String name = "agent-changes-" + URLEncoder.encode(id, StandardCharsets.UTF_8);
          return system.systemActorOf(Topic.create(Agent.Changed.class, name), name, Props.empty());
        });
  }
}
