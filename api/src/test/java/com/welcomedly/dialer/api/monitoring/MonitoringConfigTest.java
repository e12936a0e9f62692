package com.welcomedly.dialer.api.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The monitoring files in {@code deploy/} checked with the real tools: {@code promtool check
 * rules}, {@code promtool test rules} (one test case per alert), {@code promtool check config}, the
 * Grafana dashboard's JSON and every PromQL expression in it ({@code promtool check rules} on a
 * generated rule file of the panel expressions), and every {@code dialer_*} metric the alerts and
 * the dashboard use is one docs/metrics.md documents (the Kamon test checks the node exports them).
 *
 * <p>promtool comes from the Debian package {@code prometheus} ({@code .ci/run} installs it). A
 * missing promtool fails the test; only {@code DIALER_SKIP_PROMTOOL=true} (local development) skips
 * the promtool parts.
 */
class MonitoringConfigTest {

  private static final Path DEPLOY = Path.of("..", "deploy").toAbsolutePath().normalize();
  private static final Path DOCS = Path.of("..", "docs").toAbsolutePath().normalize();
  private static final Path WORK = Path.of("target", "monitoring").toAbsolutePath();
  private static final Pattern METRIC = Pattern.compile("\\b(dialer_[a-z0-9_]+)");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  private static String promtool;

  @BeforeAll
  static void findPromtool() throws IOException {
    Files.createDirectories(WORK);
    String configured = System.getenv("PROMTOOL");
    promtool = configured != null && !configured.isBlank() ? configured : "promtool";
  }

  @Test
  void theAlertRulesAreValid() throws Exception {
    promtool("check", "rules", DEPLOY.resolve("prometheus/alerts.yml").toString());
  }

  @Test
  void everyAlertHasAPassingRuleUnitTest() throws Exception {
    Path tests = DEPLOY.resolve("prometheus/tests/alerts_test.yml");
    Set<String> alerts = new TreeSet<>();
    for (JsonNode group :
        YAML.readTree(DEPLOY.resolve("prometheus/alerts.yml").toFile()).get("groups")) {
      for (JsonNode rule : group.get("rules")) {
        if (rule.has("alert")) {
          alerts.add(rule.get("alert").asText());
        }
      }
    }
    Set<String> tested = new TreeSet<>();
    for (JsonNode test : YAML.readTree(tests.toFile()).get("tests")) {
      for (JsonNode check : test.path("alert_rule_test")) {
        if (check.path("exp_alerts").size() > 0) {
          tested.add(check.get("alertname").asText());
        }
      }
    }
    assertEquals(alerts, tested, "every alert has a test case in which it fires");
    promtool("test", "rules", tests.toString());
  }

  /**
   * The scrape config, with the Kubernetes job left out of the promtool check: Debian's promtool is
   * built without Kubernetes service discovery and rejects {@code kubernetes_sd_configs}.
   */
  @Test
  void thePrometheusConfigIsValid() throws Exception {
    ObjectNode config = (ObjectNode) YAML.readTree(DEPLOY.resolve("prometheus.yml").toFile());
    ArrayNode rules = config.putArray("rule_files");
    for (JsonNode file :
        YAML.readTree(DEPLOY.resolve("prometheus.yml").toFile()).get("rule_files")) {
      rules.add(DEPLOY.resolve(file.asText()).toString());
    }
    ArrayNode jobs = (ArrayNode) config.get("scrape_configs");
    for (int i = jobs.size() - 1; i >= 0; i--) {
      if (jobs.get(i).has("kubernetes_sd_configs")) {
        jobs.remove(i);
      }
    }
    assertFalse(jobs.isEmpty());
    Path checked = WORK.resolve("prometheus.yml");
    YAML.writeValue(checked.toFile(), config);
    promtool("check", "config", checked.toString());
  }

  @Test
  void theDashboardIsValidJsonWithAPanelForEachConcern() throws Exception {
    JsonNode dashboard = JSON.readTree(DEPLOY.resolve("grafana/dashboards/dialer.json").toFile());
    assertEquals("welcomedly-dialer", dashboard.get("uid").asText());
    Set<String> titles = new TreeSet<>();
    for (JsonNode panel : dashboard.get("panels")) {
      titles.add(panel.get("title").asText());
      assertTrue(panel.get("targets").size() > 0, panel.get("title") + " has queries");
      assertEquals(
          "dialer-prometheus",
          panel.at("/datasource/uid").asText(),
          panel.get("title") + " uses the provisioned datasource");
    }
    for (String concern :
        List.of(
            "Campaign funnel",
            "Abandon rate vs cap",
            "Agent occupancy",
            "Agents by state",
            "Answer to bridge latency",
            "AMI health")) {
      assertTrue(
          titles.stream().anyMatch(t -> t.startsWith(concern)), concern + " panel in " + titles);
    }
    String datasources =
        Files.readString(DEPLOY.resolve("grafana/provisioning/datasources/prometheus.yml"));
    assertTrue(datasources.contains("uid: dialer-prometheus"));
  }

