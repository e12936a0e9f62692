package com.welcomedly.dialer.engine.projection;

import com.welcomedly.dialer.engine.persistence.JdbcPool;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ShardedDaemonProcessSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.ProjectionBehavior;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.eventsourced.javadsl.EventSourcedProvider;
import org.apache.pekko.projection.javadsl.ExactlyOnceProjection;
import org.apache.pekko.projection.javadsl.SourceProvider;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;

/**
 * Runs one exactly-once JDBC projection per event tag of an entity, spread over the cluster by a
 * sharded daemon process: every tag is projected by exactly one node, and moves when that node
 * leaves. The handler's SQL commits in the same transaction as the stored offset.
 */
final class ReadModelProjections {

  private ReadModelProjections() {}

  static <E> void start(
      ActorSystem<?> system,
      String name,
      List<String> tags,
      Supplier<JdbcHandler<EventEnvelope<E>, PooledJdbcSession>> handler) {
    JdbcPool pool = JdbcPool.get(system);
    ShardedDaemonProcess.get(system)
        .init(
            ProjectionBehavior.Command.class,
            name,
            tags.size(),
            index ->
                ProjectionBehavior.create(projection(system, pool, name, tags.get(index), handler)),
            ShardedDaemonProcessSettings.create(system),
            Optional.of(ProjectionBehavior.stopMessage()));
  }

  private static <E> ExactlyOnceProjection<Offset, EventEnvelope<E>> projection(
      ActorSystem<?> system,
      JdbcPool pool,
      String name,
      String tag,
      Supplier<JdbcHandler<EventEnvelope<E>, PooledJdbcSession>> handler) {
    SourceProvider<Offset, EventEnvelope<E>> events =
        EventSourcedProvider.eventsByTag(system, JdbcReadJournal.Identifier(), tag);
    return JdbcProjection.exactlyOnce(
        ProjectionId.of(name, tag),
        events,
        () -> new PooledJdbcSession(pool),
        handler::get,
        system);
  }
}
