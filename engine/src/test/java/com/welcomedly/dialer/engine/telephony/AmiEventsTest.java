package com.welcomedly.dialer.engine.telephony;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.welcomedly.dialer.engine.telephony.AmiEvents.AgentlessResult;
import com.welcomedly.dialer.engine.telephony.AmiEvents.AmdResult;
import com.welcomedly.dialer.engine.telephony.AmiEvents.BridgeEntered;
import com.welcomedly.dialer.engine.telephony.AmiEvents.ChannelHungUp;
import com.welcomedly.dialer.engine.telephony.AmiEvents.ChannelStateChanged;
import com.welcomedly.dialer.engine.telephony.AmiEvents.DialEnded;
import com.welcomedly.dialer.engine.telephony.AmiEvents.LinkLost;
import com.welcomedly.dialer.engine.telephony.AmiEvents.Malformed;
import com.welcomedly.dialer.engine.telephony.AmiEvents.Observed;
import com.welcomedly.dialer.engine.telephony.AmiEvents.OriginateResult;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.Busy;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.Congestion;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.Failed;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.InvalidNumber;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.LiveChannel;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.NoAnswer;
import java.time.Instant;
import java.util.Date;
import org.asteriskjava.manager.event.BridgeEnterEvent;
import org.asteriskjava.manager.event.CoreShowChannelEvent;
import org.asteriskjava.manager.event.DialEndEvent;
import org.asteriskjava.manager.event.DisconnectEvent;
import org.asteriskjava.manager.event.HangupEvent;
import org.asteriskjava.manager.event.NewStateEvent;
import org.asteriskjava.manager.event.OriginateResponseEvent;
import org.asteriskjava.manager.event.PeerStatusEvent;
import org.junit.jupiter.api.Test;

/** The bean-to-record mapping on real asterisk-java beans, filled like its reader fills them. */
class AmiEventsTest {
  private static final Object SOURCE = new Object();

  private static Observed map(org.asteriskjava.manager.event.ManagerEvent event) {
    return AmiEvents.toObserved(event).orElseThrow();
  }

  @Test
  void failedOriginateKeepsOurActionIdReasonAndTheSuffixlessChannel() {
    OriginateResponseEvent event = new OriginateResponseEvent(SOURCE);
    event.setActionId("c2000-41055");
    event.setResponse("Failure");
    event.setChannel("Local/2000@sim-customer");
    event.setReason(5);
    event.setUniqueId("c2000-41055");
    OriginateResult result = assertInstanceOf(OriginateResult.class, map(event));
    assertFalse(result.success());
    assertEquals(5, result.reason());
    assertEquals("Local/2000@sim-customer", result.channel());
    assertEquals("c2000-41055", result.actionId());
  }

  @Test
  void successfulOriginate() {
    OriginateResponseEvent event = new OriginateResponseEvent(SOURCE);
    event.setActionId("c1");
    event.setResponse("Success");
    event.setChannel("Local/1003@sim-customer-00000000;1");
    event.setReason(4);
    event.setUniqueId("c1");
    event.setDateReceived(Date.from(Instant.parse("2026-11-22T02:35:19Z")));
    OriginateResult result = assertInstanceOf(OriginateResult.class, map(event));
    assertTrue(result.success());
    assertEquals(Instant.parse("2026-11-22T02:35:19Z"), result.at());
  }

  @Test
  void dialEndIsKeyedByTheDialledChannel() {
    DialEndEvent event = new DialEndEvent(SOURCE);
    event.setDestChannel("Local/2000@sim-customer-00000005;1");
    event.setDestUniqueId("c2000-41055");
    event.setDialStatus("BUSY");
    DialEnded dialEnded = assertInstanceOf(DialEnded.class, map(event));
    assertEquals("c2000-41055", dialEnded.uniqueId());
    assertEquals("BUSY", dialEnded.status());
  }

  @Test
  void hangupCarriesTheNumericCause() {
    HangupEvent event = new HangupEvent(SOURCE);
    event.setChannel("Local/2000@sim-customer-00000005;2");
    event.setUniqueId("c2000-41055-2");
    event.setCause(17);
    assertEquals(17, assertInstanceOf(ChannelHungUp.class, map(event)).cause());
  }

  @Test
  void newStateAndBridgeEnter() {
    NewStateEvent state = new NewStateEvent(SOURCE);
    state.setChannel("Local/1003@sim-customer-00000000;1");
    state.setUniqueId("c1003");
    state.setChannelState(5);
    assertEquals(5, assertInstanceOf(ChannelStateChanged.class, map(state)).state());
    BridgeEnterEvent enter = new BridgeEnterEvent(SOURCE);
    enter.setChannel("Local/100@sim-agent-00000001;1");
    enter.setUniqueId("agent100");
    enter.setBridgeUniqueId("d786274c");
    assertEquals("d786274c", assertInstanceOf(BridgeEntered.class, map(enter)).bridgeId());
  }

