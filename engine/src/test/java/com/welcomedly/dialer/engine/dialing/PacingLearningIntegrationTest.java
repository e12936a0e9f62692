package com.welcomedly.dialer.engine.dialing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.welcomedly.dialer.engine.campaign.CampaignConfig;
import com.welcomedly.dialer.engine.pacing.Pacer;
import com.welcomedly.dialer.engine.pacing.PacingDecision;
import com.welcomedly.dialer.engine.persistence.DatabaseSettings;
import com.welcomedly.dialer.engine.persistence.TestDatabase;
import com.welcomedly.dialer.sim.AmiSimulator;
import com.welcomedly.dialer.sim.SimulatorSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The production dialer learns its pacing model from its own calls (real PostgreSQL, the AMI
 * simulator over TCP): talk and wrap-up laws near what the simulator and the agents did, and a
 * dialer that starts again (here: the whole node restarted on the same database) seeds its model
 * from the campaign's history instead of LEARNING from nothing.
 */
@ExtendWith(LogCapturingExtension.class)
class PacingLearningIntegrationTest {

  private static final Duration LONG = Duration.ofSeconds(180);

  private static AmiSimulator simulator;
  private static DatabaseSettings database;
  private static ActorTestKit node;
  private static DialingSteps steps;

  @BeforeAll
  static void start() throws Exception {
    simulator =
        AmiSimulator.start(
            SimulatorSettings.defaults().withPort(0).withScriptPrefix("12127").withSeed(12));
    database = TestDatabase.fresh("dialer_pacing");
    startNode();
  }

  private static void startNode() {
    node = DialingSteps.startSingleNode("pacing", database, simulator.port());
    steps = new DialingSteps(node);
  }

  @AfterAll
  static void stop() {
    node.shutdownTestKit();
    simulator.close();
  }

  private static CampaignConfig predictive(Set<String> agents) {
    CampaignConfig fast = DialingSteps.fastConfig(agents, false, Duration.ofSeconds(1));
    CampaignConfig.Pacing p = fast.pacing();
    return fast.withPacing(
        new CampaignConfig.Pacing(
            CampaignConfig.DialMode.PREDICTIVE,
            p.targetAbandonPercent(),
            p.abandonWindow(),
            p.maxLinesPerAgent(),
            p.powerRatio(),
            p.minReadyAgents()));
  }

  private static Set<String> agents(String prefix, int n) {
    Set<String> agents = new HashSet<>();
    for (int i = 1; i <= n; i++) {
      agents.add(prefix + i);
    }
    return agents;
  }

  private void awaitModel(String campaign, java.util.function.Predicate<CampaignDialer.Status> ok) {
    node.createTestProbe()
        .awaitAssert(
            LONG,
            Duration.ofMillis(500),
            () -> {
              CampaignDialer.Status s = steps.dialerStatus(campaign);
              assertTrue(ok.test(s), () -> "pacing model " + s.pacingModel() + " " + s.totals());
              return null;
            });
  }

  @Test
  void theDialerLearnsTalkAndWrapUpLawsFromItsOwnCalls() {
    String campaign = "c-learn";
    Set<String> agents = agents("a-l", 8);
    steps.createCampaign(campaign, "Learning", predictive(agents));
    // Live answers after 0.3-0.9 s that talk 2 s or 4 s (simulated at scale 1): lognormal fit
    // of that mix has mean 3.0 s; the wrap-up times out after 1 s (the campaign's
    // wrapUpTimeout), so wrap-ups last about 1 s.
    int leads = 0;
    for (int ring = 3; ring <= 9 && leads < 60; ring++) {
      for (int d = 0; d < 10 && leads < 60; d++) {
        String talk = leads % 2 == 0 ? "02" : "04";
        steps.importLead(
            campaign,
            "learn-" + leads,
            String.format(Locale.ROOT, "+121271%02d%s%d", ring, talk, d),
            1);
        leads++;
      }
    }
    agents.forEach(a -> steps.logIn(a, campaign));
    steps.startCampaign(campaign);

    // 50 talks and 50 wrap-ups before the model uses its own fit instead of the priors.
    awaitModel(
        campaign,
        s ->
            s.pacingModel().talkMean() < 60
                && s.pacingModel().wrapMean() < 10
                && s.totals().connects() >= 55);
    CampaignDialer.PacingModel model = steps.dialerStatus(campaign).pacingModel();
    // talk is measured from the bridge, so the answer-to-bridge time is left out of it
    assertEquals(2.8, model.talkMean(), 0.7, "talk mean " + model);
    assertEquals(1.15, model.wrapMean(), 0.4, "wrap-up mean " + model);
  }

  @Test
  void aDialerStartedAgainSeedsItsModelFromTheCampaignsHistory() throws Exception {
    String campaign = "c-move";
    Set<String> agents = agents("a-m", 6);
    steps.createCampaign(campaign, "Moving", predictive(agents));
    // 120 numbers busy at once, each dialed twice (a retry after 1 s): 240 resolutions.
    for (int i = 0; i < 120; i++) {
      steps.importLead(campaign, "move-" + i, String.format(Locale.ROOT, "+12127300%03d", i), 1);
    }
    agents.forEach(a -> steps.logIn(a, campaign));
    steps.startCampaign(campaign);
    node.createTestProbe()
        .awaitAssert(
            LONG,
            Duration.ofMillis(500),
            () -> {
              long samples = dialSamples(campaign);
              assertTrue(
                  samples >= Pacer.RESOLUTIONS_BEFORE_PREDICTIVE + 20,
                  () -> samples + " DIAL samples; dialer " + steps.dialerStatus(campaign));
              return null;
            });
    assertTrue(
        steps.dialerStatus(campaign).pacingModel().resolutionsSeen()
            >= Pacer.RESOLUTIONS_BEFORE_PREDICTIVE);

    // The node goes away with its dialer; a new node on the same database starts the campaign's
    // dialer again (the supervisor reads campaign_view), which must not be LEARNING.
    node.shutdownTestKit();
    startNode();
    awaitModel(
        campaign,
        s ->
            s.lastDecision() != null
                && s.pacingModel().resolutionsSeen() - s.totals().dials()
                    >= Pacer.RESOLUTIONS_BEFORE_PREDICTIVE);
    node.createTestProbe()
        .awaitAssert(
            LONG,
            Duration.ofMillis(500),
            () -> {
              PacingDecision d = steps.dialerStatus(campaign).lastDecision();
              assertFalse(d.interlocks().contains(PacingDecision.Interlock.LEARNING), d.explain());
              return null;
            });
  }

  private static long dialSamples(String campaign) throws Exception {
    try (Connection c =
            DriverManager.getConnection(database.url(), database.user(), database.password());
        PreparedStatement s =
            c.prepareStatement(
                "SELECT count(*) FROM pacing_sample WHERE campaign_id = ? AND kind = 'DIAL'")) {
      s.setString(1, campaign);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
