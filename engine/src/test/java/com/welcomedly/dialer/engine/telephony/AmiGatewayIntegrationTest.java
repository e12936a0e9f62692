package com.welcomedly.dialer.engine.telephony;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.ActionRejected;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.AgentBridged;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.AgentIdle;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.AgentLegDown;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.AgentLegEvent;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.AgentLegFailed;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.AgentLegUp;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.AmdVerdict;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.Answered;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.Bridged;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.Busy;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.CallEvent;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.Command;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.Congestion;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.Failed;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.HungUp;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.InvalidNumber;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.MachineDetection;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.NoAnswer;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.PbxStatus;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.PbxUp;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.Ringing;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.SafeHarborPlayed;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.Side;
import com.welcomedly.dialer.sim.AmiSimulator;
import com.welcomedly.dialer.sim.SimulatorSettings;
import java.time.Duration;
import java.util.UUID;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The gateway against the AMI simulator over real TCP, one scripted number per outcome (see {@code
 * CallPlan}: 99 + outcome digit + ring tenths + talk seconds). The simulator runs 10x faster than
 * real time, so ring and talk times are tenths of what the numbers say.
 */
@ExtendWith(LogCapturingExtension.class)
class AmiGatewayIntegrationTest {
  static final Config CONFIG =
      ConfigFactory.parseString(
              """
              dialer.telephony.ami.secret = "test-secret"
              dialer.telephony.keepalive-interval = 1s
              dialer.telephony.reconnect.min-backoff = 100ms
              dialer.telephony.reconnect.max-backoff = 1s
              dialer.telephony.failure-settle-time = 500ms
              """)
          .withFallback(ConfigFactory.load("application-test"));
  static final ActorTestKit testKit = ActorTestKit.create("AmiGatewayIntegrationTest", CONFIG);
  static final Duration WAIT = Duration.ofSeconds(5);
  static AmiSimulator simulator;
  static ActorRef<Command> gateway;

  @BeforeAll
  static void start() throws Exception {
    simulator =
        AmiSimulator.start(
            SimulatorSettings.defaults()
                .withPort(0)
                .withTimeScale(10)
                .withCredentials("dialer", "test-secret"));
    AmiGatewaySettings settings =
        AmiGatewaySettings.fromConfig(testKit.system().settings().config())
            .withPort(simulator.port());
    gateway = testKit.spawn(AmiGateway.create(settings), "gateway");
    TestProbe<PbxStatus> status = testKit.createTestProbe();
    gateway.tell(new TelephonyGateway.Subscribe(status.ref()));
    awaitStatus(status, PbxUp.class);
  }

  /** Skips earlier statuses (the first one on Subscribe is the current one). */
  static <T extends PbxStatus> T awaitStatus(TestProbe<PbxStatus> probe, Class<T> type) {
    while (true) {
      PbxStatus next = probe.receiveMessage(Duration.ofSeconds(10));
      if (type.isInstance(next)) {
        return type.cast(next);
      }
    }
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
    simulator.close();
  }

  private static String originate(TestProbe<CallEvent> probe, String number, boolean amd) {
    return originate(probe, number, amd, Duration.ofSeconds(30));
  }

  static String originate(
      TestProbe<CallEvent> probe, String number, boolean amd, Duration ringTimeout) {
    String callId = "att-" + UUID.randomUUID();
    gateway.tell(
        new TelephonyGateway.Originate(
            callId,
            "camp-1",
            "lead-1",
            number,
            "Local/{number}@sim-customer",
            "\"Dialer\" <5550000>",
            ringTimeout,
            amd,
            probe.ref()));
    return callId;
  }

