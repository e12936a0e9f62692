package com.welcomedly.dialer.engine.dialing;

import com.welcomedly.dialer.engine.telephony.TelephonyGateway;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
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
 * actor per campaign and node, living as long as the node (and its gateway). The dialer may move
 * (its node leaves gracefully, a shard is rebalanced), so the relay, not a dialer instance, is the
 * gateway's listener: an event then reaches the next instance through sharding, buffered during the
 * hand-off, instead of the dead letters of a stopped instance.
 *
 * <p><b>Straight to a dialer running here</b> (issue 18, fewer hops on a live answer's way): while
 * the campaign's dialer runs on this node it is {@link #register registered}, and the relay tells
 * it directly (one hop instead of region, shard and entity). When sharding stops it (hand-off,
 * passivation), the dialer first {@link #handOff unregisters} and waits for each relay's {@link
 * CampaignDialer.RelayDrained}: a relay handles its messages in order, and a local tell is in the
 * dialer's mailbox when it returns, so everything told directly is in the mailbox before that
 * answer; everything after it goes through sharding to the next instance. The dialer's own stop
 * (campaign finished, failure) unregisters it too; events told meanwhile are lost as they were in a
 * stopped instance's mailbox before (a moved dialer adopts its calls from the PBX's channels).
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

  /**
   * Asks a relay to answer {@code dialer} once everything it sent there directly is queued. Never
   * leaves the node (relay and dialer are both here).
   */
  private record Drain(ActorRef<CampaignDialer.Command> dialer)
      implements NoSerializationVerificationNeeded {}

  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final Map<String, ActorRef<Object>> calls = new ConcurrentHashMap<>();
  private final Map<String, ActorRef<Object>> legs = new ConcurrentHashMap<>();
  private final Map<String, ActorRef<CampaignDialer.Command>> runningHere =
      new ConcurrentHashMap<>();

  private TelephonyEventRelay(ActorSystem<?> system) {
    this.system = system;
    this.sharding = ClusterSharding.get(system);
  }

  /** This node's relay of call events for {@code campaignId}. */
  ActorRef<TelephonyGateway.CallEvent> calls(String campaignId) {
    return calls
        .computeIfAbsent(
            campaignId,
            id ->
                spawn(
                    id,
                    "dialer-calls-",
                    e -> new CampaignDialer.FromCall((TelephonyGateway.CallEvent) e)))
        .narrow();
  }

  /** This node's relay of agent-leg events for {@code campaignId}. */
  ActorRef<TelephonyGateway.AgentLegEvent> legs(String campaignId) {
    return legs.computeIfAbsent(
            campaignId,
            id ->
                spawn(
                    id,
                    "dialer-legs-",
                    e -> new CampaignDialer.FromLeg((TelephonyGateway.AgentLegEvent) e)))
        .narrow();
  }

  /** The campaign's dialer runs on this node now: its events go to it directly. */
  void register(String campaignId, ActorRef<CampaignDialer.Command> dialer) {
    runningHere.put(campaignId, dialer);
  }

  /** The dialer stopped (or is stopping): its events go through sharding again. */
  void unregister(String campaignId, ActorRef<CampaignDialer.Command> dialer) {
    runningHere.remove(campaignId, dialer);
  }

  /**
   * Sharding stops the dialer: unregisters it and asks each relay of its campaign to confirm that
   * everything it sent directly is queued; returns how many {@link CampaignDialer.RelayDrained} the
   * dialer will get.
   */
  int handOff(String campaignId, ActorRef<CampaignDialer.Command> dialer) {
    unregister(campaignId, dialer);
    int asked = 0;
    for (Map<String, ActorRef<Object>> relays : List.of(calls, legs)) {
      ActorRef<Object> relay = relays.get(campaignId);
      if (relay != null) {
        relay.tell(new Drain(dialer));
        asked++;
      }
    }
    return asked;
  }

  private ActorRef<Object> spawn(
      String campaignId, String prefix, Function<Object, CampaignDialer.Command> envelope) {
    return system.systemActorOf(
        relay(campaignId, envelope),
        prefix + encode(campaignId),
        // The event path's dispatcher, with the gateway and the dialers.
        DispatcherSelector.fromConfig(CampaignDialer.DISPATCHER));
  }

  private Behavior<Object> relay(
      String campaignId, Function<Object, CampaignDialer.Command> envelope) {
    return Behaviors.receive(Object.class)
        .onMessage(
            Drain.class,
            drain -> {
              drain.dialer().tell(CampaignDialer.RelayDrained.INSTANCE);
              return Behaviors.same();
            })
        .onAnyMessage(
            event -> {
              CampaignDialer.Command message = envelope.apply(event);
              ActorRef<CampaignDialer.Command> here = runningHere.get(campaignId);
              if (here != null) {
                here.tell(message);
              } else {
                sharding.entityRefFor(CampaignDialer.ENTITY_KEY, campaignId).tell(message);
              }
              return Behaviors.same();
            })
        .build();
  }

  private static String encode(String campaignId) {
    return URLEncoder.encode(campaignId, StandardCharsets.UTF_8);
  }
}
