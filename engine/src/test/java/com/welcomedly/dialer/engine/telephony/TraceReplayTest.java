package com.welcomedly.dialer.engine.telephony;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.welcomedly.dialer.engine.telephony.TelephonyGateway.ActionRejected;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.AgentBridged;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.AgentLegDown;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.AgentLegEvent;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.AgentLegFailed;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.Answered;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.Bridged;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.Busy;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.CallEvent;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.Congestion;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.Failed;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.HungUp;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.InvalidNumber;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.MachineDetection;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway.NoAnswer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Replays the raw AMI wire recorded from Asterisk 22.10.1 ({@code
 * asterisk/ami-raw-asterisk-22.txt}, a copy of the shared ground truth) through the production
 * mapping: every packet becomes the asterisk-java bean the reader would build ({@link AmiBeans}),
 * then {@link AmiEvents}, then the {@link CallTracker}. Our own actions in the trace (Originate,
 * Hangup) register calls the way the gateway does. Each scenario must yield exactly the domain
 * events listed here.
 */
class TraceReplayTest {

  @Test
  void everyRecordedScenarioYieldsTheRightDomainOutcome() throws IOException {
    Map<String, Map<String, List<String>>> byScenario = replay();
    Map<String, Map<String, List<String>>> expected = new TreeMap<>();
    expected.put(
        "answer+bridge",
        Map.of(
            "c1003-19056",
            List.of("Ringing", "Answered", "Bridged:agent100", "HungUp:DIALER:16"),
            "c1001-27103",
            List.of("Ringing", "Answered", "Bridged:agent100", "HungUp:AGENT:16"),
            "agent100",
            List.of(
                "AgentLegUp",
                "AgentBridged:c1003-19056",
                "AgentIdle",
                "AgentBridged:c1001-27103",
                "AgentLegDown:16")));
    expected.put(
        "customer-hangs-up-while-bridged",
        Map.of(
            "c1001003-31625",
            List.of("Ringing", "Answered", "Bridged:agent101", "HungUp:CUSTOMER:16"),
            "agent101",
            List.of("AgentLegUp", "AgentBridged:c1001003-31625", "AgentIdle", "AgentLegDown:16")));
    expected.put("busy", Map.of("c2000-41055", List.of("Ringing", "Busy:17")));
    expected.put("busy-after-ring", Map.of("c2002-43062", List.of("Ringing", "Busy:17")));
    expected.put(
        "no-answer-originate-timeout", Map.of("c3000-47072", List.of("Ringing", "NoAnswer:19")));
    expected.put(
        "no-answer-remote-gives-up", Map.of("c3004-55314", List.of("Ringing", "NoAnswer:19")));
    expected.put("congestion", Map.of("c4000-61318", List.of("Ringing", "Congestion:34")));
    expected.put(
        "reject-with-cause",
        Map.of(
            "c6021-63327", List.of("Failed:21"),
            "c6001-64834", List.of("InvalidNumber:1")));
    expected.put("no-such-number", Map.of("c9999-66842", List.of("Failed:0")));
    expected.put(
        "answering-machine+AMD",
        Map.of(
            "c5001-68847",
            List.of("Ringing", "Answered", "MachineDetection:MACHINE", "HungUp:DIALER:16")));
    expected.put(
        "human+AMD",
        Map.of(
            "c1001-73878",
            List.of("Ringing", "Answered", "MachineDetection:HUMAN", "HungUp:DIALER:16")));
    expected.put(
        "redirect-to-agent-dialplan",
        Map.of("c1001-79030", List.of("Ringing", "Answered", "HungUp:DIALER:16")));

    assertEquals(expected.keySet(), new TreeMap<>(byScenario).keySet());
    for (String scenario : expected.keySet()) {
      assertEquals(
          new TreeMap<>(expected.get(scenario)),
          new TreeMap<>(byScenario.get(scenario)),
          "scenario " + scenario);
    }
  }

