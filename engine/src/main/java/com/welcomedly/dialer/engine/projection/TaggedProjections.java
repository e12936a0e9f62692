package com.welcomedly.dialer.engine.projection;

import com.typesafe.config.Config;
import com.welcomedly.dialer.engine.persistence.JdbcPool;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ShardedDaemonProcessSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.HandlerRecoveryStrategy;
import org.apache.pekko.projection.Projection;
import org.apache.pekko.projection.ProjectionBehavior;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.eventsourced.javadsl.EventSourcedProvider;
import org.apache.pekko.projection.javadsl.Handler;
import org.apache.pekko.projection.javadsl.SourceProvider;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;

/**
 * Runs one projection per event tag of an entity, spread over the cluster by a sharded daemon
 * process: every tag is projected by exactly one node, and moves when that node leaves. Offsets are
 * stored in PostgreSQL, so a restart resumes where the last run stopped.
 */
public final class TaggedProjections {

  private TaggedProjections() {}

  /**
   * A read model: the handler's SQL commits in the same transaction as the offset. Events come in
   * groups (up to {@code dialer.projection.group-after-envelopes}, waiting at most {@code
   * group-after-duration} for more), one transaction and one offset update per group. An event the
   * database cannot store is skipped loudly ({@link SkippingBadEvents}), never retried forever.
   */
  public static <E> void exactlyOnce(
      ActorSystem<?> system,
      String name,
      List<String> tags,
      Supplier<JdbcHandler<EventEnvelope<E>, PooledJdbcSession>> handler) {
    JdbcPool pool = JdbcPool.get(system);
    Config grouping = system.settings().config().getConfig("dialer.projection");
    int groupAfterEnvelopes = grouping.getInt("group-after-envelopes");
    Duration groupAfterDuration = grouping.getDuration("group-after-duration");
    start(
        system,
        name,
        tags,
        tag ->
            JdbcProjection.groupedWithin(
                    ProjectionId.of(name, tag),
                    events(system, tag),
                    () -> new PooledJdbcSession(pool),
                    () -> new SkippingBadEvents<>(name, handler.get()),
                    system)
                .withGroup(groupAfterEnvelopes, groupAfterDuration));
  }

  /**
   * A relay that acts on other entities: the handler's effect must be idempotent, because an event
   * is processed again if the node dies before its offset is stored. A failing event is retried
   * {@code retries} times {@code retryDelay} apart, then the projection restarts with backoff.
   */
  public static <E> void atLeastOnce(
      ActorSystem<?> system,
      String name,
      List<String> tags,
      Supplier<Handler<EventEnvelope<E>>> handler,
      int retries,
      Duration retryDelay) {
    JdbcPool pool = JdbcPool.get(system);
    start(
        system,
        name,
        tags,
        tag ->
            JdbcProjection.atLeastOnceAsync(
                    ProjectionId.of(name, tag),
                    TaggedProjections.<E>events(system, tag),
                    () -> new PooledJdbcSession(pool),
                    handler,
                    system)
                .withRecoveryStrategy(HandlerRecoveryStrategy.retryAndFail(retries, retryDelay)));
  }

  private static void start(
      ActorSystem<?> system,
      String name,
      List<String> tags,
      Function<String, Projection<?>> projection) {
    ShardedDaemonProcess.get(system)
        .init(
            ProjectionBehavior.Command.class,
            name,
            tags.size(),
            index -> ProjectionBehavior.create(projection.apply(tags.get(index))),
            ShardedDaemonProcessSettings.create(system),
            Optional.of(ProjectionBehavior.stopMessage()));
  }

  private static <E> SourceProvider<Offset, EventEnvelope<E>> events(
      ActorSystem<?> system, String tag) {
    return EventSourcedProvider.eventsByTag(system, JdbcReadJournal.Identifier(), tag);
  }
}
