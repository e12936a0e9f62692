package com.welcomedly.dialer.engine.identity;

import com.welcomedly.dialer.engine.CborSerializable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
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
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * A person who may use the API: an admin, a supervisor, or an agent (linked to the {@code Agent}
 * entity it may act as). Keyed by username. Credentials are event-sourced like everything else, so
 * who created which account, and who changed a role or disabled it, is auditable.
 *
 * <p>The entity only ever holds a bcrypt hash: hashing and verifying are CPU-heavy and happen
 * outside the actor (on the API's blocking dispatcher); plaintext never reaches the journal.
 */
public final class User
    extends EventSourcedBehaviorWithEnforcedReplies<User.Command, User.Event, User.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "User");
  public static final List<String> TAGS = List.of("user-0", "user-1");

  /** Lower-case letters, digits and {@code . _ -}, 3–64 characters. */
  public static final Pattern USERNAME = Pattern.compile("[a-z0-9._-]{3,64}");

  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system)
        .init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), Clock.systemUTC())));
  }

  public static Behavior<Command> create(String username, Clock clock) {
    return new User(username, clock);
  }

  /** What a user may do; the API maps each endpoint group to the roles allowed on it. */
  public enum Role {
    ADMIN,
    SUPERVISOR,
    AGENT
  }

  // ---- commands -------------------------------------------------------------------------------

  public sealed interface Command extends CborSerializable {}

  /** Creates the account. {@code agentId} is required for (and only for) the AGENT role. */
  public record Register(
      Role role,
      String passwordHash,
      Optional<String> agentId,
      String by,
      ActorRef<StatusReply<Summary>> replyTo)
      implements Command {}

  public record ChangePassword(
      String passwordHash, String by, ActorRef<StatusReply<Summary>> replyTo) implements Command {}

  public record ChangeRole(
      Role role, Optional<String> agentId, String by, ActorRef<StatusReply<Summary>> replyTo)
      implements Command {}

  public record Disable(String by, ActorRef<StatusReply<Summary>> replyTo) implements Command {}

  public record Enable(String by, ActorRef<StatusReply<Summary>> replyTo) implements Command {}

  /** For login: the stored hash, or empty if there is no such (enabled or disabled) account. */
  public record GetCredentials(ActorRef<Optional<Credentials>> replyTo) implements Command {}

  public record Get(ActorRef<Optional<Summary>> replyTo) implements Command {}

  // ---- replies --------------------------------------------------------------------------------

  /** Public view of an account: never carries the hash. */
  public record Summary(
      String username,
      Role role,
      Optional<String> agentId,
      boolean enabled,
      Instant createdAt,
      String createdBy)
      implements CborSerializable {}

  /**
   * Everything a login needs: the hash to verify and the claims to put in the token. {@code
   * tokenVersion} goes into every token; a token whose version is not the account's current one is
   * revoked.
   */
  public record Credentials(
      String username,
      Role role,
      Optional<String> agentId,
      boolean enabled,
      String passwordHash,
      int tokenVersion)
      implements CborSerializable {}

  // ---- events ---------------------------------------------------------------------------------

  public sealed interface Event extends CborSerializable {
    String username();

    Instant at();

    String by();
  }

  public record Registered(
      String username,
      Role role,
      Optional<String> agentId,
      String passwordHash,
      Instant at,
      String by)
      implements Event {}

  public record PasswordChanged(String username, String passwordHash, Instant at, String by)
      implements Event {}

  public record RoleChanged(
      String username,
      Role oldRole,
      Role newRole,
      Optional<String> oldAgentId,
      Optional<String> newAgentId,
      Instant at,
      String by)
      implements Event {}

  public record Disabled(String username, Instant at, String by) implements Event {}

  public record Enabled(String username, Instant at, String by) implements Event {}

  // ---- state ----------------------------------------------------------------------------------

  /** Empty until {@link Registered}. */
  public record State(Optional<Account> account) implements CborSerializable {
    static State empty() {
      return new State(Optional.empty());
    }

    State with(Account updated) {
      return new State(Optional.of(updated));
    }
  }

  /**
   * A registered account. {@code tokenVersion} counts the changes that revoke issued tokens
   * (password, role, disable, enable); it is derived from the events, so no event carries it, and a
   * snapshot taken before it existed reads as 0.
   */
  public record Account(
      String username,
      Role role,
      Optional<String> agentId,
      String passwordHash,
      boolean enabled,
      Instant createdAt,
      String createdBy,
      int tokenVersion)
      implements CborSerializable {

    Summary toSummary() {
      return new Summary(username, role, agentId, enabled, createdAt, createdBy);
    }

    Credentials toCredentials() {
      return new Credentials(username, role, agentId, enabled, passwordHash, tokenVersion);
    }

    Account withPasswordHash(String newHash) {
      return new Account(
          username, role, agentId, newHash, enabled, createdAt, createdBy, tokenVersion + 1);
    }

    Account withRole(Role newRole, Optional<String> newAgentId) {
      return new Account(
          username,
          newRole,
          newAgentId,
          passwordHash,
          enabled,
          createdAt,
          createdBy,
          tokenVersion + 1);
    }

    Account withEnabled(boolean nowEnabled) {
      return new Account(
          username,
          role,
          agentId,
          passwordHash,
          nowEnabled,
          createdAt,
          createdBy,
          tokenVersion + 1);
    }
  }

  // ---- behaviour ------------------------------------------------------------------------------

  private final String username;
  private final Clock clock;

  private User(String username, Clock clock) {
    super(
        PersistenceId.of(ENTITY_KEY.name(), username),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1));
    this.username = username;
    this.clock = clock;
  }

  @Override
  public State emptyState() {
    return State.empty();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(100, 3);
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return Set.of(TAGS.get(Math.abs(username.hashCode() % TAGS.size())));
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    var builder = newCommandHandlerWithReplyBuilder();
    builder
        .forState(state -> state.account().isEmpty())
        .onCommand(Register.class, this::onRegister)
        .onCommand(ChangePassword.class, (s, c) -> noSuchUser(c.replyTo()))
        .onCommand(ChangeRole.class, (s, c) -> noSuchUser(c.replyTo()))
        .onCommand(Disable.class, (s, c) -> noSuchUser(c.replyTo()))
        .onCommand(Enable.class, (s, c) -> noSuchUser(c.replyTo()));
    builder
        .forState(state -> state.account().isPresent())
        .onCommand(
            Register.class,
            (s, c) ->
                Effect()
                    .reply(c.replyTo(), StatusReply.error("user " + username + " already exists")))
        .onCommand(ChangePassword.class, this::onChangePassword)
        .onCommand(ChangeRole.class, this::onChangeRole)
        .onCommand(Disable.class, this::onDisable)
        .onCommand(Enable.class, this::onEnable);
    builder
        .forAnyState()
        .onCommand(
            GetCredentials.class,
            (s, c) -> Effect().reply(c.replyTo(), s.account().map(Account::toCredentials)))
        .onCommand(
            Get.class, (s, c) -> Effect().reply(c.replyTo(), s.account().map(Account::toSummary)));
    return builder.build();
  }

  private ReplyEffect<Event, State> onRegister(State state, Register cmd) {
    if (!USERNAME.matcher(username).matches()) {
      return Effect()
          .reply(
              cmd.replyTo(),
              StatusReply.error(
                  "username must be 3-64 characters of lower-case letters, digits, '.', '_' or '-'"));
    }
    Optional<String> problem = roleProblem(cmd.role(), cmd.agentId());
    if (problem.isPresent()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error(problem.get()));
    }
    return Effect()
        .persist(
            new Registered(
                username, cmd.role(), cmd.agentId(), cmd.passwordHash(), clock.instant(), cmd.by()))
        .thenReply(cmd.replyTo(), s -> StatusReply.success(account(s).toSummary()));
  }

  private ReplyEffect<Event, State> onChangePassword(State state, ChangePassword cmd) {
    return Effect()
        .persist(new PasswordChanged(username, cmd.passwordHash(), clock.instant(), cmd.by()))
        .thenReply(cmd.replyTo(), s -> StatusReply.success(account(s).toSummary()));
  }

  private ReplyEffect<Event, State> onChangeRole(State state, ChangeRole cmd) {
    Optional<String> problem = roleProblem(cmd.role(), cmd.agentId());
    if (problem.isPresent()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error(problem.get()));
    }
    Account current = account(state);
    return Effect()
        .persist(
            new RoleChanged(
                username,
                current.role(),
                cmd.role(),
                current.agentId(),
                cmd.agentId(),
                clock.instant(),
                cmd.by()))
        .thenReply(cmd.replyTo(), s -> StatusReply.success(account(s).toSummary()));
  }

  private ReplyEffect<Event, State> onDisable(State state, Disable cmd) {
    if (!account(state).enabled()) {
      return Effect()
          .reply(cmd.replyTo(), StatusReply.error("user " + username + " is already disabled"));
    }
    return Effect()
        .persist(new Disabled(username, clock.instant(), cmd.by()))
        .thenReply(cmd.replyTo(), s -> StatusReply.success(account(s).toSummary()));
  }

  private ReplyEffect<Event, State> onEnable(State state, Enable cmd) {
    if (account(state).enabled()) {
      return Effect()
          .reply(cmd.replyTo(), StatusReply.error("user " + username + " is already enabled"));
    }
    return Effect()
        .persist(new Enabled(username, clock.instant(), cmd.by()))
        .thenReply(cmd.replyTo(), s -> StatusReply.success(account(s).toSummary()));
  }

  private ReplyEffect<Event, State> noSuchUser(ActorRef<StatusReply<Summary>> replyTo) {
    return Effect().reply(replyTo, StatusReply.error("no user " + username));
  }

  private static Optional<String> roleProblem(Role role, Optional<String> agentId) {
    if (role == Role.AGENT && agentId.filter(id -> !id.isBlank()).isEmpty()) {
      return Optional.of("an AGENT user must be linked to an agent id");
    }
    if (role != Role.AGENT && agentId.isPresent()) {
      return Optional.of("only AGENT users are linked to an agent id");
    }
    return Optional.empty();
  }

  private static Account account(State state) {
    return state.account().orElseThrow();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(
            Registered.class,
            (s, e) ->
                s.with(
                    new Account(
                        e.username(),
                        e.role(),
                        e.agentId(),
                        e.passwordHash(),
                        true,
                        e.at(),
                        e.by(),
                        0)))
        .onEvent(
            PasswordChanged.class, (s, e) -> s.with(account(s).withPasswordHash(e.passwordHash())))
        .onEvent(
            RoleChanged.class, (s, e) -> s.with(account(s).withRole(e.newRole(), e.newAgentId())))
        .onEvent(Disabled.class, (s, e) -> s.with(account(s).withEnabled(false)))
        .onEvent(Enabled.class, (s, e) -> s.with(account(s).withEnabled(true)))
        .build();
  }
}