  @Test
  void liveAnswerThenCustomerHangsUp() {
    TestProbe<CallEvent> probe = testKit.createTestProbe();
    String callId = originate(probe, "99110030001", false);
    assertEquals(callId, probe.expectMessageClass(Ringing.class, WAIT).callId());
    Answered answered = probe.expectMessageClass(Answered.class, WAIT);
    assertTrue(answered.channel().endsWith(";1"), answered.channel());
    HungUp hungUp = probe.expectMessageClass(HungUp.class, WAIT);
    assertEquals(Side.CUSTOMER, hungUp.side());
    assertEquals(16, hungUp.cause());
  }

  @Test
  void busy() {
    TestProbe<CallEvent> probe = testKit.createTestProbe();
    originate(probe, "99330000002", false);
    probe.expectMessageClass(Ringing.class, WAIT);
    assertEquals(17, probe.expectMessageClass(Busy.class, WAIT).cause());
  }

  @Test
  void noAnswerWhenTheOriginateTimesOut() {
    TestProbe<CallEvent> probe = testKit.createTestProbe();
    originate(probe, "99400000003", false, Duration.ofSeconds(4));
    probe.expectMessageClass(Ringing.class, WAIT);
    assertEquals(19, probe.expectMessageClass(NoAnswer.class, WAIT).cause());
  }

  @Test
  void noAnswerWhenTheCalleeGivesUp() {
    TestProbe<CallEvent> probe = testKit.createTestProbe();
    originate(probe, "99420000004", false);
    probe.expectMessageClass(Ringing.class, WAIT);
    assertEquals(19, probe.expectMessageClass(NoAnswer.class, WAIT).cause());
  }

  @Test
  void congestion() {
    TestProbe<CallEvent> probe = testKit.createTestProbe();
    originate(probe, "99500100005", false);
    probe.expectMessageClass(Ringing.class, WAIT);
    assertEquals(34, probe.expectMessageClass(Congestion.class, WAIT).cause());
  }

  @Test
  void unallocatedNumberIsInvalid() {
    TestProbe<CallEvent> probe = testKit.createTestProbe();
    originate(probe, "99600200006", false);
    assertEquals(1, probe.expectMessageClass(InvalidNumber.class, WAIT).cause());
  }

  @Test
  void rejectedCallFailsWithItsCause() {
    TestProbe<CallEvent> probe = testKit.createTestProbe();
    originate(probe, "99700200007", false);
    assertEquals(21, probe.expectMessageClass(Failed.class, WAIT).cause());
  }

  @Test
  void numberWithoutRouteFails() {
    TestProbe<CallEvent> probe = testKit.createTestProbe();
    originate(probe, "99800000008", false);
    Failed failed = probe.expectMessageClass(Failed.class, WAIT);
    assertEquals(0, failed.cause());
  }

  @Test
  void badNumberFormatNeverReachesThePbx() {
    TestProbe<CallEvent> probe = testKit.createTestProbe();
    originate(probe, "12ab", false);
    assertEquals(28, probe.expectMessageClass(InvalidNumber.class, WAIT).cause());
  }

  @Test
  void originateThePbxRefusesIsAFinalRejection() {
    TestProbe<CallEvent> probe = testKit.createTestProbe();
    String callId = "att-" + UUID.randomUUID();
    gateway.tell(
        new TelephonyGateway.Originate(
            callId,
            "camp-1",
            "lead-1",
            "5551234",
            "NoTechnology",
            "\"Dialer\" <5550000>",
            Duration.ofSeconds(30),
            false,
            probe.ref()));
    ActionRejected rejected = probe.expectMessageClass(ActionRejected.class, WAIT);
    assertTrue(rejected.isFinal());
    assertTrue(rejected.reason().contains("Channel not specified"), rejected.reason());
  }

  @Test
  void answeringMachineDetectedByAmd() {
    TestProbe<CallEvent> probe = testKit.createTestProbe();
    originate(probe, "99210050009", true);
    probe.expectMessageClass(Ringing.class, WAIT);
    probe.expectMessageClass(Answered.class, WAIT);
    MachineDetection amd = probe.expectMessageClass(MachineDetection.class, WAIT);
    assertEquals(AmdVerdict.MACHINE, amd.verdict());
    assertEquals(Side.CUSTOMER, probe.expectMessageClass(HungUp.class, WAIT).side());
  }

