package com.welcomedly.dialer.engine.dialing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The pieces that let a dialer move without losing its calls: telephony events in the sharded
 * envelope cross nodes with their concrete type, an agent refresh survives one failed ask, and an
 * adopted call's repeated or bridged events are recognised.
 */
@ExtendWith(LogCapturingExtension.class)
class DialerEnvelopeTest {
  static final ActorTestKit testKit =
      ActorTestKit.create("DialerEnvelopeTest", ConfigFactory.load("application-test"));
  private static final Instant AT = Instant.parse("2026-12-02T07:00:00Z");

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  /** Serialized and read back as another node would (not only verified for equality). */
  private static Object roundTrip(Object message) {
    var serialization = SerializationExtension.get(testKit.system().classicSystem());
    byte[] bytes = serialization.serialize(message).get();
    var serializer = serialization.findSerializerFor(message);
    String manifest = org.apache.pekko.serialization.Serializers.manifestFor(serializer, message);
    return serialization.deserialize(bytes, serializer.identifier(), manifest).get();
  }

  @Test
  void callAndLegEventsCrossNodesInTheDialersEnvelopeWithTheirType() {
    for (TelephonyGateway.CallEvent event :
        List.of(
            new TelephonyGateway.Answered("att-1", "PJSIP/carrier-0001", AT),
            new TelephonyGateway.Bridged("att-1", "ag01", AT),
            new TelephonyGateway.HungUp("att-1", TelephonyGateway.Side.CUSTOMER, 16, AT),
            new TelephonyGateway.ActionRejected("att-1", "Originate", "PBX down", AT))) {
      assertEquals(
          new CampaignDialer.FromCall(event), roundTrip(new CampaignDialer.FromCall(event)));
    }
    var leg = new TelephonyGateway.AgentLegUp("ag01", "PJSIP/ag01-0001", AT);
    assertEquals(new CampaignDialer.FromLeg(leg), roundTrip(new CampaignDialer.FromLeg(leg)));
  }

  @Test
  void anAgentRefreshKeepsTheAnswersOfTheAgentsThatAnswered() throws Exception {
    CompletableFuture<String> slow = new CompletableFuture<>();
    slow.completeExceptionally(new java.util.concurrent.TimeoutException("Ask timed out"));
    List<String> answered =
        AgentRefresh.answered(
                List.of(
                    CompletableFuture.completedFuture("ag01"),
                    slow,
                    CompletableFuture.completedFuture("ag03")))
            .toCompletableFuture()
            .get(5, TimeUnit.SECONDS);
    assertEquals(List.of("ag01", "ag03"), answered);
  }

  @Test
  void anAdoptedCallIgnoresTheOtherGatewaysRepeatsAndKnowsABridge() {
    var answered =
        new CallBook.Call("att-1", "lead-1", null, CallBook.Phase.ANSWERED, AT, AT, null);
    assertTrue(AdoptedAnswer.isRepeat(new TelephonyGateway.Answered("att-1", "ch", AT), answered));
    var dialing = answered.with(CallBook.Phase.DIALING);
    assertFalse(AdoptedAnswer.isRepeat(new TelephonyGateway.Answered("att-1", "ch", AT), dialing));
    var connected = answered.with(CallBook.Phase.CONNECTED);
    assertTrue(
        AdoptedAnswer.isRepeat(new TelephonyGateway.Bridged("att-1", "ag01", AT), connected));
    assertFalse(
        AdoptedAnswer.isRepeat(
            new TelephonyGateway.HungUp("att-1", TelephonyGateway.Side.CUSTOMER, 16, AT),
            connected));

    assertTrue(
        AdoptedAnswer.bridged(
            new TelephonyGateway.LiveChannel("Local/x", "att-1", 6, "bridge-9", null, null)));
    assertFalse(
        AdoptedAnswer.bridged(
            new TelephonyGateway.LiveChannel("Local/x", "att-1", 6, "", null, null)));
    assertTrue(AdoptedAnswer.bridgedWithoutAgent(answered.with(CallBook.Phase.BRIDGING)));
  }
}
