package com.welcomedly.dialer.engine.telephony;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.welcomedly.dialer.engine.telephony.AmiEvents.ChannelCreated;
import com.welcomedly.dialer.engine.telephony.AmiEvents.ChannelHungUp;
import com.welcomedly.dialer.engine.telephony.AmiEvents.ChannelStateChanged;
import com.welcomedly.dialer.engine.telephony.AmiEvents.DialEnded;
import com.welcomedly.dialer.engine.telephony.AmiEvents.Observed;
import com.welcomedly.dialer.engine.telephony.AmiEvents.OriginateResult;
import com.welcomedly.dialer.engine.telephony.AmiEvents.PbxShutdown;
import com.welcomedly.dialer.engine.telephony.AmiEvents.PbxStopping;
import com.welcomedly.dialer.engine.telephony.AmiEvents.SafeHarborResult;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.AgentLegEvent;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.CallEvent;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.Failed;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.InvalidNumber;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.NoAnswer;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.Ringing;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.SafeHarborFailed;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.SafeHarborPlayed;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.asteriskjava.manager.event.ShutdownEvent;
import org.asteriskjava.manager.event.SoftHangupRequestEvent;
import org.junit.jupiter.api.Test;

/**
 * Event sequences recorded from a real Asterisk 22.10.1 (docs/asterisk.md) through {@link
 * AmiEvents} and {@link CallTracker}: {@code core restart now}, a safe harbor that could not play,
 * and a reject whose OriginateResponse overtakes its channel events.
 */
class RecordedAsteriskSequencesTest {
  private static final Object SOURCE = new Object();
  private static final Instant T = Instant.parse("2026-12-02T06:55:00Z");

  private final List<CallEvent> events = new ArrayList<>();
  private final CallTracker<String, String> tracker =
      new CallTracker<>(
          new CallTracker.Sink<>() {
            @Override
            public void call(String listener, CallEvent event) {
              events.add(event);
            }

            @Override
            public void agent(String listener, AgentLegEvent event) {}
          });

  @Test
  void aShutdownSoftHangupAndTheShutdownEventAreRecognised() {
    SoftHangupRequestEvent shutdownCut = new SoftHangupRequestEvent(SOURCE);
    shutdownCut.setUniqueId("c-ring");
    shutdownCut.setChannel("Local/3000@dialer-test-callee-00000000;1");
    shutdownCut.setCause(4);
    assertInstanceOf(PbxStopping.class, AmiEvents.toObserved(shutdownCut).orElseThrow());
    SoftHangupRequestEvent ordinary = new SoftHangupRequestEvent(SOURCE);
    ordinary.setUniqueId("c-ans");
    ordinary.setCause(16);
    assertTrue(AmiEvents.toObserved(ordinary).isEmpty());
    ShutdownEvent shutdown = new ShutdownEvent(SOURCE);
    shutdown.setShutdown("Cleanly");
    shutdown.setRestart(true);
    assertTrue(
        assertInstanceOf(PbxShutdown.class, AmiEvents.toObserved(shutdown).orElseThrow())
            .restart());
  }

  /** The ringing call's events in the order Asterisk sent them during {@code core restart now}. */
  private void ringingCallCut(boolean withShutdownSignal) {
    tracker.originated("c-ring", "listener");
    feed(new ChannelCreated("c-ring", "Local/3000@dialer-test-callee-00000000;1", 0, T));
    feed(new ChannelCreated("c-ring-2", "Local/3000@dialer-test-callee-00000000;2", 4, T));
    feed(new ChannelStateChanged("c-ring", "Local/3000@dialer-test-callee-00000000;1", 5, T));
    if (withShutdownSignal) {
      feed(new PbxStopping("c-ring", T));
    }
    feed(new DialEnded("c-ring", "Local/3000@dialer-test-callee-00000000;1", "NOANSWER", T));
    feed(new ChannelHungUp("c-ring", "Local/3000@dialer-test-callee-00000000;1", 0, T));
    feed(new OriginateResult("c-ring", "c-ring", "Local/3000@dialer-test-callee", false, 0, T));
    feed(new ChannelHungUp("c-ring-2", "Local/3000@dialer-test-callee-00000000;2", 0, T));
  }