  @Test
  void humanDetectedByAmd() {
    TestProbe<CallEvent> probe = testKit.createTestProbe();
    String callId = originate(probe, "99110000010", true);
    probe.expectMessageClass(Ringing.class, WAIT);
    probe.expectMessageClass(Answered.class, WAIT);
    assertEquals(
        AmdVerdict.HUMAN, probe.expectMessageClass(MachineDetection.class, WAIT).verdict());
    gateway.tell(new TelephonyGateway.Hangup(callId));
    assertEquals(Side.DIALER, probe.expectMessageClass(HungUp.class, WAIT).side());
  }

  @Test
  void nailedUpAgentTakesTwoCallsInARow() {
    TestProbe<AgentLegEvent> agent = testKit.createTestProbe();
    gateway.tell(new TelephonyGateway.NailUpAgent("a101", "PJSIP/agent101", agent.ref()));
    assertTrue(agent.expectMessageClass(AgentLegUp.class, WAIT).channel().contains("agent101"));

    // First customer: we hang up, the agent goes back to holding.
    TestProbe<CallEvent> first = testKit.createTestProbe();
    String firstId = originate(first, "99110000011", false);
    first.expectMessageClass(Ringing.class, WAIT);
    first.expectMessageClass(Answered.class, WAIT);
    gateway.tell(new TelephonyGateway.Bridge(firstId, "a101"));
    assertEquals("a101", first.expectMessageClass(Bridged.class, WAIT).agentId());
    assertEquals(firstId, agent.expectMessageClass(AgentBridged.class, WAIT).callId());
    gateway.tell(new TelephonyGateway.Hangup(firstId));
    assertEquals(Side.DIALER, first.expectMessageClass(HungUp.class, WAIT).side());
    agent.expectMessageClass(AgentIdle.class, WAIT);

    // Second customer on the same leg hangs up by themselves.
    TestProbe<CallEvent> second = testKit.createTestProbe();
    String secondId = originate(second, "99110020012", false);
    second.expectMessageClass(Ringing.class, WAIT);
    second.expectMessageClass(Answered.class, WAIT);
    gateway.tell(new TelephonyGateway.Bridge(secondId, "a101"));
    second.expectMessageClass(Bridged.class, WAIT);
    agent.expectMessageClass(AgentBridged.class, WAIT);
    assertEquals(Side.CUSTOMER, second.expectMessageClass(HungUp.class, WAIT).side());
    agent.expectMessageClass(AgentIdle.class, WAIT);

    // Third customer: the agent hangs up on them.
    TestProbe<CallEvent> third = testKit.createTestProbe();
    String thirdId = originate(third, "99110000013", false);
    third.expectMessageClass(Ringing.class, WAIT);
    third.expectMessageClass(Answered.class, WAIT);
    gateway.tell(new TelephonyGateway.Bridge(thirdId, "a101"));
    third.expectMessageClass(Bridged.class, WAIT);
    agent.expectMessageClass(AgentBridged.class, WAIT);
    gateway.tell(new TelephonyGateway.ReleaseAgent("a101"));
    assertEquals(16, agent.expectMessageClass(AgentLegDown.class, WAIT).cause());
    assertEquals(Side.AGENT, third.expectMessageClass(HungUp.class, WAIT).side());
  }

