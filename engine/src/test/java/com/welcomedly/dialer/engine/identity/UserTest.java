package com.welcomedly.dialer.engine.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import com.welcomedly.dialer.engine.identity.User.Role;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJunitResource;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LogCapturingExtension.class)
class UserTest {

  private static final Instant NOW = Instant.parse("2026-11-22T09:00:00Z");
  private static final TestKitJunitResource TEST_KIT =
      new TestKitJunitResource(
          EventSourcedBehaviorTestKit.config()
              .withFallback(ConfigFactory.parseResources("serialization.conf"))
              .resolve());

  private final EventSourcedBehaviorTestKit<User.Command, User.Event, User.State> user =
      EventSourcedBehaviorTestKit.create(
          TEST_KIT.system(), User.create("alice", Clock.fixed(NOW, ZoneOffset.UTC)));

  @AfterAll
  static void shutdown() {
    TEST_KIT.system().terminate();
  }

  @BeforeEach
  void clear() {
    user.clear();
  }

  private CommandResultWithReply<User.Command, User.Event, User.State, StatusReply<User.Summary>>
      run(Function<ActorRef<StatusReply<User.Summary>>, User.Command> command) {
    return user.runCommand(command);
  }

  private Optional<User.Credentials> credentials() {
    Function<ActorRef<Optional<User.Credentials>>, User.Command> get = User.GetCredentials::new;
    return user.runCommand(get).reply();
  }

  @Test
  void registersAnAgentUserLinkedToItsAgent() {
    CommandResultWithReply<User.Command, User.Event, User.State, StatusReply<User.Summary>> result =
        user.runCommand(
            r -> new User.Register(Role.AGENT, "$2a$hash", Optional.of("a-101"), "admin", r));
    assertTrue(result.reply().isSuccess());
    assertEquals(
        new User.Registered("alice", Role.AGENT, Optional.of("a-101"), "$2a$hash", NOW, "admin"),
        result.event());
    assertEquals(
        new User.Summary("alice", Role.AGENT, Optional.of("a-101"), true, NOW, "admin"),
        result.reply().getValue());
  }

  @Test
  void rejectsAnAgentUserWithoutAgentAndAnAdminWithOne() {
    var noAgent = run(r -> new User.Register(Role.AGENT, "h", Optional.empty(), "admin", r));
    assertEquals(
        "an AGENT user must be linked to an agent id", noAgent.reply().getError().getMessage());
    assertTrue(noAgent.hasNoEvents());
    var adminWithAgent =
        run(r -> new User.Register(Role.ADMIN, "h", Optional.of("a-1"), "admin", r));
    assertEquals(
        "only AGENT users are linked to an agent id",
        adminWithAgent.reply().getError().getMessage());
    assertTrue(adminWithAgent.hasNoEvents());
  }

  @Test
  void rejectsAnInvalidUsername() {
    var bad =
        EventSourcedBehaviorTestKit.<User.Command, User.Event, User.State>create(
            TEST_KIT.system(), User.create("No Spaces!", Clock.fixed(NOW, ZoneOffset.UTC)));
    Function<ActorRef<StatusReply<User.Summary>>, User.Command> register =
        r -> new User.Register(Role.ADMIN, "h", Optional.empty(), "boot", r);
    var result = bad.runCommand(register);
    assertTrue(result.reply().isError());
    assertTrue(result.hasNoEvents());
  }

  @Test
  void registeringTwiceIsRejected() {
    run(r -> new User.Register(Role.SUPERVISOR, "h", Optional.empty(), "admin", r));
    var again = run(r -> new User.Register(Role.ADMIN, "h2", Optional.empty(), "admin", r));
    assertEquals("user alice already exists", again.reply().getError().getMessage());
    assertTrue(again.hasNoEvents());
  }

  @Test
  void commandsOnAMissingUserAreRejected() {
    var result = run(r -> new User.Disable("admin", r));
    assertEquals("no user alice", result.reply().getError().getMessage());
    assertTrue(result.hasNoEvents());
    assertEquals(Optional.empty(), credentials());
  }

  @Test
  void passwordRoleAndEnabledChangesAreAuditedEvents() {
    run(r -> new User.Register(Role.SUPERVISOR, "h1", Optional.empty(), "admin", r));

    var password = run(r -> new User.ChangePassword("h2", "alice", r));
    assertEquals(new User.PasswordChanged("alice", "h2", NOW, "alice"), password.event());

    var role = run(r -> new User.ChangeRole(Role.AGENT, Optional.of("a-7"), "admin", r));
    assertEquals(
        new User.RoleChanged(
            "alice",
            Role.SUPERVISOR,
            Role.AGENT,
            Optional.empty(),
            Optional.of("a-7"),
            NOW,
            "admin"),
        role.event());

    var disabled = run(r -> new User.Disable("admin", r));
    assertFalse(disabled.reply().getValue().enabled());
    assertEquals(
        "user alice is already disabled",
        run(r -> new User.Disable("admin", r)).reply().getError().getMessage());

    User.Credentials credentials = credentials().orElseThrow();
    assertEquals(
        new User.Credentials("alice", Role.AGENT, Optional.of("a-7"), false, "h2", 3), credentials);

    assertTrue(run(r -> new User.Enable("admin", r)).reply().getValue().enabled());
    // Password, role, disable and enable each revoke the tokens issued before them.
    assertEquals(4, credentials().orElseThrow().tokenVersion());
    assertEquals(
        "user alice is already enabled",
        run(r -> new User.Enable("admin", r)).reply().getError().getMessage());
  }

  @Test
  void stateSurvivesRecovery() {
    run(r -> new User.Register(Role.ADMIN, "h1", Optional.empty(), "boot", r));
    run(r -> new User.ChangePassword("h2", "alice", r));
    user.restart();
    assertEquals(
        Optional.of(new User.Credentials("alice", Role.ADMIN, Optional.empty(), true, "h2", 1)),
        credentials());
  }
}
