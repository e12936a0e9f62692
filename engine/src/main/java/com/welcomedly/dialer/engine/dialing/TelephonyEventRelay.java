package com.welcomedly.dialer.engine.dialing;

import com.welcomedly.dialer.engine.telephony.TelephonyGateway;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Where a node's telephony gateway sends a campaign's call and agent-leg events: one small relay
 * actor per campaign and node, living as long as the node (and its gateway), that forwards each
 * event to the campaign's dialer <em>through sharding</em>. The dialer may move (its node leaves
 * gracefully, a shard is rebalanced): an event then reaches its next instance, buffered by sharding
 * during the hand-off, instead of the dead letters of a stopped instance's adapter.
 */
final class TelephonyEventRelay implements Extension {

  private static final ExtensionId<TelephonyEventRelay> ID =
      new ExtensionId<>() {
        @Override
        public TelephonyEventRelay createExtension(ActorSystem<?> system) {
          return new TelephonyEventRelay(system);
        }
      };

  static TelephonyEventRelay get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final Map<String, ActorRef<TelephonyGateway.CallEvent>> calls = new ConcurrentHashMap<>();
  private final Map<String, ActorRef<TelephonyGateway.AgentLegEvent>> legs =
      new ConcurrentHashMap<>();

  private TelephonyEventRelay(ActorSystem<?> system) {
    this.system = system;
    this.sharding = ClusterSharding.get(system);
  }

  /** This node's relay of call events for {@code campaignId}. */
  ActorRef<TelephonyGateway.CallEvent> calls(String campaignId) {
    return calls.computeIfAbsent(
        campaignId,
        id ->
            system.systemActorOf(
                relay(TelephonyGateway.CallEvent.class, id, e -> new CampaignDialer.FromCall(e)),
                "dialer-calls-" + encode(id),
                DispatcherSelector.fromConfig(CampaignDialer.DISPATCHER)));
  }

  /** This node's relay of agent-leg events for {@code campaignId}. */
  ActorRef<TelephonyGateway.AgentLegEvent> legs(String campaignId) {
    return legs.computeIfAbsent(
        campaignId,
        id ->
            system.systemActorOf(
                relay(TelephonyGateway.AgentLegEvent.class, id, e -> new CampaignDialer.FromLeg(e)),
                "dialer-legs-" + encode(id),
                DispatcherSelector.fromConfig(CampaignDialer.DISPATCHER)));
  }

  private <E> Behavior<E> relay(
      Class<E> type,
      String campaignId,
      java.util.function.Function<E, CampaignDialer.Command> envelope) {
    return Behaviors.receive(type)
        .onAnyMessage(
            event -> {
              sharding
                  .entityRefFor(CampaignDialer.ENTITY_KEY, campaignId)
                  .tell(envelope.apply(event));
              return Behaviors.same();
            })
        .build();
  }

  private static String encode(String campaignId) {
    return URLEncoder.encode(campaignId, StandardCharsets.UTF_8);
  }
}
