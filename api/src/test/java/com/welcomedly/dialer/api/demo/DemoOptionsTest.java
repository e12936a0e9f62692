package com.welcomedly.dialer.api.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.welcomedly.dialer.engine.campaign.CampaignConfig.DialMode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DemoOptionsTest {

  /** demo.conf as shipped, without the environment (the test must not depend on it). */
  private static final Config DEFAULTS =
      ConfigFactory.parseResources("demo.conf")
          .resolve(
              com.typesafe.config.ConfigResolveOptions.defaults().setUseSystemEnvironment(false))
          .getConfig("dialer.demo");

  private static DemoOptions parse(String... args) {
    return DemoOptions.parse(List.of(args), DEFAULTS);
  }

  private static String refusal(String... args) {
    return assertThrows(IllegalArgumentException.class, () -> parse(args)).getMessage();
  }

  @Test
  void theDefaultsAreTheIssuesDemo() {
    DemoOptions o = parse();
    assertTrue(o.enabled());
    assertEquals(25, o.agents());
    assertEquals(20_000, o.leads());
    assertEquals(Optional.empty(), o.duration(), "until Ctrl-C");
    assertEquals(10.0, o.timeScale());
    assertEquals(DialMode.PREDICTIVE, o.mode());
    assertEquals(Duration.ofSeconds(5), o.reportEvery());
    assertEquals(12, o.bots().dispositionWeights().get("SALE"));
  }

  @Test
  void flagsOverrideTheConfigInBothSpellings() {
    DemoOptions o =
        parse(
            "--agents",
            "3",
            "--leads=50",
            "--duration",
            "90s",
            "--time-scale=120",
            "--mode",
            "POWER",
            "--report-every",
            "500ms",
            "--seed",
            "7");
    assertEquals(3, o.agents());
    assertEquals(50, o.leads());
    assertEquals(Optional.of(Duration.ofSeconds(90)), o.duration());
    assertEquals(120.0, o.timeScale());
    assertEquals(DialMode.POWER, o.mode());
    assertEquals(Duration.ofMillis(500), o.reportEvery());
    assertEquals(7, o.seed());
  }

  @Test
  void theEnvironmentReachesTheOptionsThroughTheConfig() {
    // demo.conf maps DIALER_DEMO_AGENTS etc. onto these keys; a flag still wins.
    Config env =
        ConfigFactory.parseString("agents = 7, mode = progressive, duration = 2m, enabled = off")
            .withFallback(DEFAULTS);
    DemoOptions o = DemoOptions.parse(List.of("--agents", "4"), env);
    assertEquals(4, o.agents());
    assertEquals(DialMode.PROGRESSIVE, o.mode());
    assertEquals(Optional.of(Duration.ofMinutes(2)), o.duration());
    assertFalse(o.enabled());
    assertTrue(DemoOptions.parse(List.of("--demo"), env).enabled());
  }

  @Test
  void noDemoRunsThePlainNode() {
    assertFalse(parse("--no-demo").enabled());
  }

  @Test
  void durationsTakeUnitsAndABareNumberIsSeconds() {
    assertEquals(Duration.ofSeconds(60), DemoOptions.duration("60", "d"));
    assertEquals(Duration.ofSeconds(90), DemoOptions.duration("1.5m", "d"));
    assertEquals(Duration.ofHours(1), DemoOptions.duration("1h", "d"));
    assertEquals(Duration.ofMillis(250), DemoOptions.duration("250ms", "d"));
  }

  @Test
  void badValuesAreRefusedNamingTheOption() {
    assertEquals(
        "--agents must be a whole number from 1 to 500, got '0'", refusal("--agents", "0"));
    assertTrue(refusal("--leads", "many").startsWith("--leads must be a whole number"));
    assertTrue(refusal("--duration", "-5s").startsWith("--duration must be a positive duration"));
    assertTrue(refusal("--time-scale", "0").startsWith("--time-scale must be a number above 0"));
    assertEquals(
        "--mode must be progressive, power or predictive, got 'preview'",
        refusal("--mode", "preview"));
    assertEquals("--agents needs a value", refusal("--agents"));
    assertEquals("--agents needs a value", refusal("--agents", "--leads", "5"));
    assertEquals(
        "unknown option '--frobnicate' (./dialer --help lists the options)",
        refusal("--frobnicate"));
    assertTrue(refusal("--report-every", "10ms").contains("at least 100ms"));
  }

  @Test
  void badConfigValuesNameTheirKey() {
    Config bad = ConfigFactory.parseString("time-scale = fast").withFallback(DEFAULTS);
    String message =
        assertThrows(IllegalArgumentException.class, () -> DemoOptions.parse(List.of(), bad))
            .getMessage();
    assertTrue(message.startsWith("dialer.demo.time-scale must be a number"), message);
    Config onOff = ConfigFactory.parseString("enabled = maybe").withFallback(DEFAULTS);
    assertThrows(IllegalArgumentException.class, () -> DemoOptions.parse(List.of(), onOff));
  }

  @Test
  void botsGiveOnlyAgentDispositions() {
    Config dialerCode =
        ConfigFactory.parseString("bots.dispositions { BUSY = 3 }").withFallback(DEFAULTS);
    String message =
        assertThrows(IllegalArgumentException.class, () -> DemoOptions.parse(List.of(), dialerCode))
            .getMessage();
    assertTrue(message.startsWith("dialer.demo.bots.dispositions.BUSY: must be one of"), message);
  }

  @Test
  void simulatedAndRealTimeConvertByTheTimeScale() {
    DemoOptions o = parse("--time-scale", "60");
    assertEquals(Duration.ofMinutes(1), o.real(Duration.ofHours(1)));
    assertEquals(Duration.ofHours(1), o.simulated(Duration.ofMinutes(1)));
    assertTrue(DemoOptions.helpRequested(List.of("--agents", "2", "--help")));
  }
}
