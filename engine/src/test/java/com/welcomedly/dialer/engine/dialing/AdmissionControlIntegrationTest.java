package com.welcomedly.dialer.engine.dialing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import com.welcomedly.dialer.engine.Engine;
import com.welcomedly.dialer.engine.persistence.TestDatabase;
import com.welcomedly.dialer.sim.AmiSimulator;
import com.welcomedly.dialer.sim.SimulatorSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Admission control and the connect deadline through the real parts (node, journal, AMI simulator
 * over TCP): a burst of ready agents is dialed at the admitted rate, never all at once, and the
 * dialer reports its latencies.
 */
@ExtendWith(LogCapturingExtension.class)
class AdmissionControlIntegrationTest {

  // Admission small enough to see: at most 4 originates per second, one at a time.
  private static final int CEILING = 4;
  private static final String BUSY = "+12127300%02d0"; // busy at once (scripted, sim/README.md)

  private static AmiSimulator simulator;
  private static ActorTestKit testKit;
  private static DialingSteps steps;

  @BeforeAll
  static void start() throws Exception {
    simulator =
        AmiSimulator.start(
            SimulatorSettings.defaults().withPort(0).withScriptPrefix("12127").withSeed(18));
    testKit =
        DialingSteps.startNode(
            "admission",
            TestDatabase.fresh("dialer_admission"),
            simulator.port(),
            ConfigFactory.parseMap(
                Map.of(
                    "dialer.dialing.admission.floor-per-second",
                    2,
                    "dialer.dialing.admission.growth-per-second",
                    2.0,
                    "dialer.dialing.admission.ceiling-per-second",
                    CEILING)));
    Cluster cluster = Cluster.get(testKit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    DialingSteps.awaitUp(testKit);
    Engine.init(testKit.system());
    steps = new DialingSteps(testKit);
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
    simulator.close();
  }

  @Test
  void aBurstOfReadyAgentsIsDialedAtTheAdmittedRateNotAllAtOnce() {
    String campaign = "c-burst";
    List<String> agents = IntStream.rangeClosed(1, 8).mapToObj(i -> "burst-agent-" + i).toList();
    steps.createCampaign(campaign, "Burst", DialingSteps.config(Set.copyOf(agents), false));
    List<String> leads = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      String id = "burst-" + i;
      steps.importLead(campaign, id, String.format(Locale.ROOT, BUSY, i), 1);
      leads.add(id);
    }
    agents.forEach(a -> steps.logIn(a, campaign));
    // Eight agents ready at once: progressive wants eight calls at the first decision.
    steps.startCampaign(campaign);

    steps.eventually(
        () -> leads.forEach(id -> assertEquals(1, steps.lead(id).attempts().size(), id)));
    List<Instant> reserved = new ArrayList<>();
    for (String id : leads) {
      reserved.add(steps.lead(id).attempts().get(0).reservedAt());
    }
    // Tokens refill at the ceiling rate and at most one is spent at once: a one-second window
    // holds the ceiling's calls plus the one in hand, however fast the node is.
    // Two more for the jitter between the dialer's asks and the leads' clocks.
    int most = mostWithinOneSecond(reserved);
    assertTrue(most <= CEILING + 2, "at most " + (CEILING + 2) + " per second, saw " + most);
    CampaignDialer.Status status = steps.dialerStatus(campaign);
    assertTrue(status.admissionRate() <= CEILING, "rate " + status.admissionRate());
    assertNotNull(status.latency().get("reserve_lead"), "lead reservations measured");
    assertNotNull(status.latency().get("decision"), "decisions measured");
  }

  private static int mostWithinOneSecond(List<Instant> times) {
    List<Instant> sorted = times.stream().sorted().toList();
    int most = 0;
    for (int i = 0; i < sorted.size(); i++) {
      int j = i;
      while (j < sorted.size()
          && Duration.between(sorted.get(i), sorted.get(j)).compareTo(Duration.ofSeconds(1)) < 0) {
        j++;
      }
      most = Math.max(most, j - i);
    }
    return most;
  }
}
