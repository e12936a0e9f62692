package com.welcomedly.dialer.engine.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.welcomedly.dialer.engine.campaign.Campaign.Command;
import com.welcomedly.dialer.engine.campaign.Campaign.Event;
import com.welcomedly.dialer.engine.campaign.Campaign.State;
import com.welcomedly.dialer.engine.campaign.Campaign.Status;
import com.welcomedly.dialer.engine.campaign.Campaign.Summary;
import com.welcomedly.dialer.engine.campaign.CampaignConfig.AbandonWindow;
import com.welcomedly.dialer.engine.campaign.CampaignConfig.DialMode;
import com.welcomedly.dialer.engine.campaign.CampaignConfig.Pacing;
import com.welcomedly.dialer.engine.compliance.DomainTestSupport;
import com.welcomedly.dialer.engine.compliance.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LogCapturingExtension.class)
class CampaignTest {

  private static final ActorTestKit testKit =
      ActorTestKit.create("CampaignTest", DomainTestSupport.entityTestConfig());
  private static final Instant T0 = Instant.parse("2026-06-10T14:00:00Z");
  private static final CampaignConfig CONFIG =
      CampaignConfig.defaults("PJSIP/{number}@carrier", "+15550100");

  private final ManualClock clock = new ManualClock(T0);
  private final EventSourcedBehaviorTestKit<Command, Event, State> kit =
      EventSourcedBehaviorTestKit.create(testKit.system(), Campaign.create("c-1", clock));

  @AfterAll
  static void tearDown() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void clear() {
    kit.clear();
  }

  private CommandResultWithReply<Command, Event, State, StatusReply<Summary>> create() {
    return change(r -> new Campaign.Create("Spring sale", CONFIG, "sup-1", r));
  }

  private CommandResultWithReply<Command, Event, State, StatusReply<Summary>> change(
      java.util.function.Function<
              org.apache.pekko.actor.typed.ActorRef<StatusReply<Summary>>, Command>
          command) {
    return kit.runCommand(command::apply);
  }

  private void givenStatus(Event... events) {
    kit.initialize(events);
  }

  private Event created() {
    return new Campaign.Created("c-1", "Spring sale", CONFIG, "sup-1", T0);
  }

  private static String error(CommandResultWithReply<?, ?, ?, ? extends StatusReply<?>> result) {
    assertTrue(result.reply().isError(), "expected a rejection, got " + result.reply());
    assertTrue(result.hasNoEvents());
    return result.reply().getError().getMessage();
  }

  @Test
  void createIsAValidatedDraftAndRecordsWho() {
    var result = create();
    assertTrue(result.reply().isSuccess());
    assertEquals(Status.DRAFT, result.reply().getValue().status());
    assertEquals(created(), result.event());
    assertEquals(CONFIG, result.state().config());
  }

  @Test
  void defaultsMatchTheRegulatoryBaseline() {
    assertTrue(CONFIG.problems().isEmpty(), CONFIG.problems().toString());
    assertEquals(Duration.ofSeconds(20), CONFIG.ringTimeout());
    assertEquals(Duration.ofSeconds(2), CONFIG.connectDeadline());
    assertEquals(3.0, CONFIG.pacing().targetAbandonPercent());
    assertEquals(Duration.ofHours(72), CONFIG.postAbandonLockout());
    assertEquals(17, Disposition.DEFAULTS.size());
    Disposition dnc = CONFIG.disposition("DNC_REQUEST").orElseThrow();
    assertTrue(dnc.dnc() && dnc.finalOutcome() && dnc.humanAnswered());
    assertTrue(CONFIG.disposition("MACHINE").orElseThrow().machine());
    assertTrue(CONFIG.disposition("SALE").orElseThrow().success());
    assertEquals("PJSIP/+15551234567@carrier", CONFIG.dialString("+15551234567"));
    assertEquals(CONFIG.callingWindow(), CONFIG.dialPolicy().callingWindow());
  }

  @Test
  void rejectsAnInvalidConfigWithEveryReason() {
    CampaignConfig bad =
        new CampaignConfig(
            new Pacing(DialMode.PREDICTIVE, 4.0, AbandonWindow.BOTH, 2, 3.0, 0),
            Duration.ofSeconds(10),
            Duration.ofSeconds(2),
            "PJSIP/carrier",
            "",
            CONFIG.callingWindow(),
            CONFIG.postAbandonLockout(),
            CONFIG.attemptCaps(),
            "msg",
            CONFIG.amd(),
            CONFIG.wrapUpTimeout(),
            "NOPE",
            Set.of(),
            Disposition.DEFAULTS.subList(0, 3),
            CONFIG.reservationTimeout(),
            CONFIG.callbackFallback(),
            CONFIG.numberRotation(),
            Duration.ofSeconds(1),
            null);
    String reason = error(change(r -> new Campaign.Create("x", bad, "sup-1", r)));
    for (String expected :
        List.of(
            "target abandon rate",
            "power ratio",
            "min ready agents",
            "ring timeout must be at least 15 s",
            "{number}",
            "caller ID",
            "system code NO_ANSWER",
            "wrap-up timeout disposition",
            "preview timeout")) {
      assertTrue(reason.contains(expected), expected + " missing in: " + reason);
    }
    assertFalse(kit.getState().config() != null);
  }