  /**
   * A campaign's dialer that restarts on the same node (its shard lost the lease during a database
   * outage) asks again for legs the gateway keeps for that campaign's relay: it hears they are up.
   * Another listener (another campaign) is still refused a second leg for the same agent.
   */
  @Test
  void aRestartedDialerAskingForItsOwnLegHearsItIsUp() {
    TestProbe<AgentLegEvent> relay = testKit.createTestProbe();
    gateway.tell(new TelephonyGateway.NailUpAgent("a105", "PJSIP/agent105", relay.ref()));
    String channel = relay.expectMessageClass(AgentLegUp.class, WAIT).channel();

    gateway.tell(new TelephonyGateway.NailUpAgent("a105", "PJSIP/agent105", relay.ref()));
    assertEquals(channel, relay.expectMessageClass(AgentLegUp.class, WAIT).channel());

    TestProbe<AgentLegEvent> otherCampaign = testKit.createTestProbe();
    gateway.tell(new TelephonyGateway.NailUpAgent("a105", "PJSIP/agent105", otherCampaign.ref()));
    assertTrue(
        otherCampaign.expectMessageClass(AgentLegFailed.class, WAIT).reason().contains("already"));

    gateway.tell(new TelephonyGateway.ReleaseAgent("a105"));
    relay.expectMessageClass(AgentLegDown.class, WAIT);
  }

  @Test
  void hangupWhileRingingCancelsTheCall() {
    TestProbe<CallEvent> probe = testKit.createTestProbe();
    String callId = originate(probe, "99199000018", false);
    probe.expectMessageClass(Ringing.class, WAIT);
    gateway.tell(new TelephonyGateway.Hangup(callId));
    Failed failed = probe.expectMessageClass(Failed.class, WAIT);
    assertTrue(failed.reason().contains("cancelled"), failed.reason());
  }

  @Test
  void bridgeToAnAgentWithoutLegIsRejectedButTheCallGoesOn() {
    TestProbe<CallEvent> probe = testKit.createTestProbe();
    String callId = originate(probe, "99110000014", false);
    probe.expectMessageClass(Ringing.class, WAIT);
    probe.expectMessageClass(Answered.class, WAIT);
    gateway.tell(new TelephonyGateway.Bridge(callId, "nobody"));
    ActionRejected rejected = probe.expectMessageClass(ActionRejected.class, WAIT);
    assertFalse(rejected.isFinal());
    gateway.tell(new TelephonyGateway.Hangup(callId));
    probe.expectMessageClass(HungUp.class, WAIT);
  }

  @Test
  void safeHarborPlaysTheMessageAndHangsUp() {
    TestProbe<CallEvent> probe = testKit.createTestProbe();
    String callId = originate(probe, "99110000015", false);
    probe.expectMessageClass(Ringing.class, WAIT);
    probe.expectMessageClass(Answered.class, WAIT);
    gateway.tell(new TelephonyGateway.SafeHarbor(callId, "campaign-1-safe-harbor"));
    assertFalse(probe.expectMessageClass(SafeHarborPlayed.class, WAIT).optedOut());
    assertEquals(Side.DIALER, probe.expectMessageClass(HungUp.class, WAIT).side());
  }

  @Test
  void safeHarborReportsAnOptOut() {
    TestProbe<CallEvent> probe = testKit.createTestProbe();
    String callId = originate(probe, "99910000016", false);
    probe.expectMessageClass(Ringing.class, WAIT);
    probe.expectMessageClass(Answered.class, WAIT);
    gateway.tell(new TelephonyGateway.SafeHarbor(callId, "campaign-1-safe-harbor"));
    assertTrue(probe.expectMessageClass(SafeHarborPlayed.class, WAIT).optedOut());
    probe.expectMessageClass(HungUp.class, WAIT);
  }

