package com.welcomedly.dialer.engine.telephony;

import com.typesafe.config.ConfigFactory;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.AmdVerdict;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.LiveChannel;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.Side;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every telephony message round-trips through the Jackson CBOR binding of CborSerializable. */
@ExtendWith(LogCapturingExtension.class)
class TelephonyGatewaySerializationTest {
  static final ActorTestKit testKit =
      ActorTestKit.create(
          "TelephonyGatewaySerializationTest", ConfigFactory.load("application-test"));

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static void verify(Object message) {
    testKit.serializationTestKit().verifySerialization(message, true);
  }

  @Test
  void commandsEventsAndObservationsRoundTrip() {
    Instant at = Instant.parse("2026-11-22T03:00:00Z");
    TestProbe<TelephonyGateway.CallEvent> calls = testKit.createTestProbe();
    TestProbe<TelephonyGateway.AgentLegEvent> agents = testKit.createTestProbe();
    TestProbe<TelephonyGateway.PbxStatus> status = testKit.createTestProbe();
    TestProbe<TelephonyGateway.Reconciled> reconciled = testKit.createTestProbe();
    ActorRef<TelephonyGateway.CallEvent> callRef = calls.ref();
    List.of(
            new TelephonyGateway.Originate(
                "c1",
                "camp",
                "lead",
                "5551234",
                "PJSIP/{number}@carrier",
                "\"D\" <1>",
                Duration.ofSeconds(25),
                true,
                callRef),
            new TelephonyGateway.Originate(
                "c2",
                "camp",
                "lead",
                "5551234",
                "PJSIP/{number}@carrier",
                "\"D\" <1>",
                Duration.ofSeconds(25),
                true,
                callRef,
                new TelephonyGateway.Broadcast("agentless-default", "1", "9", true)),
            new TelephonyGateway.NailUpAgent("a1", "PJSIP/agent101", agents.ref()),
            new TelephonyGateway.Bridge("c1", "a1"),
            new TelephonyGateway.SafeHarbor("c1", "msg"),
            new TelephonyGateway.Hangup("c1"),
            new TelephonyGateway.ReleaseAgent("a1"),
            new TelephonyGateway.Reconcile(reconciled.ref()),
            new TelephonyGateway.Subscribe(status.ref()),
            new TelephonyGateway.Track(
                "c1", new LiveChannel("PJSIP/x-1", "c1", 6, null, null, null), callRef),
            new TelephonyGateway.Unsubscribe(status.ref()),
            new TelephonyGateway.Ringing("c1", at),
            new TelephonyGateway.Answered("c1", "PJSIP/carrier-0001", at),
            new TelephonyGateway.Busy("c1", 17, at),
            new TelephonyGateway.NoAnswer("c1", 19, at),
            new TelephonyGateway.Congestion("c1", 34, at),
            new TelephonyGateway.InvalidNumber("c1", 1, at),
            new TelephonyGateway.Failed("c1", 21, "rejected", at),
            new TelephonyGateway.MachineDetection("c1", AmdVerdict.MACHINE, "LONGGREETING", at),
            new TelephonyGateway.Bridged("c1", "a1", at),
            new TelephonyGateway.SafeHarborPlayed("c1", true, at),
            new TelephonyGateway.SafeHarborFailed("c1", "Result FAILED", at),
            new TelephonyGateway.BroadcastResult(
                "c1", TelephonyGateway.BroadcastOutcome.TRANSFER, "1", null, at),
            new TelephonyGateway.HungUp("c1", Side.CUSTOMER, 16, at),
            new TelephonyGateway.ActionRejected("c1", "Bridge", "no", at),
            new TelephonyGateway.AgentLegUp("a1", "PJSIP/agent101-1", at),
            new TelephonyGateway.AgentLegFailed("a1", "no", at),
            new TelephonyGateway.AgentBridged("a1", "c1", at),
            new TelephonyGateway.AgentIdle("a1", at),
            new TelephonyGateway.AgentLegDown("a1", 16, at),
            new TelephonyGateway.PbxUp(at),
            new TelephonyGateway.PbxDown("gone", at),
            new TelephonyGateway.Reconciled(
                List.of(new LiveChannel("PJSIP/x-1", "c1", 6, null, "c1", null)), true, at),
            new AmiEvents.ChannelCreated("c1", "PJSIP/x-1", 0, at),
            new AmiEvents.ChannelStateChanged("c1", "PJSIP/x-1", 5, at),
            new AmiEvents.DialEnded("c1", "PJSIP/x-1", "BUSY", at),
            new AmiEvents.ChannelHungUp("c1", "PJSIP/x-1", 17, at),
            new AmiEvents.OriginateResult("c1", "c1", "PJSIP/x", false, 5, at),
            new AmiEvents.BridgeEntered("b", "c1", "PJSIP/x-1", at),
            new AmiEvents.BridgeLeft("b", "c1", "PJSIP/x-1", at),
            new AmiEvents.AmdResult("c1", "HUMAN", "HUMAN-800-800", at),
            new AmiEvents.AgentLegIdle("a", "PJSIP/agent101-1", at),
            new AmiEvents.SafeHarborResult("c1", "OPTOUT", null, at),
            new AmiEvents.AgentlessResult("c1", "OPTOUT", "9", null, at),
            new AmiEvents.PbxShutdown(true, at),
            new AmiEvents.LinkLost(at),
            new AmiEvents.Malformed("HangupEvent", "no Uniqueid", at))
        .forEach(TelephonyGatewaySerializationTest::verify);
  }
}
