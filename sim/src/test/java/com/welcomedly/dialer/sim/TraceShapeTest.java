package com.welcomedly.dialer.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The simulator's event sequences against the recorded Asterisk 22 traces ({@code
 * asterisk/ami-traces-asterisk-22.txt}): for each Local-channel leg, the ordered event names with
 * their key field (state, dial status, cause, user event) must be the same, and so must the
 * OriginateResponse. Timing and the interleaving between legs may differ (Asterisk's does too).
 */
class TraceShapeTest {
  private static final Set<String> SHAPE_EVENTS =
      Set.of(
          "Newchannel",
          "Newstate",
          "DialBegin",
          "DialState",
          "DialEnd",
          "HangupRequest",
          "SoftHangupRequest",
          "Hangup",
          "BridgeEnter",
          "BridgeLeave",
          "UserEvent");

  static AmiSimulator simulator;
  static Map<String, List<Map<String, String>>> traces;

  @BeforeAll
  static void start() throws IOException {
    simulator = AmiSimulator.start(SimulatorSettings.defaults().withPort(0).withTimeScale(20));
    traces = readTraces();
  }

  @AfterAll
  static void stop() {
    simulator.close();
  }

  @Test
  void busyAfterRing() throws Exception {
    try (AmiTestClient client = new AmiTestClient(simulator.port())) {
      client.originate("Local/99320000001@sim-customer", "dialer-connect", "c1", 30000);
      String base = client.channelOf("c1");
      client.await(e -> isHangup(e, base + ";1"));
      assertSameShape("busy-after-ring", "Local/2002@sim-customer-00000006", client, base);
    }
  }

  @Test
  void noAnswerByOriginateTimeout() throws Exception {
    try (AmiTestClient client = new AmiTestClient(simulator.port())) {
      client.originate("Local/99400000002@sim-customer", "dialer-connect", "c2", 6000);
      String base = client.channelOf("c2");
      client.await(e -> isHangup(e, base + ";1"));
      assertSameShape(
          "no-answer-originate-timeout", "Local/3000@sim-customer-00000007", client, base);
    }
  }

  @Test
  void congestion() throws Exception {
    try (AmiTestClient client = new AmiTestClient(simulator.port())) {
      client.originate("Local/99500100003@sim-customer", "dialer-connect", "c3", 30000);
      String base = client.channelOf("c3");
      client.await(e -> isHangup(e, base + ";1"));
      assertSameShape("congestion", "Local/4000@sim-customer-00000009", client, base);
    }
  }

  @Test
  void answerBridgeAndDialerHangsUp() throws Exception {
    try (AmiTestClient client = new AmiTestClient(simulator.port())) {
      client.originate("Local/100@sim-agent", "dialer-agent", "agent100", 30000);
      String agent = client.channelOf("agent100");
      client.await(e -> "OriginateResponse".equals(e.get("Event")));
      client.originate("Local/99130000004@sim-customer", "dialer-connect", "c4", 30000);
      String customer = client.channelOf("c4");
      client.await(
          e -> "OriginateResponse".equals(e.get("Event")) && "c4".equals(e.get("Uniqueid")));
      client.action("Bridge", "Channel1", customer + ";1", "Channel2", agent + ";1");
      client.await(e -> "BridgeEnter".equals(e.get("Event")) && e.get("Channel").startsWith(agent));
      client.action("Hangup", "Channel", customer + ";1");
      client.await(e -> isHangup(e, customer + ";2"));
      assertSameShape("answer+bridge", "Local/1003@sim-customer-00000000", client, customer);
    }
  }

  @Test
  void customerHangsUpWhileBridged() throws Exception {
    try (AmiTestClient client = new AmiTestClient(simulator.port())) {
      client.originate("Local/101@sim-agent", "dialer-agent", "agent101", 30000);
      String agent = client.channelOf("agent101");
      client.await(e -> "OriginateResponse".equals(e.get("Event")));
      client.originate("Local/99110030005@sim-customer", "dialer-connect", "c5", 30000);
      String customer = client.channelOf("c5");
      client.await(
          e -> "OriginateResponse".equals(e.get("Event")) && "c5".equals(e.get("Uniqueid")));
      client.action("Bridge", "Channel1", customer + ";1", "Channel2", agent + ";1");
      client.await(e -> "AgentIdle".equals(e.get("UserEvent")));
      client.action("Hangup", "Channel", agent + ";1");
      client.await(e -> isHangup(e, agent + ";2"));
      assertSameShape(
          "customer-hangs-up-while-bridged",
          "Local/1001003@sim-customer-00000003",
          client,
          customer);
      assertSameShape(
          "customer-hangs-up-while-bridged", "Local/101@sim-agent-00000004", client, agent);
    }
  }

  // ------------------------------------------------------------------ shape comparison

  private static boolean isHangup(Map<String, String> e, String channel) {
    return "Hangup".equals(e.get("Event")) && channel.equals(e.get("Channel"));
  }

  private static void assertSameShape(
      String scenario, String traceBase, AmiTestClient client, String simBase) {
    List<Map<String, String>> recorded = traces.get(scenario);
    assertNotNull(recorded, scenario);
    for (String leg : List.of(";1", ";2")) {
      List<String> expected = shape(recorded, traceBase + leg);
      assertTrue(expected.size() >= 4, scenario + " leg " + leg + ": " + expected);
      assertEquals(expected, shape(client.events, simBase + leg), scenario + " leg " + leg);
    }
    assertEquals(
        originateShape(recorded, traceBase), originateShape(client.events, simBase), scenario);
  }

  private static List<String> shape(List<Map<String, String>> events, String channel) {
    List<String> out = new ArrayList<>();
    for (Map<String, String> e : events) {
      String name = e.get("Event");
      if (!SHAPE_EVENTS.contains(name)) {
        continue;
      }
      String ch = e.containsKey("DestChannel") ? e.get("DestChannel") : e.get("Channel");
      if (!channel.equals(ch)) {
        continue;
      }
      String key =
          switch (name) {
            case "Newchannel", "Newstate" -> e.get("ChannelState");
            case "DialState", "DialEnd" -> e.get("DialStatus");
            case "Hangup", "HangupRequest", "SoftHangupRequest" -> e.get("Cause");
            case "UserEvent" -> e.get("UserEvent");
            default -> "";
          };
      out.add(name + ":" + key);
    }
    return out;
  }

  private static List<String> originateShape(List<Map<String, String>> events, String base) {
    List<String> out = new ArrayList<>();
    String dialString = base.substring(0, base.lastIndexOf('-'));
    for (Map<String, String> e : events) {
      if ("OriginateResponse".equals(e.get("Event"))) {
        String ch = e.get("Channel");
        boolean suffixed = ch.startsWith(base + ";");
        if (suffixed || ch.equals(dialString)) {
          out.add(
              e.get("Response") + ":" + e.get("Reason") + ":" + (suffixed ? "channel" : "dial"));
        }
      }
    }
    return out;
  }

  /** Condensed trace lines: " t Event Key=Value ..." grouped by scenario name. */
  private static Map<String, List<Map<String, String>>> readTraces() throws IOException {
    Map<String, List<Map<String, String>>> out = new LinkedHashMap<>();
    List<Map<String, String>> current = null;
    try (InputStream in =
            TraceShapeTest.class.getResourceAsStream("/asterisk/ami-traces-asterisk-22.txt");
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.startsWith("=== ")) {
          current = new ArrayList<>();
          out.put(line.substring(4).split("[ (]", 2)[0], current);
          continue;
        }
        String[] parts = line.trim().split("\\s+");
        if (current == null || parts.length < 2 || parts[1].startsWith(">>>")) {
          continue;
        }
        Map<String, String> event = new LinkedHashMap<>();
        event.put("Event", parts[1]);
        for (int i = 2; i < parts.length; i++) {
          int eq = parts[i].indexOf('=');
          if (eq > 0) {
            event.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
          }
        }
        current.add(event);
      }
    }
    return out;
  }
}
