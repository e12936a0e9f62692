package com.welcomedly.dialer.engine.dialing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A lead that just ended its call or refused a reservation is left out of the hopper queries for
 * {@link RestingLeads#REST}, then asked again (the lead decides); a new no starts its rest again.
 */
class RestingLeadsTest {

  private static final Instant T0 = Instant.parse("2026-12-02T18:00:00Z");

  @Test
  void aLeadRestsForItsWhileThenIsAskedAgain() {
    RestingLeads leads = new RestingLeads();
    leads.rest("lead-1", T0);
    leads.rest("lead-2", T0.plusSeconds(10));
    assertEquals(List.of("lead-1", "lead-2"), leads.resting(T0.plusSeconds(10)));
    assertEquals(List.of("lead-2"), leads.resting(T0.plus(RestingLeads.REST)), "lead-1 rested");
    leads.rest("lead-2", T0.plusSeconds(35)); // said no again: rests from now
    assertEquals(List.of("lead-2"), leads.resting(T0.plusSeconds(10).plus(RestingLeads.REST)));
    assertEquals(List.of(), leads.resting(T0.plusSeconds(35).plus(RestingLeads.REST)));
  }

  @Test
  void theListIsBoundedAndTheOldestRestsEndFirst() {
    RestingLeads leads = new RestingLeads();
    for (int i = 0; i <= RestingLeads.MAX; i++) {
      leads.rest("lead-" + i, T0);
    }
    List<String> resting = leads.resting(T0);
    assertEquals(RestingLeads.MAX, resting.size());
    assertEquals("lead-1", resting.get(0), "lead-0, the oldest, left first");
  }
}
