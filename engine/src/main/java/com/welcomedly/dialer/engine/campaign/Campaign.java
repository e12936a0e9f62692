package com.welcomedly.dialer.engine.campaign;

import com.welcomedly.dialer.engine.CborSerializable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReplyBuilderByState;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * A campaign: its configuration and lifecycle {@code DRAFT -> ACTIVE <-> PAUSED -> FINISHED}. Every
 * change records who made it and when, with old and new values, so the pacing history is auditable.
 * The campaign never holds its leads; totals come from projections.
 */
public final class Campaign
    extends EventSourcedBehaviorWithEnforcedReplies<
        Campaign.Command, Campaign.Event, Campaign.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "Campaign");

  public static final List<String> TAGS =
      List.of("campaign-0", "campaign-1", "campaign-2", "campaign-3", "campaign-4");

  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system)
        .init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), Clock.systemUTC())));
  }

  public static Behavior<Command> create(String campaignId, Clock clock) {
    return new Campaign(campaignId, clock);
  }

  public enum Status {
    DRAFT,
    ACTIVE,
    PAUSED,
    FINISHED
  }

  // ---- commands ----
  public sealed interface Command extends CborSerializable {}

  /** A command that changes the campaign; all of them answer with the new {@link Summary}. */
  public sealed interface Change extends Command {
    ActorRef<StatusReply<Summary>> replyTo();
  }

  /** Defines the campaign (still in DRAFT). {@code by} is the user making the change. */
  public record Create(
      String name, CampaignConfig config, String by, ActorRef<StatusReply<Summary>> replyTo)
      implements Change {}

  /** Replaces the whole config; validated, allowed until the campaign is finished. */
  public record UpdateConfig(
      CampaignConfig config, String by, ActorRef<StatusReply<Summary>> replyTo) implements Change {}

  /** The supervisor's pacing lever (PATCH .../pacing): mode, target %, lines, ratio, min agents. */
  public record ChangePacing(
      CampaignConfig.Pacing pacing, String by, ActorRef<StatusReply<Summary>> replyTo)
      implements Change {}

  public record Start(String by, ActorRef<StatusReply<Summary>> replyTo) implements Change {}

  public record Pause(String reason, String by, ActorRef<StatusReply<Summary>> replyTo)
      implements Change {}

  public record Resume(String by, ActorRef<StatusReply<Summary>> replyTo) implements Change {}

  public record Finish(String reason, String by, ActorRef<StatusReply<Summary>> replyTo)
      implements Change {}

  public record GetSummary(ActorRef<Summary> replyTo) implements Command {}

  // ---- replies ----
  /** {@code config} is null while the campaign does not exist yet (status DRAFT, name null). */
  public record Summary(
      String campaignId,
      String name,
      Status status,
      CampaignConfig config,
      Instant createdAt,
      Instant updatedAt)
      implements CborSerializable {}

  // ---- events ----
  public sealed interface Event extends CborSerializable {
    String campaignId();

    Instant at();
  }

  public record Created(
      String campaignId, String name, CampaignConfig config, String by, Instant at)
      implements Event {}

  public record ConfigChanged(
      String campaignId, CampaignConfig oldConfig, CampaignConfig newConfig, String by, Instant at)
      implements Event {}

  public record PacingChanged(
      String campaignId,
      CampaignConfig.Pacing oldPacing,
      CampaignConfig.Pacing newPacing,
      String by,
      Instant at)
      implements Event {}

  public record Started(String campaignId, String by, Instant at) implements Event {}

  public record Paused(String campaignId, String reason, String by, Instant at) implements Event {}

  public record Resumed(String campaignId, String by, Instant at) implements Event {}

  public record Finished(
      String campaignId, Status previousStatus, String reason, String by, Instant at)
      implements Event {}

  // ---- state ----
  /** Immutable; {@code config == null} until {@link Created}. */
  public record State(
      String name, Status status, CampaignConfig config, Instant createdAt, Instant updatedAt)
      implements CborSerializable {

    static State empty() {
      return new State(null, Status.DRAFT, null, null, null);
    }

    boolean exists() {
      return config != null;
    }

    State with(Status newStatus, CampaignConfig newConfig, Instant at) {
      return new State(name, newStatus, newConfig, createdAt == null ? at : createdAt, at);
    }

    Summary toSummary(String campaignId) {
      return new Summary(campaignId, name, status, config, createdAt, updatedAt);
    }
  }

  private final String campaignId;
  private final Clock clock;

  private Campaign(String campaignId, Clock clock) {
    super(
        PersistenceId.of(ENTITY_KEY.name(), campaignId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1));
    this.campaignId = campaignId;
    this.clock = clock;
  }

  @Override
  public State emptyState() {
    return State.empty();
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    CommandHandlerWithReplyBuilderByState<Command, Event, State, State> notCreated =
        newCommandHandlerWithReplyBuilder()
            .forState(s -> !s.exists())
            .onCommand(Create.class, this::onCreate)
            .onCommand(GetSummary.class, this::onGetSummary)
            .onCommand(Change.class, this::rejectNotCreated);
    CommandHandlerWithReplyBuilderByState<Command, Event, State, State> finished =
        newCommandHandlerWithReplyBuilder()
            .forState(s -> s.status() == Status.FINISHED)
            .onCommand(GetSummary.class, this::onGetSummary)
            .onCommand(Change.class, this::rejectFinished);
    CommandHandlerWithReplyBuilderByState<Command, Event, State, State> live =
        newCommandHandlerWithReplyBuilder()
            .forAnyState()
            .onCommand(Create.class, this::rejectCreateTwice)
            .onCommand(UpdateConfig.class, this::onUpdateConfig)
            .onCommand(ChangePacing.class, this::onChangePacing)
            .onCommand(Start.class, this::onStart)
            .onCommand(Pause.class, this::onPause)
            .onCommand(Resume.class, this::onResume)
            .onCommand(Finish.class, this::onFinish)
            .onCommand(GetSummary.class, this::onGetSummary);
    return notCreated.orElse(finished).orElse(live).build();
  }

  private ReplyEffect<Event, State> onCreate(State state, Create cmd) {
    if (cmd.name() == null || cmd.name().isBlank()) {
      return reject(cmd.replyTo(), "campaign name is required");
    }
    if (cmd.config() == null) {
      return reject(cmd.replyTo(), "campaign config is required");
    }
    List<String> problems = cmd.config().problems();
    if (!problems.isEmpty()) {
      return reject(cmd.replyTo(), "invalid config: " + String.join("; ", problems));
    }
    return persist(
        new Created(campaignId, cmd.name(), cmd.config(), cmd.by(), now()), cmd.replyTo());
  }

  private ReplyEffect<Event, State> onUpdateConfig(State state, UpdateConfig cmd) {
    if (cmd.config() == null) {
      return reject(cmd.replyTo(), "campaign config is required");
    }
    List<String> problems = cmd.config().problems();
    if (!problems.isEmpty()) {
      return reject(cmd.replyTo(), "invalid config: " + String.join("; ", problems));
    }
    if (cmd.config().equals(state.config())) {
      return Effect().reply(cmd.replyTo(), StatusReply.success(state.toSummary(campaignId)));
    }
    return persist(
        new ConfigChanged(campaignId, state.config(), cmd.config(), cmd.by(), now()),
        cmd.replyTo());
  }

  private ReplyEffect<Event, State> onChangePacing(State state, ChangePacing cmd) {
    if (cmd.pacing() == null) {
      return reject(cmd.replyTo(), "pacing is required");
    }
    List<String> problems = state.config().withPacing(cmd.pacing()).problems();
    if (!problems.isEmpty()) {
      return reject(cmd.replyTo(), "invalid pacing: " + String.join("; ", problems));
    }
    return persist(
        new PacingChanged(campaignId, state.config().pacing(), cmd.pacing(), cmd.by(), now()),
        cmd.replyTo());
  }

  private ReplyEffect<Event, State> onStart(State state, Start cmd) {
    if (state.status() != Status.DRAFT) {
      return reject(
          cmd.replyTo(),
          "only a DRAFT campaign can be started, this one is "
              + state.status()
              + (state.status() == Status.PAUSED ? " (use resume)" : ""));
    }
    return persist(new Started(campaignId, cmd.by(), now()), cmd.replyTo());
  }

  private ReplyEffect<Event, State> onPause(State state, Pause cmd) {
    if (state.status() != Status.ACTIVE) {
      return reject(
          cmd.replyTo(), "only an ACTIVE campaign can be paused, this one is " + state.status());
    }
    return persist(new Paused(campaignId, cmd.reason(), cmd.by(), now()), cmd.replyTo());
  }

  private ReplyEffect<Event, State> onResume(State state, Resume cmd) {
    if (state.status() != Status.PAUSED) {
      return reject(
          cmd.replyTo(), "only a PAUSED campaign can be resumed, this one is " + state.status());
    }
    return persist(new Resumed(campaignId, cmd.by(), now()), cmd.replyTo());
  }

  private ReplyEffect<Event, State> onFinish(State state, Finish cmd) {
    if (state.status() == Status.DRAFT) {
      return reject(cmd.replyTo(), "a DRAFT campaign was never started, it cannot be finished");
    }
    return persist(
        new Finished(campaignId, state.status(), cmd.reason(), cmd.by(), now()), cmd.replyTo());
  }

  private ReplyEffect<Event, State> onGetSummary(State state, GetSummary cmd) {
    return Effect().reply(cmd.replyTo(), state.toSummary(campaignId));
  }

  private ReplyEffect<Event, State> rejectCreateTwice(State state, Create cmd) {
    return reject(cmd.replyTo(), "campaign " + campaignId + " already exists");
  }

  private ReplyEffect<Event, State> rejectNotCreated(State state, Change cmd) {
    return reject(cmd.replyTo(), "campaign " + campaignId + " does not exist");
  }

  private ReplyEffect<Event, State> rejectFinished(State state, Change cmd) {
    return reject(
        cmd.replyTo(), "campaign " + campaignId + " is FINISHED, nothing can change any more");
  }

  private ReplyEffect<Event, State> reject(ActorRef<StatusReply<Summary>> replyTo, String reason) {
    return Effect().reply(replyTo, StatusReply.error(reason));
  }

  private ReplyEffect<Event, State> persist(Event event, ActorRef<StatusReply<Summary>> replyTo) {
    return Effect()
        .persist(event)
        .thenReply(replyTo, s -> StatusReply.success(s.toSummary(campaignId)));
  }

  private Instant now() {
    return clock.instant();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(
            Created.class, (s, e) -> new State(e.name(), Status.DRAFT, e.config(), e.at(), e.at()))
        .onEvent(ConfigChanged.class, (s, e) -> s.with(s.status(), e.newConfig(), e.at()))
        .onEvent(
            PacingChanged.class,
            (s, e) -> s.with(s.status(), s.config().withPacing(e.newPacing()), e.at()))
        .onEvent(Started.class, (s, e) -> s.with(Status.ACTIVE, s.config(), e.at()))
        .onEvent(Paused.class, (s, e) -> s.with(Status.PAUSED, s.config(), e.at()))
        .onEvent(Resumed.class, (s, e) -> s.with(Status.ACTIVE, s.config(), e.at()))
        .onEvent(Finished.class, (s, e) -> s.with(Status.FINISHED, s.config(), e.at()))
        .build();
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return Set.of(TAGS.get(Math.abs(campaignId.hashCode() % TAGS.size())));
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(100, 3);
  }
}
