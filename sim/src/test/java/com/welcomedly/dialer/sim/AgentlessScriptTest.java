package com.welcomedly.dialer.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentlessScriptTest {

  private static final SimulatorSettings SETTINGS = SimulatorSettings.defaults();
  private static final Map<String, String> KEYS_1_9 =
      Map.of("DIALER_TRANSFER_KEY", "1", "DIALER_OPTOUT_KEY", "9");

  private static AgentlessScript script(String number, Map<String, String> variables) {
    return AgentlessScript.of(CallPlan.plan(number, 1, SETTINGS), variables, SETTINGS);
  }

  @Test
  void aPersonPressingTheTransferKeyWaitsForAnAgent() {
    // 99 0 RR TT K: a person who presses K during the message.
    AgentlessScript s = script("990050010", KEYS_1_9);
    assertEquals("TRANSFER", s.result());
    assertEquals("1", s.key());
    assertEquals(SETTINGS.keypressSeconds(), s.resultAfter());
    assertFalse(s.hangsUp());
  }

  @Test
  void theCampaignsKeysDecide() {
    Map<String, String> keys = Map.of("DIALER_TRANSFER_KEY", "5", "DIALER_OPTOUT_KEY", "7");
    assertEquals("TRANSFER", script("990050050", keys).result());
    assertEquals("OPTOUT", script("990050070", keys).result());
    assertEquals("PLAYED", script("990050010", keys).result(), "another key: as if none");
    // The opt-out person (9) presses the campaign's opt-out key, whatever it is.
    AgentlessScript optOut = script("999050000", keys);
    assertEquals("OPTOUT", optOut.result());
    assertEquals("7", optOut.key());
    assertTrue(optOut.hangsUp());
  }

  @Test
  void aPersonWithoutAKeyHearsTheWholeMessage() {
    AgentlessScript s = script("991050000", KEYS_1_9);
    assertEquals("PLAYED", s.result());
    assertEquals(SETTINGS.messageSeconds(), s.resultAfter());
  }

  @Test
  void aMachineGetsTheMessageOnlyWithAmdAndLeaveMessage() {
    AgentlessScript left =
        script("992050000", Map.of("DIALER_AMD", "1", "DIALER_LEAVE_MESSAGE", "1"));
    assertTrue(left.amd() && left.machine());
    assertEquals("MESSAGE_LEFT", left.result());
    assertEquals(SETTINGS.amdSeconds() + SETTINGS.messageSeconds(), left.resultAfter());
    assertEquals(
        "MACHINE", script("992050000", Map.of("DIALER_AMD", "1")).result(), "hung up at once");
    assertEquals("PLAYED", script("992050000", Map.of()).result(), "no AMD: heard as a person");
  }
}