  @Test
  void aSafeHarborThatCouldNotPlayIsReportedAsFailedNeverAsPlayed() {
    TestProbe<CallEvent> probe = testKit.createTestProbe();
    String callId = originate(probe, "99110000018", false);
    probe.expectMessageClass(Ringing.class, WAIT);
    Answered answered = probe.expectMessageClass(Answered.class, WAIT);
    // What asterisk-config's dialer-safe-harbor sends when Background cannot play the file.
    simulator.broadcastRaw(
        "Event: UserEvent\r\nPrivilege: user,all\r\nChannel: "
            + answered.channel()
            + "\r\nUniqueid: "
            + callId
            + "\r\nUserEvent: DialerSafeHarbor\r\nResult: FAILED\r\nCallId: "
            + callId
            + "\r\nReason: cannot play campaign-9-message\r\n\r\n");
    TelephonyGateway.SafeHarborFailed failed =
        probe.expectMessageClass(TelephonyGateway.SafeHarborFailed.class, WAIT);
    assertEquals("Result FAILED: cannot play campaign-9-message", failed.reason());
    gateway.tell(new TelephonyGateway.Hangup(callId));
    assertEquals(Side.DIALER, probe.expectMessageClass(HungUp.class, WAIT).side());
  }

  @Test
  void reconcileListsLiveCallsByCallId() {
    TestProbe<CallEvent> probe = testKit.createTestProbe();
    String callId = originate(probe, "99110000017", false);
    probe.expectMessageClass(Ringing.class, WAIT);
    probe.expectMessageClass(Answered.class, WAIT);
    TestProbe<TelephonyGateway.Reconciled> reply = testKit.createTestProbe();
    gateway.tell(new TelephonyGateway.Reconcile(reply.ref()));
    TelephonyGateway.Reconciled reconciled =
        reply.expectMessageClass(TelephonyGateway.Reconciled.class, WAIT);
    assertTrue(reconciled.complete());
    assertTrue(
        reconciled.channels().stream()
            .anyMatch(c -> callId.equals(c.callId()) && c.uniqueId().equals(callId)),
        reconciled.toString());
    gateway.tell(new TelephonyGateway.Hangup(callId));
    probe.expectMessageClass(HungUp.class, WAIT);
  }

  @Test
  void malformedAndUnexpectedPacketsAreSkippedAndTheLinkStaysUp() {
    TestProbe<PbxStatus> status = testKit.createTestProbe();
    gateway.tell(new TelephonyGateway.Subscribe(status.ref()));
    status.expectMessageClass(PbxUp.class, WAIT);
    simulator.broadcastRaw("this is not AMI at all\r\n\r\n");
    LoggingTestKit.warn("Skipped AMI HangupEvent packet: no Uniqueid")
        .expect(
            testKit.system(),
            () -> {
              simulator.broadcastRaw(
                  "Event: Hangup\r\nPrivilege: call,all\r\nChannel: PJSIP/x-1\r\n\r\n");
              return null;
            });
    simulator.broadcastRaw(
        "Event: OriginateResponse\r\nReason: not-a-number\r\nResponse: Failure\r\n\r\n");
    simulator.broadcastRaw("Event: NoSuchEventInAsterisk\r\nFoo: bar\r\n\r\n");
    simulator.broadcastRaw("Event: Newstate\r\nChannel: PJSIP/x-1\r\nUniqueid: stranger\r\n\r\n");
    TestProbe<CallEvent> probe = testKit.createTestProbe();
    originate(probe, "99110010019", false);
    probe.expectMessageClass(Ringing.class, WAIT);
    probe.expectMessageClass(Answered.class, WAIT);
    probe.expectMessageClass(HungUp.class, WAIT);
    status.expectNoMessage(Duration.ofMillis(100));
    gateway.tell(new TelephonyGateway.Unsubscribe(status.ref()));
  }

  @Test
  void manyConcurrentCallsAllEnd() {
    int calls = 200;
    TestProbe<CallEvent> probe = testKit.createTestProbe();
    for (int i = 0; i < calls; i++) {
      String number = (i % 2 == 0 ? "9911001" : "9933000") + String.format("%04d", i);
      originate(probe, number, false);
    }
    int finals = 0;
    while (finals < calls) {
      if (probe.receiveMessage(WAIT).isFinal()) {
        finals++;
      }
    }
    probe.expectNoMessage(Duration.ofMillis(200));
  }
}