  @Test
  void aRingingCallCutByARestartIsAFailureNotANoAnswer() {
    ringingCallCut(true);
    assertInstanceOf(Ringing.class, events.get(0));
    Failed failed = assertInstanceOf(Failed.class, events.get(1));
    assertEquals(CallTracker.PBX_STOPPED, failed.reason());
    assertEquals(2, events.size());
  }

  @Test
  void withoutTheShutdownSignalTheSameEventsReadAsANoAnswer() {
    // Why the signal matters: DialEnd NOANSWER, cause 0 and reason 0 alone are a no-answer.
    ringingCallCut(false);
    assertInstanceOf(NoAnswer.class, events.get(1));
  }

  @Test
  void afterThePbxIsBackFailuresAreClassifiedNormallyAgain() {
    feed(new PbxStopping("x", T));
    tracker.pbxBack();
    ringingCallCut(false);
    assertInstanceOf(NoAnswer.class, events.get(1));
  }

  @Test
  void aRejectWhoseOriginateResponseOvertakesItsChannelEventsIsClassifiedByItsCause() {
    // Asterisk publishes OriginateResponse directly and channel events through Stasis: under load
    // a callee that hangs up at once with cause 28 is reported in this order.
    tracker.originated("c-28", "listener");
    feed(new OriginateResult("c-28", "c-28", "Local/+12127106301@dialer-test-callee", false, 0, T));
    assertEquals(List.of(), events, "not decided before the channel's own events");
    feed(new ChannelCreated("c-28", "Local/+12127106301@dialer-test-callee-0000000b;1", 0, T));
    feed(new ChannelCreated("c-28-2", "Local/+12127106301@dialer-test-callee-0000000b;2", 4, T));
    feed(new ChannelHungUp("c-28", "Local/+12127106301@dialer-test-callee-0000000b;1", 28, T));
    assertEquals(28, assertInstanceOf(InvalidNumber.class, events.get(0)).cause());
  }

  @Test
  void anOriginateWithNoChannelAtAllIsSettledAfterTheGracePeriod() {
    tracker.originated("c-x", "listener");
    feed(new OriginateResult("c-x", null, "PJSIP/nobody", false, 0, T));
    assertEquals(List.of(), events);
    tracker.settle("c-x", T.plusSeconds(2));
    assertInstanceOf(Failed.class, events.get(0));
  }

  @Test
  void onlyAnExplicitPlayedOrOptOutIsEvidenceThatTheMessagePlayed() {
    assertFalse(
        assertInstanceOf(
                SafeHarborPlayed.class,
                CallTracker.safeHarborOutcome("c", new SafeHarborResult("c", "PLAYED", null, T)))
            .optedOut());
    assertTrue(
        assertInstanceOf(
                SafeHarborPlayed.class,
                CallTracker.safeHarborOutcome("c", new SafeHarborResult("c", "OPTOUT", null, T)))
            .optedOut());
    SafeHarborFailed failed =
        assertInstanceOf(
            SafeHarborFailed.class,
            CallTracker.safeHarborOutcome(
                "c", new SafeHarborResult("c", "FAILED", "cannot play safe-harbor-default", T)));
    assertEquals("Result FAILED: cannot play safe-harbor-default", failed.reason());
    assertInstanceOf(
        SafeHarborFailed.class,
        CallTracker.safeHarborOutcome("c", new SafeHarborResult("c", "", null, T)));
  }

  @Test
  void aDialerSafeHarborEventWithoutResultIsAFailure() {
    AmiUserEvents.DialerSafeHarborEvent event = new AmiUserEvents.DialerSafeHarborEvent(SOURCE);
    event.setUniqueId("c1");
    event.setChannel("Local/1001@x-00000001;1");
    SafeHarborResult result =
        assertInstanceOf(SafeHarborResult.class, AmiEvents.toObserved(event).orElseThrow());
    assertEquals("FAILED", result.result());
    event.setResult("FAILED");
    event.setReason("cannot play campaign-7-message");
    result = assertInstanceOf(SafeHarborResult.class, AmiEvents.toObserved(event).orElseThrow());
    assertEquals("cannot play campaign-7-message", result.reason());
  }

  private void feed(Observed observed) {
    tracker.onObserved(observed);
  }
}