  /** Every panel expression parses: as recording rules in a generated rule file. */
  @Test
  void everyDashboardExpressionParses() throws Exception {
    ObjectNode file = YAML.createObjectNode();
    ArrayNode rules =
        file.putArray("groups").addObject().put("name", "dashboard").putArray("rules");
    int i = 0;
    for (String expr : dashboardExpressions()) {
      rules
          .addObject()
          .put("record", "dashboard:panel_expression_" + i++)
          .put("expr", expr.replace("$campaign", ".*"));
    }
    Path generated = WORK.resolve("dashboard-expressions.yml");
    YAML.writeValue(generated.toFile(), file);
    promtool("check", "rules", generated.toString());
  }

  @Test
  void everyMetricTheAlertsAndTheDashboardUseIsDocumented() throws Exception {
    Set<String> documented = documentedMetrics();
    Set<String> used = new TreeSet<>();
    dashboardExpressions().forEach(e -> used.addAll(metrics(e)));
    used.addAll(metrics(Files.readString(DEPLOY.resolve("prometheus/alerts.yml"))));
    assertFalse(used.isEmpty());
    for (String metric : used) {
      assertTrue(
          documented.contains(baseName(metric)),
          metric + " is used by deploy/ but not documented in docs/metrics.md");
    }
  }

  /**
   * No instrument is labelled with a lead, attempt, call or agent id: every {@code withTag} key in
   * the code is one of the bounded label constants docs/metrics.md lists, and only {@code *Metrics}
   * classes create instruments.
   */
  @Test
  void noInstrumentIsLabelledWithAnUnboundedId() throws Exception {
    Set<String> allowed =
        Set.of(
            "CAMPAIGN",
            "OUTCOME",
            "WINDOW",
            "STATE",
            "REASON",
            "ACTION",
            "RESULT",
            "ENTITY",
            "KIND",
            "PROJECTION",
            "SUMMARIZER",
            "STEP");
    Pattern withTag = Pattern.compile("\\.withTag\\(\\s*([A-Za-z_.\"]+)");
    Pattern instrument = Pattern.compile("Kamon\\.(counter|gauge|histogram|timer|rangeSampler)\\(");
    List<String> problems = new ArrayList<>();
    for (Path root :
        List.of(Path.of("..", "engine", "src", "main", "java"), Path.of("src", "main", "java"))) {
      try (var files = Files.walk(root)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
          String source = Files.readString(file);
          Matcher tags = withTag.matcher(source);
          while (tags.find()) {
            String key = tags.group(1);
            String constant = key.substring(key.lastIndexOf('.') + 1);
            if (!allowed.contains(constant)) {
              problems.add(file.getFileName() + ": label " + key);
            }
          }
          if (instrument.matcher(source).find()
              && !file.getFileName().toString().endsWith("Metrics.java")) {
            problems.add(file.getFileName() + ": instrument outside a *Metrics class");
          }
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  /** The {@code dialer_*} names in docs/metrics.md's tables (first column). */
  static Set<String> documentedMetrics() throws IOException {
    Set<String> names = new TreeSet<>();
    for (String line : Files.readAllLines(DOCS.resolve("metrics.md"))) {
      if (line.startsWith("| `dialer_")) {
        names.add(line.substring(3, line.indexOf('`', 3)));
      }
    }
    return names;
  }

  /** A series name without the suffix Prometheus adds to a histogram's buckets, sum and count. */
  static String baseName(String metric) {
    return metric.replaceAll("_(bucket|sum|count)$", "");
  }

  static Set<String> metrics(String text) {
    Set<String> names = new TreeSet<>();
    Matcher m = METRIC.matcher(text);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  private static List<String> dashboardExpressions() throws IOException {
    JsonNode dashboard = JSON.readTree(DEPLOY.resolve("grafana/dashboards/dialer.json").toFile());
    List<String> expressions = new ArrayList<>();
    for (JsonNode panel : dashboard.get("panels")) {
      for (JsonNode target : panel.get("targets")) {
        expressions.add(target.get("expr").asText());
      }
    }
    return expressions;
  }

  private static void promtool(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(promtool);
    command.addAll(List.of(args));
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      Assumptions.assumeFalse(
          "true".equalsIgnoreCase(System.getenv("DIALER_SKIP_PROMTOOL")),
          "promtool missing, skipped because DIALER_SKIP_PROMTOOL=true");
      fail(
          "promtool not found ("
              + e.getMessage()
              + "): install the Debian package 'prometheus' (.ci/run does), set PROMTOOL to its"
              + " path, or DIALER_SKIP_PROMTOOL=true to skip locally");
      return;
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "promtool finished");
    assertEquals(0, process.exitValue(), String.join(" ", command) + " failed:\n" + output);
  }
}
