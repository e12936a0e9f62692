package com.welcomedly.dialer.engine.persistence;

import com.welcomedly.dialer.engine.CborSerializable;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * A minimal sharded, event-sourced entity used only to prove the persistence plumbing (journal,
 * snapshots, tags, serialization) end to end, independently of the domain entities.
 */
final class Tally
    extends EventSourcedBehaviorWithEnforcedReplies<Tally.Command, Tally.Event, Tally.State> {

  static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Tally");
  static final List<String> TAGS = List.of("tally-0", "tally-1");

  static void init(ActorSystem<?> system) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId())));
  }

  static Behavior<Command> create(String id) {
    return new Tally(id);
  }

  sealed interface Command extends CborSerializable {}

  record Add(int amount, ActorRef<StatusReply<Integer>> replyTo) implements Command {}

  record Get(ActorRef<Integer> replyTo) implements Command {}

  sealed interface Event extends CborSerializable {}

  record Added(String tallyId, int amount) implements Event {}

  record State(int total) implements CborSerializable {
    State plus(int amount) {
      return new State(total + amount);
    }
  }

  private final String id;

  private Tally(String id) {
    super(PersistenceId.of(ENTITY_KEY.name(), id));
    this.id = id;
  }

  @Override
  public State emptyState() {
    return new State(0);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Add.class, this::onAdd)
        .onCommand(Get.class, (state, cmd) -> Effect().reply(cmd.replyTo(), state.total()))
        .build();
  }

  private org.apache.pekko.persistence.typed.javadsl.ReplyEffect<Event, State> onAdd(
      State state, Add cmd) {
    if (cmd.amount() <= 0) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("amount must be positive"));
    }
    return Effect()
        .persist(new Added(id, cmd.amount()))
        .thenReply(cmd.replyTo(), s -> StatusReply.success(s.total()));
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(Added.class, (state, event) -> state.plus(event.amount()))
        .build();
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return Set.of(TAGS.get(Math.abs(id.hashCode() % TAGS.size())));
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(3, 2);
  }
}
