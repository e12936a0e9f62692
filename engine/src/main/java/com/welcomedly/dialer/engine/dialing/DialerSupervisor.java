package com.welcomedly.dialer.engine.dialing;

import com.welcomedly.dialer.engine.CborSerializable;
import com.welcomedly.dialer.engine.persistence.JdbcPool;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.ShardedDaemonProcessSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;

/**
 * Keeps a dialer running for every ACTIVE or PAUSED campaign (a paused one still finishes its calls
 * in flight): one instance in the cluster (a sharded daemon process, so it survives the loss of its
 * node), reading {@code campaign_view} every {@code dialer.dialing.supervise-interval} and waking
 * each campaign's sharded dialer. After a node dies or the whole cluster restarts, dialers are back
 * within one interval without any remembered-entities store.
 */
public final class DialerSupervisor {

  /** The supervisor's only messages: its own timer and the read model's answer. */
  interface Command extends CborSerializable {}

  private enum Poll implements Command {
    INSTANCE
  }

  private record Campaigns(List<String> ids) implements Command {}

  private DialerSupervisor() {}

  public static void init(ActorSystem<?> system) {
    ShardedDaemonProcess.get(system)
        .init(
            Command.class,
            "dialer-supervisor",
            1,
            index -> create(system),
            ShardedDaemonProcessSettings.create(system),
            Optional.empty());
  }

  private static Behavior<Command> create(ActorSystem<?> system) {
    Duration interval = system.settings().config().getDuration("dialer.dialing.supervise-interval");
    JdbcPool pool = JdbcPool.get(system);
    ClusterSharding sharding = ClusterSharding.get(system);
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> {
                  timers.startTimerWithFixedDelay(Poll.INSTANCE, Duration.ZERO, interval);
                  return Behaviors.receive(Command.class)
                      .onMessageEquals(
                          Poll.INSTANCE,
                          () -> {
                            ctx.pipeToSelf(
                                pool.withConnection(DialerSupervisor::campaignsNeedingADialer),
                                (ids, failure) -> new Campaigns(failure == null ? ids : List.of()));
                            return Behaviors.same();
                          })
                      .onMessage(
                          Campaigns.class,
                          found -> {
                            found
                                .ids()
                                .forEach(
                                    id ->
                                        sharding
                                            .entityRefFor(CampaignDialer.ENTITY_KEY, id)
                                            .tell(new CampaignDialer.Wake("supervisor")));
                            return Behaviors.same();
                          })
                      .build();
                }));
  }

  private static List<String> campaignsNeedingADialer(java.sql.Connection c)
      throws java.sql.SQLException {
    List<String> ids = new ArrayList<>();
    try (PreparedStatement s =
            c.prepareStatement(
                "SELECT campaign_id FROM campaign_view WHERE status IN ('ACTIVE', 'PAUSED')");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
    }
    return ids;
  }
}