  @Test
  void anAgentlessCampaignNeedsValidBroadcastSettings() {
    CampaignConfig agentless =
        CONFIG.toBuilder()
            .pacing(new Pacing(DialMode.AGENTLESS, 3.0, AbandonWindow.US_30_DAY, 3, 1.5, 3))
            .agentless(CampaignConfig.Agentless.defaults())
            .build();
    assertEquals(List.of(), agentless.problems());
    assertTrue(agentless.dialsAgentless());
    assertEquals("1", agentless.agentless().transferKey());
    assertEquals("9", agentless.agentless().optOutKey());
    // Keys left out (older or partial JSON) take the defaults.
    assertEquals("1", new CampaignConfig.Agentless("m", 1, 1, null, null).transferKey());

    assertTrue(
        agentless.toBuilder()
            .agentless(null)
            .build()
            .problems()
            .toString()
            .contains("needs its agentless settings"));
    String reason =
        agentless.toBuilder()
            .agentless(new CampaignConfig.Agentless("bad name!", 0, 0, "1", "1"))
            .amd(new CampaignConfig.Amd(true, CampaignConfig.MachineReaction.CONNECT_AGENT))
            .dispositions(Disposition.DEFAULTS.subList(0, 15))
            .build()
            .problems()
            .toString();
    for (String expected :
        List.of(
            "sound file name",
            "calls per second",
            "max concurrent calls",
            "keys must differ",
            "never connects an agent",
            "must contain MESSAGE_PLAYED",
            "must contain MESSAGE_LEFT")) {
      assertTrue(reason.contains(expected), expected + " missing in: " + reason);
    }
    assertTrue(
        agentless.toBuilder()
            .agentless(new CampaignConfig.Agentless("m", 1, 1, "12", "x"))
            .build()
            .problems()
            .toString()
            .contains("one of 0-9, * or #"));
    // Other modes ignore the agentless settings.
    assertFalse(CONFIG.toBuilder().agentless(null).build().dialsAgentless());
  }

  @Test
  void rejectsCreateWithoutName() {
    assertTrue(error(change(r -> new Campaign.Create(" ", CONFIG, "sup-1", r))).contains("name"));
  }

  @Test
  void rejectsCreatingTwice() {
    givenStatus(created());
    assertTrue(error(create()).contains("already exists"));
  }

  @Test
  void rejectsEveryChangeBeforeItExists() {
    assertTrue(error(change(r -> new Campaign.Start("sup-1", r))).contains("does not"));
    assertTrue(
        error(change(r -> new Campaign.ChangePacing(Pacing.defaults(), "s", r)))
            .contains("does not exist"));
    Summary summary = kit.<Summary>runCommand(Campaign.GetSummary::new).reply();
    assertNull(summary.config());
  }

  @Test
  void startsPausesResumesAndFinishes() {
    givenStatus(created());
    clock.advance(Duration.ofMinutes(1));
    var started = change(r -> new Campaign.Start("sup-1", r));
    assertEquals(new Campaign.Started("c-1", "sup-1", T0.plusSeconds(60)), started.event());
    assertEquals(Status.ACTIVE, started.reply().getValue().status());

    var paused = change(r -> new Campaign.Pause("lunch", "sup-2", r));
    assertInstanceOf(Campaign.Paused.class, paused.event());
    assertEquals(Status.PAUSED, paused.state().status());

    var resumed = change(r -> new Campaign.Resume("sup-2", r));
    assertEquals(Status.ACTIVE, resumed.state().status());

    var finished = change(r -> new Campaign.Finish("list done", "sup-1", r));
    assertEquals(
        new Campaign.Finished("c-1", Status.ACTIVE, "list done", "sup-1", T0.plusSeconds(60)),
        finished.event());
    assertEquals(Status.FINISHED, finished.state().status());
  }

  @Test
  void aPausedCampaignCanBeFinished() {
    givenStatus(
        created(), new Campaign.Started("c-1", "s", T0), new Campaign.Paused("c-1", "r", "s", T0));
    assertEquals(
        Status.FINISHED, change(r -> new Campaign.Finish("x", "s", r)).reply().getValue().status());
  }

  @Test
  void rejectsIllegalTransitions() {
    givenStatus(created());
    assertTrue(error(change(r -> new Campaign.Pause("r", "s", r))).contains("ACTIVE"));
    assertTrue(error(change(r -> new Campaign.Resume("s", r))).contains("PAUSED"));
    assertTrue(error(change(r -> new Campaign.Finish("r", "s", r))).contains("DRAFT"));

    givenStatus(created(), new Campaign.Started("c-1", "s", T0));
    assertTrue(error(change(r -> new Campaign.Start("s", r))).contains("DRAFT"));
    assertTrue(error(change(r -> new Campaign.Resume("s", r))).contains("PAUSED"));

    givenStatus(
        created(), new Campaign.Started("c-1", "s", T0), new Campaign.Paused("c-1", "r", "s", T0));
    assertTrue(error(change(r -> new Campaign.Start("s", r))).contains("use resume"));
    assertTrue(error(change(r -> new Campaign.Pause("r", "s", r))).contains("ACTIVE"));
  }

