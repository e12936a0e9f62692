package com.welcomedly.dialer.engine.dialing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.welcomedly.dialer.engine.lead.Attempt;
import com.welcomedly.dialer.engine.lead.Lead;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a new dialer instance does with each kind of call a previous instance left behind. */
class AdoptionTest {

  private static final Instant T0 = Instant.parse("2026-01-05T15:00:00Z");
  private static final Instant STARTED = T0.plusSeconds(60);
  private static final Map<String, TelephonyGateway.LiveChannel> NOTHING_LIVE = Map.of();

  @Test
  void aReservationWithoutChannelIsLeftToTheLeadsTimer() {
    assertEquals(
        Adoption.Kind.AWAIT_EXPIRY,
        kind(Lead.Status.RESERVED, attempt(null, null, null), NOTHING_LIVE));
  }

  @Test
  void aReservationWhoseOriginateWasPlacedIsTrackedAsDialing() {
    assertEquals(
        Adoption.Kind.TRACK_DIALING,
        kind(Lead.Status.RESERVED, attempt(null, null, null), live(5)));
  }

  @Test
  void aRingingCallIsTrackedAndAGoneOneEndsFailed() {
    Attempt dialing = attempt(T0, null, null);
    assertEquals(Adoption.Kind.TRACK_DIALING, kind(Lead.Status.DIALING, dialing, live(5)));
    assertEquals(Adoption.Kind.END_UNANSWERED, kind(Lead.Status.DIALING, dialing, NOTHING_LIVE));
  }

  @Test
  void anAnsweredUnconnectedCallIsAbandonedWhetherStillUpOrGone() {
    Attempt answered = attempt(T0, T0.plusSeconds(2), null);
    assertEquals(Adoption.Kind.TRACK_ANSWERED, kind(Lead.Status.DIALING, answered, live(6)));
    assertEquals(Adoption.Kind.END_ABANDONED, kind(Lead.Status.DIALING, answered, NOTHING_LIVE));
    // Answered on the PBX while no dialer listened: the lead does not know yet.
    assertEquals(
        Adoption.Kind.TRACK_ANSWERED, kind(Lead.Status.DIALING, attempt(T0, null, null), live(6)));
  }

  @Test
  void aConnectedCallIsTrackedOrEndedCompleted() {
    Attempt connected = attempt(T0, T0.plusSeconds(2), "a-1");
    assertEquals(Adoption.Kind.TRACK_CONNECTED, kind(Lead.Status.CONNECTED, connected, live(6)));
    assertEquals(Adoption.Kind.END_CONNECTED, kind(Lead.Status.CONNECTED, connected, NOTHING_LIVE));
  }

  @Test
  void attemptsOfThisInstanceAndLeadsOutOfACallAreNotAdopted() {
    Attempt own =
        new Attempt(
            "att-1",
            "+12125550100",
            null,
            STARTED,
            STARTED,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null);
    assertTrue(Adoption.of(lead(Lead.Status.DIALING, own), live(5), STARTED).isEmpty());
    Attempt wrapUp = attempt(T0, T0.plusSeconds(2), "a-1");
    assertTrue(Adoption.of(lead(Lead.Status.WRAP_UP, wrapUp), live(6), STARTED).isEmpty());
  }

  private static Adoption.Kind kind(
      Lead.Status status, Attempt attempt, Map<String, TelephonyGateway.LiveChannel> live) {
    Optional<Adoption> adoption = Adoption.of(lead(status, attempt), live, STARTED);
    assertTrue(adoption.isPresent(), status + " " + attempt);
    assertEquals("lead-1", adoption.get().leadId());
    assertEquals(live.get("att-1"), adoption.get().channel());
    return adoption.get().kind();
  }

  private static Map<String, TelephonyGateway.LiveChannel> live(int state) {
    return Map.of(
        "att-1",
        new TelephonyGateway.LiveChannel(
            "Local/+12125550100@sim-customer-0001;1", "att-1", state, null, null, null));
  }

  private static Attempt attempt(Instant dialedAt, Instant answeredAt, String agentId) {
    return new Attempt(
        "att-1",
        "+12125550100",
        agentId,
        T0,
        dialedAt,
        answeredAt,
        agentId == null ? null : answeredAt,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  private static Lead.Summary lead(Lead.Status status, Attempt attempt) {
    return new Lead.Summary(
        "lead-1",
        "c-1",
        status,
        List.of(new Lead.PhoneNumber("+12125550100", false)),
        "America/New_York",
        1,
        Map.of(),
        List.of(attempt),
        null,
        null,
        null,
        null,
        null);
  }
}
