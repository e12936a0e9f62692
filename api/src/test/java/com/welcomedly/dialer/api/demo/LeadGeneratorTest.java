package com.welcomedly.dialer.api.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.welcomedly.dialer.api.demo.LeadGenerator.DemoLead;
import com.welcomedly.dialer.engine.logging.PhoneNumberMasking;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LeadGeneratorTest {

  private static final int LEADS = 20_000;

  @Test
  void everyNumberIsAValidUniqueE164NumberTheSimulatorAnswersByItsModel() throws Exception {
    LeadGenerator generator = new LeadGenerator("demo-x", 42);
    PhoneNumberUtil phones = PhoneNumberUtil.getInstance();
    Set<String> numbers = new HashSet<>();
    Set<String> ids = new HashSet<>();
    Set<String> zones = new HashSet<>();
    for (int i = 0; i < LEADS; i++) {
      DemoLead lead = generator.lead(i);
      String number = lead.number();
      assertTrue(number.matches("\\+1[2-9]\\d{9}"), number);
      assertTrue(phones.isValidNumber(phones.parse(number, null)), lead.toString());
      // The simulator scripts numbers starting with its prefix 99; these must not.
      assertFalse(number.startsWith("+99") || number.startsWith("99"));
      ZoneId.of(lead.timezone());
      zones.add(lead.timezone());
      assertTrue(numbers.add(number), "duplicate number at " + i);
      assertTrue(ids.add(lead.leadId()));
    }
    assertEquals("demo-x-000001", generator.lead(0).leadId());
    assertEquals("demo-x-020000", generator.lead(LEADS - 1).leadId());
    assertTrue(zones.size() >= 5, "spread over time zones: " + zones);
  }

  @Test
  void theSameSeedGivesTheSameLeads() {
    LeadGenerator a = new LeadGenerator("demo", 42);
    LeadGenerator b = new LeadGenerator("demo", 42);
    LeadGenerator other = new LeadGenerator("demo", 43);
    for (int i = 0; i < 100; i++) {
      assertEquals(a.lead(i), b.lead(i));
    }
    assertNotEquals(a.lead(5).number(), other.lead(5).number());
  }

  @Test
  void aLeadPrintsOnlyTheLastFourDigitsOfItsNumber() {
    DemoLead lead = new LeadGenerator("demo", 42).lead(123);
    String printed = lead.toString();
    assertFalse(printed.contains(lead.number().substring(1)), printed);
    assertTrue(printed.contains(lead.number().substring(lead.number().length() - 4)), printed);
    assertEquals(printed, PhoneNumberMasking.mask(printed), "nothing left for the log mask");
  }
}