  /** scenario -> callId or agentId -> described events, in order. */
  private static Map<String, Map<String, List<String>>> replay() throws IOException {
    Map<String, Map<String, List<String>>> out = new LinkedHashMap<>();
    CallTracker<String, String> tracker = null;
    Map<String, List<String>> current = null;
    Map<String, String> channelToCall = new LinkedHashMap<>();
    try (InputStream in =
            TraceReplayTest.class.getResourceAsStream("/asterisk/ami-raw-asterisk-22.txt");
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(assertNotNull(in), StandardCharsets.UTF_8))) {
      List<String> packet = new ArrayList<>();
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.startsWith("=== ")) {
          String name = line.substring(4).split("[ (]", 2)[0].trim();
          if (name.equals("login")) {
            continue;
          }
          Map<String, List<String>> events = new LinkedHashMap<>();
          out.put(name, events);
          current = events;
          channelToCall.clear();
          tracker = new CallTracker<>(recorder(events, channelToCall));
          packet.clear();
          continue;
        }
        if (line.startsWith("[t=") || line.isEmpty()) {
          if (tracker != null && !packet.isEmpty()) {
            feed(tracker, packet, channelToCall);
          }
          packet.clear();
          continue;
        }
        if (!line.startsWith("#")) {
          packet.add(line);
        }
      }
      if (tracker != null && !packet.isEmpty()) {
        feed(tracker, packet, channelToCall);
      }
    }
    assertNotNull(current);
    return out;
  }

  private static <T> T assertNotNull(T value) {
    org.junit.jupiter.api.Assertions.assertNotNull(value);
    return value;
  }

  private static void feed(
      CallTracker<String, String> tracker, List<String> lines, Map<String, String> channelToCall) {
    boolean sent = lines.get(0).equals(">>> SENT");
    Map<String, String> headers = new LinkedHashMap<>();
    for (String l : sent ? lines.subList(1, lines.size()) : lines) {
      int colon = l.indexOf(':');
      if (colon > 0) {
        headers.putIfAbsent(l.substring(0, colon).trim(), l.substring(colon + 1).trim());
      }
    }
    if (sent) {
      String action = headers.getOrDefault("Action", "");
      if (action.equals("Originate")) {
        String id = headers.get("ChannelId");
        if ("dialer-agent".equals(headers.get("Context"))) {
          tracker.nailedUp(id, id, id);
        } else {
          tracker.originated(id, id);
        }
      } else if (action.equals("Hangup")) {
        String channel = headers.get("Channel");
        String callId = channelToCall.get(channel);
        if (callId != null) {
          tracker.dialerHangup(callId);
        } else {
          tracker.agentReleased(channel.substring(channel.indexOf('/') + 1, channel.indexOf('@')));
        }
      }
      return;
    }
    if (!headers.containsKey("Event")) {
      return; // a Response: the gateway handles those through callbacks, not the tracker
    }
    AmiBeans.build(headers).flatMap(AmiEvents::toObserved).ifPresent(tracker::onObserved);
  }

  private static CallTracker.Sink<String, String> recorder(
      Map<String, List<String>> events, Map<String, String> channelToCall) {
    return new CallTracker.Sink<>() {
      @Override
      public void call(String listener, CallEvent event) {
        if (event instanceof Answered a) {
          channelToCall.put(a.channel(), a.callId());
        }
        events.computeIfAbsent(listener, k -> new ArrayList<>()).add(describe(event));
      }

      @Override
      public void agent(String listener, AgentLegEvent event) {
        events.computeIfAbsent(listener, k -> new ArrayList<>()).add(describe(event));
      }
    };
  }

  static String describe(Object event) {
    String name = event.getClass().getSimpleName();
    if (event instanceof Busy e) {
      return name + ":" + e.cause();
    } else if (event instanceof NoAnswer e) {
      return name + ":" + e.cause();
    } else if (event instanceof Congestion e) {
      return name + ":" + e.cause();
    } else if (event instanceof InvalidNumber e) {
      return name + ":" + e.cause();
    } else if (event instanceof Failed e) {
      return name + ":" + e.cause();
    } else if (event instanceof HungUp e) {
      return name + ":" + e.side() + ":" + e.cause();
    } else if (event instanceof Bridged e) {
      return name + ":" + e.agentId();
    } else if (event instanceof MachineDetection e) {
      return name + ":" + e.verdict();
    } else if (event instanceof ActionRejected e) {
      return name + ":" + e.action();
    } else if (event instanceof AgentBridged e) {
      return name + ":" + e.callId();
    } else if (event instanceof AgentLegDown e) {
      return name + ":" + e.cause();
    } else if (event instanceof AgentLegFailed e) {
      return name + ":" + e.reason();
    }
    return name;
  }
}