  @Test
  void amdUserEvent() {
    AmiUserEvents.AMDResultEvent event = new AmiUserEvents.AMDResultEvent(SOURCE);
    event.setUniqueId("c5001");
    event.setChannel("Local/5001@sim-customer-0000000d;1");
    event.setAmdStatus("MACHINE");
    event.setAmdCause("LONGGREETING-1500-1500");
    AmdResult amd = assertInstanceOf(AmdResult.class, map(event));
    assertEquals("MACHINE", amd.status());
  }

  @Test
  void agentlessUserEventBecomesTheBroadcastResult() {
    AmiUserEvents.DialerAgentlessEvent event = new AmiUserEvents.DialerAgentlessEvent(SOURCE);
    event.setUniqueId("c6001");
    event.setChannel("Local/6001@sim-customer-0000000e;1");
    event.setResult("TRANSFER");
    event.setKey("1");
    AgentlessResult observed = assertInstanceOf(AgentlessResult.class, map(event));
    assertEquals("TRANSFER", observed.result());
    assertEquals("1", observed.key());
    TelephonyGateway.BroadcastResult transfer = CallTracker.broadcastOutcome("call-1", observed);
    assertEquals(TelephonyGateway.BroadcastOutcome.TRANSFER, transfer.outcome());
    assertEquals("call-1", transfer.callId());

    // Without a Result, or with one we do not know, nothing is assumed to have played.
    AmiUserEvents.DialerAgentlessEvent bare = new AmiUserEvents.DialerAgentlessEvent(SOURCE);
    bare.setUniqueId("c6001");
    AgentlessResult none = assertInstanceOf(AgentlessResult.class, map(bare));
    assertEquals(
        TelephonyGateway.BroadcastOutcome.FAILED,
        CallTracker.broadcastOutcome("call-1", none).outcome());
    AgentlessResult odd = new AgentlessResult("c6001", "MAYBE", "", null, none.at());
    TelephonyGateway.BroadcastResult failed = CallTracker.broadcastOutcome("call-1", odd);
    assertEquals(TelephonyGateway.BroadcastOutcome.FAILED, failed.outcome());
    assertTrue(failed.detail().contains("MAYBE"), failed.detail());
    assertInstanceOf(Malformed.class, map(new AmiUserEvents.DialerAgentlessEvent(SOURCE)));
  }

  @Test
  void malformedPacketsAreReportedNotThrown() {
    HangupEvent noUniqueId = new HangupEvent(SOURCE);
    noUniqueId.setChannel("PJSIP/x-1");
    assertInstanceOf(Malformed.class, map(noUniqueId));
    assertInstanceOf(Malformed.class, map(new OriginateResponseEvent(SOURCE)));
  }

  @Test
  void irrelevantEventsAreSkippedAndDisconnectIsALostLink() {
    assertTrue(AmiEvents.toObserved(new PeerStatusEvent(SOURCE)).isEmpty());
    assertInstanceOf(LinkLost.class, map(new DisconnectEvent(SOURCE)));
  }

  @Test
  void coreShowChannelBecomesALiveChannel() {
    CoreShowChannelEvent event = new CoreShowChannelEvent(SOURCE);
    event.setChannel("Local/1003@sim-customer-00000000;1");
    event.setUniqueid("c1003");
    event.setChannelState(6);
    event.setBridgeid("");
    LiveChannel live = AmiEvents.toLiveChannel(event).orElseThrow();
    assertEquals(6, live.state());
    assertEquals(null, live.bridgeId());
  }

  @Test
  void failureClassificationUsesReasonThenCauseThenDialStatus() {
    Instant now = Instant.now();
    assertInstanceOf(Busy.class, CallTracker.classifyFailure("c", 5, null, 0, true, now));
    assertInstanceOf(Congestion.class, CallTracker.classifyFailure("c", 8, null, 0, true, now));
    assertInstanceOf(NoAnswer.class, CallTracker.classifyFailure("c", 3, null, 0, true, now));
    assertInstanceOf(
        NoAnswer.class, CallTracker.classifyFailure("c", 0, "NOANSWER", 19, true, now));
    assertInstanceOf(InvalidNumber.class, CallTracker.classifyFailure("c", 0, null, 1, true, now));
    assertEquals(
        21,
        assertInstanceOf(Failed.class, CallTracker.classifyFailure("c", 0, null, 21, true, now))
            .cause());
    assertInstanceOf(Busy.class, CallTracker.classifyFailure("c", 1, "BUSY", 0, true, now));
    assertEquals(
        0,
        assertInstanceOf(Failed.class, CallTracker.classifyFailure("c", 0, null, 0, false, now))
            .cause());
  }
}
