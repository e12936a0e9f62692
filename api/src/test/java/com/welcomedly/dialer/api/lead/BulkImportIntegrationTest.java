package com.welcomedly.dialer.api.lead;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import com.welcomedly.dialer.api.ApiClient;
import com.welcomedly.dialer.api.ApiClient.Response;
import com.welcomedly.dialer.api.Main;
import com.welcomedly.dialer.api.TestNodes;
import com.welcomedly.dialer.engine.campaign.Campaign;
import com.welcomedly.dialer.engine.campaign.CampaignConfig;
import com.welcomedly.dialer.engine.compliance.AttemptCap;
import com.welcomedly.dialer.engine.compliance.CallingWindow;
import com.welcomedly.dialer.engine.compliance.DialPolicy;
import com.welcomedly.dialer.engine.lead.Lead;
import com.welcomedly.dialer.engine.persistence.JdbcPool;
import com.welcomedly.dialer.engine.persistence.TestDatabase;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The bulk lead path through the real HTTP API and PostgreSQL: a lead imported in bulk is dialable
 * in the hopper when the import ends, is refused or allowed exactly like a lead created through the
 * entity's Import command (DNC, calling window, attempt caps), and its history begins with the
 * import.
 */
@ExtendWith(LogCapturingExtension.class)
class BulkImportIntegrationTest {

  private static final String ADMIN_PASSWORD = "admin-test-password"; // application-test.conf
  private static final String CAMPAIGN = "bulk-campaign";
  private static final Duration ASK = Duration.ofSeconds(15);
  private static final CampaignConfig CONFIG =
      CampaignConfig.defaults("PJSIP/{number}@carrier", "+12127363100");
  private static ActorTestKit testKit;
  private static ApiClient api;
  private static String adminToken;

