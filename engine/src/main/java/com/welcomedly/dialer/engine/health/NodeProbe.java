package com.welcomedly.dialer.engine.health;

import com.welcomedly.dialer.engine.persistence.JdbcPool;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * Every few seconds, puts this node's readiness (Up member, database answers — what {@code GET
 * /ready} checks) and each projection's lag behind the journal into gauges, so Prometheus can alert
 * on a node that is not ready or a read model that falls behind or stops. The SQL runs on the JDBC
 * dispatcher; the actor only receives the results.
 */
public final class NodeProbe {

  /** Per projection name: events not processed yet, and the age in seconds of the oldest one. */
  record Lag(long behind, double seconds) {}

  private sealed interface Command {}

  private enum Tick implements Command {
    INSTANCE
  }

  private record Probed(boolean databaseUp, Map<String, Lag> lags) implements Command {}

  // Offsets of eventsByTag projections are journal orderings (manifest SEQ), one row per tag.
  static final String LAG_SQL =
      "SELECT o.projection_name, count(j.ordering) AS behind,"
          + " COALESCE(EXTRACT(EPOCH FROM now()) - min(j.write_timestamp) / 1000.0, 0) AS lag"
          + " FROM pekko_projection_offset_store o"
          + " LEFT JOIN event_tag t ON t.tag = o.projection_key"
          + "  AND t.event_id > CAST(o.current_offset AS BIGINT)"
          + " LEFT JOIN event_journal j ON j.ordering = t.event_id"
          + " WHERE o.manifest = 'SEQ' GROUP BY o.projection_name";

  private NodeProbe() {}

  public static void init(ActorSystem<?> system) {
    Duration interval = system.settings().config().getDuration("dialer.health.probe-interval");
    system.systemActorOf(create(interval), "node-probe", Props.empty());
  }

  static Behavior<Command> create(Duration interval) {
    return Behaviors.setup(
        ctx -> {
          JdbcPool pool = JdbcPool.get(ctx.getSystem());
          Duration timeout =
              ctx.getSystem().settings().config().getDuration("dialer.db.health-check-timeout");
          return Behaviors.withTimers(
              timers -> {
                timers.startTimerWithFixedDelay(Tick.INSTANCE, Duration.ZERO, interval);
                return Behaviors.receive(Command.class)
                    .onMessage(
                        Tick.class,
                        t -> {
                          ctx.pipeToSelf(
                              pool.isReachable(timeout)
                                  .thenCompose(
                                      up ->
                                          up
                                              ? pool.withConnection(NodeProbe::lags)
                                                  .thenApply(l -> new Probed(true, l))
                                              : java.util.concurrent.CompletableFuture
                                                  .completedFuture(new Probed(false, Map.of()))),
                              (probed, failure) ->
                                  failure == null ? probed : new Probed(false, Map.of()));
                          return Behaviors.same();
                        })
                    .onMessage(
                        Probed.class,
                        p -> {
                          MemberStatus status = Cluster.get(ctx.getSystem()).selfMember().status();
                          boolean ready = p.databaseUp() && status == MemberStatus.up();
                          HealthMetrics.nodeReady().update(ready ? 1 : 0);
                          p.lags()
                              .forEach(
                                  (name, lag) -> {
                                    HealthMetrics.projectionLag(name).update(lag.seconds());
                                    HealthMetrics.projectionBehind(name).update(lag.behind());
                                  });
                          return Behaviors.same();
                        })
                    .build();
              });
        });
  }

  static Map<String, Lag> lags(java.sql.Connection c) throws java.sql.SQLException {
    Map<String, Lag> lags = new HashMap<>();
    try (PreparedStatement s = c.prepareStatement(LAG_SQL);
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        lags.put(rs.getString(1), new Lag(rs.getLong(2), Math.max(0, rs.getDouble(3))));
      }
    }
    return lags;
  }
}
