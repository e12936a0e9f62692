package com.welcomedly.dialer.engine.telephony;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.ActionRejected;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.AgentLegDown;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.AgentLegEvent;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.AgentLegUp;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.Answered;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.CallEvent;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.Command;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.HungUp;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.PbxDown;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.PbxStatus;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.PbxUp;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.Ringing;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.Side;
import com.welcomedly.dialer.sim.AmiSimulator;
import com.welcomedly.dialer.sim.SimulatorSettings;
import java.time.Duration;
import java.util.UUID;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The AMI link breaking under calls in flight: a network blip (simulator drops the sockets, calls
 * go on) and a PBX restart (simulator dies, a new one comes up on the same port). Backoff starts at
 * 1 s so that calls change state while the gateway is blind and reconciliation must catch up.
 */
@ExtendWith(LogCapturingExtension.class)
class AmiGatewayReconnectIntegrationTest {
  static final Config CONFIG =
      ConfigFactory.parseString(
              """
              dialer.telephony.ami.secret = "test-secret"
              dialer.telephony.keepalive-interval = 1s
              dialer.telephony.reconnect.min-backoff = 1s
              dialer.telephony.reconnect.max-backoff = 1s
              dialer.telephony.failure-settle-time = 500ms
              """)
          .withFallback(ConfigFactory.load("application-test"));
  static final ActorTestKit testKit =
      ActorTestKit.create("AmiGatewayReconnectIntegrationTest", CONFIG);
  static final Duration WAIT = Duration.ofSeconds(8);
  static AmiSimulator simulator;

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
    if (simulator != null) {
      simulator.close();
    }
  }

  private static SimulatorSettings simulatorSettings(int port) {
    return SimulatorSettings.defaults()
        .withPort(port)
        .withTimeScale(10)
        .withCredentials("dialer", "test-secret");
  }

  private static String originate(
      ActorRef<Command> gateway, TestProbe<CallEvent> probe, String number) {
    String callId = "att-" + UUID.randomUUID();
    gateway.tell(
        new TelephonyGateway.Originate(
            callId,
            "camp-1",
            "lead-1",
            number,
            "Local/{number}@sim-customer",
            "\"Dialer\" <5550000>",
            Duration.ofSeconds(60),
            false,
            probe.ref()));
    return callId;
  }

  @Test
  void callsInFlightSurviveADroppedConnectionAndAPbxRestart() throws Exception {
    simulator = AmiSimulator.start(simulatorSettings(0));
    int port = simulator.port();
    AmiGatewaySettings settings =
        AmiGatewaySettings.fromConfig(testKit.system().settings().config()).withPort(port);
    ActorRef<Command> gateway = testKit.spawn(AmiGateway.create(settings), "gateway");
    TestProbe<PbxStatus> status = testKit.createTestProbe();
    gateway.tell(new TelephonyGateway.Subscribe(status.ref()));
    AmiGatewayIntegrationTest.awaitStatus(status, PbxUp.class);

    // Three calls in flight when the link drops: one ringing that is answered while we are blind
    // (ring 4 s = 0.4 s real), one answered that the customer ends while we are blind (talk 3 s),
    // one answered that stays up.
    TestProbe<CallEvent> ringing = testKit.createTestProbe();
    TestProbe<CallEvent> endsWhileDown = testKit.createTestProbe();
    TestProbe<CallEvent> staysUp = testKit.createTestProbe();
    TestProbe<AgentLegEvent> agent = testKit.createTestProbe();
    gateway.tell(new TelephonyGateway.NailUpAgent("a7", "PJSIP/agent7", agent.ref()));
    agent.expectMessageClass(AgentLegUp.class, WAIT);
    String endsId = originate(gateway, endsWhileDown, "99110030001");
    endsWhileDown.expectMessageClass(Ringing.class, WAIT);
    endsWhileDown.expectMessageClass(Answered.class, WAIT);
    String upId = originate(gateway, staysUp, "99110000002");
    staysUp.expectMessageClass(Ringing.class, WAIT);
    staysUp.expectMessageClass(Answered.class, WAIT);
    String ringingId = originate(gateway, ringing, "99140000003");
    ringing.expectMessageClass(Ringing.class, WAIT);

    simulator.dropConnections();
    assertTrue(
        AmiGatewayIntegrationTest.awaitStatus(status, PbxDown.class).reason().contains("closed"));

    // While down: Originate fails fast with a clear reason (circuit breaker).
    TestProbe<CallEvent> refused = testKit.createTestProbe();
    originate(gateway, refused, "99110000004");
    ActionRejected rejected = refused.expectMessageClass(ActionRejected.class, WAIT);
    assertTrue(rejected.reason().startsWith("PBX down"), rejected.reason());
    assertTrue(rejected.isFinal());

    AmiGatewayIntegrationTest.awaitStatus(status, PbxUp.class);
    // Reconciliation: the missed answer is delivered, the call that ended is closed.
    Answered missed = ringing.expectMessageClass(Answered.class, WAIT);
    assertEquals(ringingId, missed.callId());
    HungUp gone = endsWhileDown.expectMessageClass(HungUp.class, WAIT);
    assertEquals(endsId, gone.callId());
    assertEquals(Side.UNKNOWN, gone.side());
    staysUp.expectNoMessage(Duration.ofMillis(200));

    // The surviving call is still controllable over the new connection.
    gateway.tell(new TelephonyGateway.Hangup(upId));
    assertEquals(Side.DIALER, staysUp.expectMessageClass(HungUp.class, WAIT).side());

    // PBX restart: every channel is gone; the new PBX answers on the same port.
    simulator.close();
    AmiGatewayIntegrationTest.awaitStatus(status, PbxDown.class);
    simulator = AmiSimulator.start(simulatorSettings(port));
    AmiGatewayIntegrationTest.awaitStatus(status, PbxUp.class);
    assertEquals(Side.UNKNOWN, ringing.expectMessageClass(HungUp.class, WAIT).side());
    assertEquals(0, agent.expectMessageClass(AgentLegDown.class, WAIT).cause());

    TestProbe<CallEvent> after = testKit.createTestProbe();
    originate(gateway, after, "99330000005");
    after.expectMessageClass(Ringing.class, WAIT);
    after.expectMessageClass(TelephonyGateway.Busy.class, WAIT);
  }

  @Test
  void aPbxRestartOpensTheBreakerAtOnceAndItsCutRingingCallsFail() throws Exception {
    try (AmiSimulator pbx = AmiSimulator.start(simulatorSettings(0))) {
      AmiGatewaySettings settings =
          AmiGatewaySettings.fromConfig(testKit.system().settings().config()).withPort(pbx.port());
      ActorRef<Command> gateway = testKit.spawn(AmiGateway.create(settings), "restart");
      TestProbe<PbxStatus> status = testKit.createTestProbe();
      gateway.tell(new TelephonyGateway.Subscribe(status.ref()));
      AmiGatewayIntegrationTest.awaitStatus(status, PbxUp.class);
      TestProbe<CallEvent> ringing = testKit.createTestProbe();
      originate(gateway, ringing, "99400000031"); // rings until the Originate timeout
      ringing.expectMessageClass(Ringing.class, WAIT);
      TestProbe<CallEvent> talking = testKit.createTestProbe();
      originate(gateway, talking, "99110000032");
      talking.expectMessageClass(Ringing.class, WAIT);
      talking.expectMessageClass(Answered.class, WAIT);
      TestProbe<AgentLegEvent> agent = testKit.createTestProbe();
      gateway.tell(new TelephonyGateway.NailUpAgent("a31", "PJSIP/agent31", agent.ref()));
      agent.expectMessageClass(AgentLegUp.class, WAIT);

      pbx.restart(); // core restart now
      PbxDown down = AmiGatewayIntegrationTest.awaitStatus(status, PbxDown.class);
      assertTrue(down.reason().contains("shutting down"), down.reason());
      TelephonyGateway.Failed cut = ringing.expectMessageClass(TelephonyGateway.Failed.class, WAIT);
      assertEquals(CallTracker.PBX_STOPPED, cut.reason());
      talking.expectMessageClass(HungUp.class, WAIT);
      agent.expectMessageClass(AgentLegDown.class, WAIT);
      // Nothing is sent to the stopping PBX: re-nailing the agent is refused at once.
      TestProbe<AgentLegEvent> renail = testKit.createTestProbe();
      gateway.tell(new TelephonyGateway.NailUpAgent("a31", "PJSIP/agent31", renail.ref()));
      TelephonyGateway.AgentLegFailed refused =
          renail.expectMessageClass(TelephonyGateway.AgentLegFailed.class, WAIT);
      assertTrue(refused.reason().contains("PBX down"), refused.reason());
      // The restarted PBX takes the link again, and calls are classified normally.
      AmiGatewayIntegrationTest.awaitStatus(status, PbxUp.class);
      TestProbe<CallEvent> after = testKit.createTestProbe();
      originate(gateway, after, "99300000033");
      after.expectMessageClass(Ringing.class, WAIT);
      after.expectMessageClass(TelephonyGateway.Busy.class, WAIT);
      testKit.stop(gateway);
    }
  }

  @Test
  void aHungPbxIsDetectedByTheKeepaliveAndRecovers() throws Exception {
    try (AmiSimulator hung = AmiSimulator.start(simulatorSettings(0))) {
      AmiGatewaySettings settings =
          AmiGatewaySettings.fromConfig(testKit.system().settings().config()).withPort(hung.port());
      ActorRef<Command> gateway = testKit.spawn(AmiGateway.create(settings), "keepalive");
      TestProbe<PbxStatus> status = testKit.createTestProbe();
      gateway.tell(new TelephonyGateway.Subscribe(status.ref()));
      AmiGatewayIntegrationTest.awaitStatus(status, PbxUp.class);
      hung.setFrozen(true);
      // An Originate the hung PBX never answers still ends (refused, timed out or reconciled).
      TestProbe<CallEvent> call = testKit.createTestProbe();
      originate(gateway, call, "99110000009");
      assertTrue(call.receiveMessage(WAIT).isFinal());
      PbxDown down = AmiGatewayIntegrationTest.awaitStatus(status, PbxDown.class);
      assertTrue(down.reason().contains("keepalive"), down.reason());
      hung.setFrozen(false);
      AmiGatewayIntegrationTest.awaitStatus(status, PbxUp.class);
      testKit.stop(gateway);
    }
  }

  @Test
  void anOriginateThePbxPlacedButNeverAcknowledgedIsHungUpAfterReconnect() throws Exception {
    try (AmiSimulator lossy = AmiSimulator.start(simulatorSettings(0))) {
      AmiGatewaySettings settings =
          AmiGatewaySettings.fromConfig(testKit.system().settings().config())
              .withPort(lossy.port());
      ActorRef<Command> gateway = testKit.spawn(AmiGateway.create(settings), "lossy");
      TestProbe<PbxStatus> status = testKit.createTestProbe();
      gateway.tell(new TelephonyGateway.Subscribe(status.ref()));
      AmiGatewayIntegrationTest.awaitStatus(status, PbxUp.class);
      lossy.setMuted(true);
      TestProbe<CallEvent> call = testKit.createTestProbe();
      String callId = originate(gateway, call, "99110000012"); // answers, never hangs up itself
      // The keepalive finds the link dead; the unacknowledged Originate is refused for good.
      AmiGatewayIntegrationTest.awaitStatus(status, PbxDown.class);
      ActionRejected refused = call.expectMessageClass(ActionRejected.class, WAIT);
      assertEquals(callId, refused.callId());
      assertTrue(refused.isFinal());
      lossy.setMuted(false);
      AmiGatewayIntegrationTest.awaitStatus(status, PbxUp.class);
      // ...but the PBX did place it: reconciliation hangs the orphan up.
      call.awaitAssert(
          WAIT,
          () -> {
            assertEquals(0, lossy.liveChannels());
            return null;
          });
      call.expectNoMessage(Duration.ofMillis(100));
      testKit.stop(gateway);
    }
  }

  @Test
  void aRestartedNodeFindsItsCallsAndTakesThemOver() throws Exception {
    try (AmiSimulator pbx = AmiSimulator.start(simulatorSettings(0))) {
      AmiGatewaySettings settings =
          AmiGatewaySettings.fromConfig(testKit.system().settings().config()).withPort(pbx.port());
      ActorRef<Command> before = testKit.spawn(AmiGateway.create(settings), "before-restart");
      TestProbe<PbxStatus> status = testKit.createTestProbe();
      before.tell(new TelephonyGateway.Subscribe(status.ref()));
      AmiGatewayIntegrationTest.awaitStatus(status, PbxUp.class);
      TestProbe<CallEvent> call = testKit.createTestProbe();
      String callId = originate(before, call, "99110000013");
      call.expectMessageClass(Ringing.class, WAIT);
      call.expectMessageClass(Answered.class, WAIT);
      testKit.stop(before); // the node dies; the call goes on in the PBX

      ActorRef<Command> after = testKit.spawn(AmiGateway.create(settings), "after-restart");
      TestProbe<PbxStatus> status2 = testKit.createTestProbe();
      after.tell(new TelephonyGateway.Subscribe(status2.ref()));
      AmiGatewayIntegrationTest.awaitStatus(status2, PbxUp.class);
      TestProbe<TelephonyGateway.Reconciled> reply = testKit.createTestProbe();
      after.tell(new TelephonyGateway.Reconcile(reply.ref()));
      TelephonyGateway.LiveChannel live =
          reply.expectMessageClass(TelephonyGateway.Reconciled.class, WAIT).channels().stream()
              .filter(c -> c.uniqueId().equals(callId))
              .findFirst()
              .orElseThrow();
      assertEquals(6, live.state());
      TestProbe<CallEvent> adopted = testKit.createTestProbe();
      after.tell(new TelephonyGateway.Track(callId, live, adopted.ref()));
      adopted.expectNoMessage(Duration.ofMillis(300)); // still up: nothing to report
      after.tell(new TelephonyGateway.Hangup(callId));
      assertEquals(Side.DIALER, adopted.expectMessageClass(HungUp.class, WAIT).side());
      testKit.stop(after);
    }
  }

  @Test
  void actionsInFlightAreBounded() throws Exception {
    try (AmiSimulator hung = AmiSimulator.start(simulatorSettings(0))) {
      AmiGatewaySettings settings =
          AmiGatewaySettings.fromConfig(
                  ConfigFactory.parseString("dialer.telephony.max-in-flight-actions = 1")
                      .withFallback(CONFIG))
              .withPort(hung.port());
      ActorRef<Command> gateway = testKit.spawn(AmiGateway.create(settings), "bounded");
      TestProbe<PbxStatus> status = testKit.createTestProbe();
      gateway.tell(new TelephonyGateway.Subscribe(status.ref()));
      AmiGatewayIntegrationTest.awaitStatus(status, PbxUp.class);
      hung.setFrozen(true); // the first Originate stays unanswered
      TestProbe<CallEvent> first = testKit.createTestProbe();
      TestProbe<CallEvent> second = testKit.createTestProbe();
      originate(gateway, first, "99110000010");
      originate(gateway, second, "99110000011");
      ActionRejected refused = second.expectMessageClass(ActionRejected.class, WAIT);
      assertTrue(refused.reason().startsWith("too many AMI actions in flight"), refused.reason());
      assertTrue(first.receiveMessage(WAIT).isFinal());
      testKit.stop(gateway);
    }
  }

  @Test
  void anUnreachablePbxRefusesOriginatesAtOnce() {
    // Nothing listens on this port: the gateway stays down and refuses at once.
    AmiGatewaySettings settings =
        AmiGatewaySettings.fromConfig(testKit.system().settings().config()).withPort(1);
    ActorRef<Command> gateway = testKit.spawn(AmiGateway.create(settings), "unreachable");
    TestProbe<CallEvent> probe = testKit.createTestProbe();
    originate(gateway, probe, "5551234");
    ActionRejected rejected = probe.expectMessageClass(ActionRejected.class, WAIT);
    assertTrue(rejected.reason().startsWith("PBX down"), rejected.reason());
    probe.expectNoMessage(Duration.ofMillis(100));
    testKit.stop(gateway);
  }
}