  @BeforeAll
  static void startNode() throws Exception {
    testKit =
        ActorTestKit.create(
            "dialer",
            ConfigFactory.parseString("dialer.lead.bulk-import.batch-size = 3")
                .withFallback(TestDatabase.config(TestDatabase.fresh("bulk"))));
    int port =
        Main.init(testKit.system())
            .toCompletableFuture()
            .get(20, TimeUnit.SECONDS)
            .localAddress()
            .getPort();
    api = new ApiClient(port);
    TestNodes.awaitBootstrapAdmin(testKit);
    adminToken = api.login("admin", ADMIN_PASSWORD);
    ClusterSharding.get(testKit.system())
        .entityRefFor(Campaign.ENTITY_KEY, CAMPAIGN)
        .<Campaign.Summary>askWithStatus(
            r -> new Campaign.Create("Bulk test", CONFIG, "test", r), ASK)
        .toCompletableFuture()
        .get(20, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stopNode() {
    testKit.shutdownTestKit();
  }

  @Test
  void aBulkLeadIsDialableAtOnceAndRefusedOrAllowedByTheSameRulesAsBefore() throws Exception {
    String body =
        "id,phone,timezone,name\n"
            + "bulk-1,+12127363201,America/New_York,Ann\n"
            + "bulk-2,+12127363202,America/New_York,Bob\n"
            + "bulk-3,+12127363203,,Cy\n"
            + "bulk-4,+12127363204,America/New_York,Di\n";
    Response response = csv(body);
    assertEquals(200, response.status(), response.raw().body());
    assertEquals(4, response.json().get("accepted").asInt());
    // Dialable the moment the import is DONE: no projection to wait for.
    for (String id : List.of("bulk-1", "bulk-2", "bulk-3", "bulk-4")) {
      assertEquals("QUEUED", hopperStatus(id), id);
    }
    // The same lead through the entity's own Import command: the behaviour before the bulk path.
    for (String id : List.of("ref-1", "ref-2")) {
      StatusReply<Lead.Summary> created =
          lead(id)
              .<StatusReply<Lead.Summary>>ask(
                  r ->
                      new Lead.Import(
                          CAMPAIGN,
                          List.of("+12127363201"),
                          "America/New_York",
                          0,
                          Map.of("name", "Ann"),
                          r),
                  ASK)
              .toCompletableFuture()
              .get(20, TimeUnit.SECONDS);
      assertTrue(created.isSuccess(), created.toString());
    }
    Lead.Summary bulk = summary("bulk-1");
    Lead.Summary ref = summary("ref-1");
    assertEquals(ref.status(), bulk.status());
    assertEquals(ref.numbers(), bulk.numbers());
    assertEquals(ref.timezone(), bulk.timezone());
    assertEquals(ref.customFields(), bulk.customFields());
    assertEquals("America/New_York", summary("bulk-3").timezone()); // derived from the number

    DialPolicy open = policy(CallingWindow.everyDay(LocalTime.MIN, LocalTime.MAX), 7);
    CallingWindow closed = CallingWindow.standard();
    for (DayOfWeek day : DayOfWeek.values()) {
      closed = closed.closedOn(day);
    }
    // Calling window closed: both refused, with the same reason.
    assertSameAnswer("window", policy(closed, 7));
    // Allowed: both reserved, dialled, not answered (one attempt each).
    List<StatusReply<Lead.Reservation>> allowed = assertSameAnswer("open", open);
    assertTrue(allowed.get(0).isSuccess(), allowed.get(0).toString());
    noAnswer("bulk-1", "open-bulk-1");
    noAnswer("ref-1", "open-ref-1");
    // Attempt cap reached (1 per day): both refused, with the same reason.
    List<StatusReply<Lead.Reservation>> capped =
        assertSameAnswer("cap", policy(CallingWindow.everyDay(LocalTime.MIN, LocalTime.MAX), 1));
    assertFalse(capped.get(0).isSuccess());
    // DNC: both refused, with the same reason.
    assertEquals(
        200, api.postRaw("/api/leads/bulk-1/dnc", adminToken, "application/json", "").status());
    assertEquals(
        200, api.postRaw("/api/leads/ref-1/dnc", adminToken, "application/json", "").status());
    List<StatusReply<Lead.Reservation>> dnc = assertSameAnswer("dnc", open);
    assertFalse(dnc.get(0).isSuccess());

    // The attempt history holds the attempt, like the reference lead's.
    JsonNode leadView = api.get("/api/leads/bulk-1", adminToken).json();
    assertEquals(1, leadView.get("attempts").size());
    assertEquals("DNC", leadView.get("status").asText());
  }

  @Test
  void aBulkLeadsHistoryBeginsWithItsImport() throws Exception {
    Instant before = Instant.now();
    Response response = csv("id,phone\nhist-1,+12127363211\n");
    assertEquals(200, response.status(), response.raw().body());
    Instant after = Instant.now();
    // Never touched since the import: reading its audit trail wakes it, the trail starts there.
    Response audit = api.get("/api/leads/hist-1/audit", adminToken);
    assertEquals(200, audit.status(), audit.raw().body());
    JsonNode first = audit.json().get("events").get(0);
    assertEquals("Imported", first.get("event").asText());
    assertEquals(1, first.get("sequenceNr").asLong());
    Instant importedAt = Instant.parse(first.get("at").asText());
    assertFalse(importedAt.isBefore(before.minusSeconds(1)), importedAt + " vs " + before);
    assertFalse(importedAt.isAfter(after), importedAt + " vs " + after);
    assertEquals(1, audit.json().get("events").size());
    // Woken again (recovered from its journal): still exactly one Imported event.
    assertEquals(CAMPAIGN, summary("hist-1").campaignId());
    assertEquals(1, api.get("/api/leads/hist-1/audit", adminToken).json().get("events").size());
  }

  @Test
  void reImportingAnExistingLeadIsRejectedWithItsLineAsBefore() throws Exception {
    assertEquals(200, csv("id,phone\ndup-1,+12127363221\n").status());
    StatusReply<Lead.Summary> legacy =
        lead("legacy-1")
            .<StatusReply<Lead.Summary>>ask(
                r -> new Lead.Import(CAMPAIGN, List.of("+12127363222"), null, 0, Map.of(), r), ASK)
            .toCompletableFuture()
            .get(20, TimeUnit.SECONDS);
    assertTrue(legacy.isSuccess());
    // A lead the entity created is known to the bulk path once the hopper has projected it.
    TestProbe<Void> probe = testKit.createTestProbe();
    probe.awaitAssert(
        Duration.ofSeconds(30),
        Duration.ofMillis(200),
        () -> {
          assertEquals("QUEUED", hopperStatus("legacy-1"));
          return null;
        });
    Response again =
        csv("id,phone\ndup-1,+12127363223\nlegacy-1,+12127363224\nnew-1,+12127363225\n");
    assertEquals(200, again.status(), again.raw().body());
    assertEquals(1, again.json().get("accepted").asInt());
    List<String> rejected = new ArrayList<>();
    again
        .json()
        .get("rejected")
        .forEach(r -> rejected.add(r.get("line").asInt() + " " + r.get("reason").asText()));
    assertEquals(List.of("2 lead dup-1 exists", "3 lead legacy-1 exists"), rejected);
    // The first import's data stays.
    assertEquals("+12127363221", summary("dup-1").numbers().get(0).e164());
  }

  private static List<StatusReply<Lead.Reservation>> assertSameAnswer(
      String scenario, DialPolicy policy) throws Exception {
    StatusReply<Lead.Reservation> bulk = reserve("bulk-1", scenario + "-bulk-1", policy);
    StatusReply<Lead.Reservation> ref = reserve("ref-1", scenario + "-ref-1", policy);
    assertEquals(ref.isSuccess(), bulk.isSuccess(), scenario + ": " + bulk + " vs " + ref);
    if (ref.isSuccess()) {
      assertEquals(ref.getValue().number(), bulk.getValue().number(), scenario);
      assertEquals(ref.getValue().timezone(), bulk.getValue().timezone(), scenario);
    } else {
      assertEquals(withoutTime(ref), withoutTime(bulk), scenario);
    }
    return List.of(bulk, ref);
  }

  /** A refusal names the lead's local time of the ask: the two asks are milliseconds apart. */
  private static String withoutTime(StatusReply<?> reply) {
    return reply.getError().getMessage().replaceAll("\\d{4}-\\d{2}-\\d{2}T[0-9:.]+", "<now>");
  }

  private static DialPolicy policy(CallingWindow window, int maxAttempts) {
    DialPolicy standard = DialPolicy.standard();
    return new DialPolicy(
        window,
        List.of(AttemptCap.of(maxAttempts, Duration.ofDays(1))),
        standard.postAbandonLockout(),
        standard.reservationTimeout(),
        standard.numberRotation(),
        standard.callbackFallback());
  }

  private static StatusReply<Lead.Reservation> reserve(
      String leadId, String attemptId, DialPolicy policy) throws Exception {
    return lead(leadId)
        .<StatusReply<Lead.Reservation>>ask(
            r -> new Lead.ReserveForDial(attemptId, policy, null, r), ASK)
        .toCompletableFuture()
        .get(20, TimeUnit.SECONDS);
  }

  private static void noAnswer(String leadId, String attemptId) throws Exception {
    StatusReply<Lead.Summary> dialing =
        lead(leadId)
            .<StatusReply<Lead.Summary>>ask(
                r -> new Lead.MarkDialing(attemptId, Duration.ofSeconds(60), r), ASK)
            .toCompletableFuture()
            .get(20, TimeUnit.SECONDS);
    assertTrue(dialing.isSuccess(), dialing.toString());
    StatusReply<Lead.Summary> ended =
        lead(leadId)
            .<StatusReply<Lead.Summary>>ask(
                r ->
                    new Lead.RecordCallEnd(
                        attemptId,
                        Lead.CallOutcome.NO_ANSWER,
                        CONFIG.disposition("NO_ANSWER").orElseThrow(),
                        null,
                        r),
                ASK)
            .toCompletableFuture()
            .get(20, TimeUnit.SECONDS);
    assertTrue(ended.isSuccess(), ended.toString());
  }

  private static Lead.Summary summary(String leadId) throws Exception {
    return lead(leadId)
        .ask(Lead.GetSummary::new, ASK)
        .toCompletableFuture()
        .get(20, TimeUnit.SECONDS);
  }

  private static org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef<Lead.Command> lead(
      String leadId) {
    return ClusterSharding.get(testKit.system()).entityRefFor(Lead.ENTITY_KEY, leadId);
  }

  private static Response csv(String body) {
    return api.postRaw("/api/campaigns/" + CAMPAIGN + "/leads", adminToken, "text/csv", body);
  }

  private static String hopperStatus(String leadId) throws Exception {
    return JdbcPool.get(testKit.system())
        .withConnection(
            c -> {
              try (PreparedStatement s =
                  c.prepareStatement("SELECT status FROM hopper_lead WHERE lead_id = ?")) {
                s.setString(1, leadId);
                try (ResultSet rs = s.executeQuery()) {
                  return rs.next() ? rs.getString(1) : null;
                }
              }
            })
        .toCompletableFuture()
        .get(20, TimeUnit.SECONDS);
  }
}