  @Test
  void aFinishedCampaignIsFinal() {
    givenStatus(
        created(),
        new Campaign.Started("c-1", "s", T0),
        new Campaign.Finished("c-1", Status.ACTIVE, "done", "s", T0));
    assertTrue(error(change(r -> new Campaign.Resume("s", r))).contains("FINISHED"));
    assertTrue(error(change(r -> new Campaign.Start("s", r))).contains("FINISHED"));
    assertTrue(error(change(r -> new Campaign.Finish("x", "s", r))).contains("FINISHED"));
    assertTrue(error(change(r -> new Campaign.UpdateConfig(CONFIG, "s", r))).contains("FINISHED"));
    assertEquals(
        Status.FINISHED, kit.<Summary>runCommand(Campaign.GetSummary::new).reply().status());
  }

  @Test
  void configChangesRecordWhoWhenAndOldAndNewValues() {
    givenStatus(created(), new Campaign.Started("c-1", "s", T0));
    clock.advance(Duration.ofHours(1));
    CampaignConfig changed =
        CONFIG.withRingTimeout(Duration.ofSeconds(25)).withAssignedAgents(Set.of("a-1", "a-2"));
    var result = change(r -> new Campaign.UpdateConfig(changed, "sup-9", r));
    assertEquals(
        new Campaign.ConfigChanged("c-1", CONFIG, changed, "sup-9", T0.plus(Duration.ofHours(1))),
        result.event());
    assertEquals(Set.of("a-1", "a-2"), result.reply().getValue().config().assignedAgents());
    assertEquals(Status.ACTIVE, result.state().status());
  }

  @Test
  void anUnchangedConfigPersistsNothing() {
    givenStatus(created());
    var result = change(r -> new Campaign.UpdateConfig(CONFIG, "s", r));
    assertTrue(result.reply().isSuccess());
    assertTrue(result.hasNoEvents());
  }

  @Test
  void rejectsAnInvalidConfigChange() {
    givenStatus(created());
    assertTrue(
        error(
                change(
                    r ->
                        new Campaign.UpdateConfig(
                            CONFIG.withRingTimeout(Duration.ofSeconds(14)), "s", r)))
            .contains("ring timeout"));
  }

  @Test
  void pacingIsTheSupervisorsLeverAndIsAudited() {
    givenStatus(created(), new Campaign.Started("c-1", "s", T0));
    Pacing predictive = new Pacing(DialMode.PREDICTIVE, 2.5, AbandonWindow.BOTH, 3, 2.0, 5);
    var result = change(r -> new Campaign.ChangePacing(predictive, "sup-3", r));
    assertEquals(
        new Campaign.PacingChanged("c-1", CONFIG.pacing(), predictive, "sup-3", T0),
        result.event());
    assertEquals(predictive, result.state().config().pacing());
    assertEquals(CONFIG.ringTimeout(), result.state().config().ringTimeout());
  }

  @Test
  void rejectsPacingOutsideTheLimits() {
    givenStatus(created());
    assertTrue(
        error(
                change(
                    r ->
                        new Campaign.ChangePacing(
                            new Pacing(DialMode.POWER, 3.5, AbandonWindow.UK_24H, 3, 2, 1),
                            "s",
                            r)))
            .contains("between 0 and 3"));
    assertTrue(error(change(r -> new Campaign.ChangePacing(null, "s", r))).contains("required"));
  }

  @Test
  void dispositionsAreEditablePerCampaignButStayConsistent() {
    givenStatus(created());
    List<Disposition> more = new java.util.ArrayList<>(Disposition.DEFAULTS);
    more.add(
        new Disposition(
            "APPOINTMENT",
            "Appointment set",
            Disposition.Category.SUCCESS,
            true,
            true,
            true,
            false,
            false,
            true,
            false,
            null));
    assertTrue(
        change(r -> new Campaign.UpdateConfig(CONFIG.withDispositions(more), "s", r))
            .reply()
            .isSuccess());
    List<Disposition> duplicate = new java.util.ArrayList<>(more);
    duplicate.add(more.get(0));
    assertTrue(
        error(change(r -> new Campaign.UpdateConfig(CONFIG.withDispositions(duplicate), "s", r)))
            .contains("defined twice"));
  }

  @Test
  void recoversItsStateFromEvents() {
    givenStatus(created(), new Campaign.Started("c-1", "s", T0));
    var restarted = kit.restart();
    assertEquals(Status.ACTIVE, restarted.state().status());
    assertEquals(CONFIG, restarted.state().config());
  }
}
