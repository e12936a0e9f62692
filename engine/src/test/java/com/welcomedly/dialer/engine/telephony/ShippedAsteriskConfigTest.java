package com.welcomedly.dialer.engine.telephony;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.welcomedly.dialer.engine.campaign.CampaignConfig;
import com.welcomedly.dialer.engine.telephony.AsteriskConf.Step;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Static checks of {@code asterisk-config/} that need no Asterisk: everything the dialplan uses
 * must exist on a stock Asterisk 22 built from source with no extra package (the build of {@code
 * shared/asterisk/build-asterisk.sh}: no sound tarballs, no sample configs). The dialplan parses on
 * such a build even when an application's module config or a sound is missing — the applications
 * then fail at run time (MusicOnHold returns at once, app_amd does not load, Read plays nothing) —
 * so these failures are only visible here or on a live call.
 *
 * <p>Run against another tree with {@code -Dasterisk.config.dir=/path/to/asterisk-config}.
 */
class ShippedAsteriskConfigTest {

  /**
   * Applications of a stock build and the module that provides each; the modules are the ones the
   * build script verifies, or the PBX core (pbx_builtins). An application outside this list may
   * need a module a stock build lacks.
   */
  private static final Map<String, String> STOCK_APPLICATIONS =
      Map.ofEntries(
          Map.entry("Answer", "core"),
          Map.entry("NoOp", "core"),
          Map.entry("Set", "core"),
          Map.entry("Goto", "core"),
          Map.entry("GotoIf", "core"),
          Map.entry("Hangup", "core"),
          Map.entry("Wait", "core"),
          Map.entry("WaitExten", "core"),
          Map.entry("Background", "core"),
          Map.entry("Busy", "core"),
          Map.entry("Congestion", "core"),
          Map.entry("Ringing", "core"),
          Map.entry("Progress", "core"),
          Map.entry("ExecIf", "app_exec"),
          Map.entry("Playback", "app_playback"),
          Map.entry("Read", "app_read"),
          Map.entry("UserEvent", "app_userevent"),
          Map.entry("MixMonitor", "app_mixmonitor"),
          Map.entry("MusicOnHold", "res_musiconhold"),
          Map.entry("AMD", "app_amd"),
          // Built by default (menuselect: extended, enabled); not yet in the build script's list.
          Map.entry("WaitForSilence", "app_waitforsilence"),
          Map.entry("Dial", "app_dial"));

  /** Documented keys of app_amd's {@code [general]} section (amd.conf.sample of Asterisk 22). */
  private static final List<String> AMD_KEYS =
      List.of(
          "initial_silence",
          "greeting",
          "after_greeting_silence",
          "total_analysis_time",
          "min_word_length",
          "between_words_silence",
          "maximum_number_of_words",
          "silence_threshold",
          "maximum_word_length");

  /** Channel variables the engine sets whose value is a sound: checked from the engine's side. */
  private static final Set<String> ENGINE_SOUND_VARIABLES =
      Set.of("DIALER_SAFE_HARBOR_MESSAGE", "DIALER_AGENTLESS_MESSAGE");

  private static final Pattern VARIABLE = Pattern.compile("^\\$\\{([A-Za-z0-9_]+)\\}$");

  private static Path dir;
  private static AsteriskConf dialplan;
  private static Set<String> shippedFiles;

  @BeforeAll
  static void read() {
    dir = Path.of(System.getProperty("asterisk.config.dir", "../asterisk-config"));
    dialplan = AsteriskConf.read(dir.resolve("extensions.conf"));
    Path manifest = dir.resolve("sounds/sounds.conf");
    shippedFiles = new TreeSet<>();
    if (Files.exists(manifest)) {
      AsteriskConf sounds = AsteriskConf.read(manifest);
      sounds.sections().values().forEach(es -> es.forEach(e -> shippedFiles.add(e.key())));
    }
  }

  @Test
  void everyContextTheEngineOriginatesIntoExists() {
    Config contexts = ConfigFactory.load().getConfig("dialer.telephony").getConfig("contexts");
    List<String> missing = new ArrayList<>();
    for (String key : contexts.root().keySet()) {
      String context = contexts.getString(key);
      boolean hasStart =
          dialplan.steps(context).stream()
              .anyMatch(s -> s.exten().equals("s") && s.priority() == 1);
      if (!hasStart) {
        missing.add(key + " -> " + context + ",s,1");
      }
    }
    assertEquals(List.of(), missing, "contexts the engine originates/redirects into");
  }

  @Test
  void everyApplicationIsOneAStockBuildProvides() {
    List<String> unknown = new ArrayList<>();
    forEachStep(
        (context, s) -> {
          if (!STOCK_APPLICATIONS.containsKey(s.app())) {
            unknown.add(context + ": " + s);
          }
        });
    assertEquals(List.of(), unknown, "applications a stock Asterisk 22 may not have");
  }

  @Test
  void musicOnHoldUsesAConfiguredClassWhoseDirectoryHasShippedFiles() {
    List<String> problems = new ArrayList<>();
    Path conf = dir.resolve("musiconhold.conf");
    AsteriskConf moh = Files.exists(conf) ? AsteriskConf.read(conf) : null;
    forEachStep(
        (context, s) -> {
          if (!s.app().equals("MusicOnHold")) {
            return;
          }
          String mohClass = AsteriskConf.args(s.args()).get(0);
          if (moh == null || !moh.has(mohClass)) {
            problems.add(context + ": class '" + mohClass + "' is not in musiconhold.conf: " + s);
            return;
          }
          String mode = moh.value(mohClass, "mode").orElse("");
          String directory = moh.value(mohClass, "directory").orElse("");
          boolean hasFiles = shippedFiles.stream().anyMatch(f -> f.startsWith(directory + "/"));
          if (!mode.equals("files") || directory.isEmpty() || !hasFiles) {
            problems.add(
                context
                    + ": class '"
                    + mohClass
                    + "' (mode "
                    + mode
                    + ", directory '"
                    + directory
                    + "') has no shipped files: "
                    + s);
          }
        });
    assertEquals(List.of(), problems);
  }

  @Test
  void amdHasItsConfigWithEveryDocumentedSetting() {
    List<String> users = new ArrayList<>();
    forEachStep(
        (context, s) -> {
          if (s.app().equals("AMD")) {
            users.add(context);
          }
        });
    if (users.isEmpty()) {
      return;
    }
    Path conf = dir.resolve("amd.conf");
    assertTrue(
        Files.exists(conf), "AMD() is used but amd.conf is not shipped: app_amd will not load");
    AsteriskConf amd = AsteriskConf.read(conf);
    List<String> missing = new ArrayList<>();
    for (String key : AMD_KEYS) {
      if (amd.value("general", key).isEmpty()) {
        missing.add(key);
      }
    }
    assertEquals(List.of(), missing, "amd.conf [general] settings to state explicitly");
  }

  @Test
  void everySoundPlayedIsShippedIncludingTheCampaignDefault() {
    Set<String> played = new LinkedHashSet<>();
    forEachStep(
        (context, s) ->
            soundArgument(s)
                .ifPresent(
                    arg -> {
                      for (String file : arg.split("&")) {
                        played.addAll(resolve(context, file.strip()));
                      }
                    }));
    played.add(CampaignConfig.defaults("Local/{number}@x", "1").safeHarborMessage());
    played.add(CampaignConfig.Agentless.defaults().message());
    List<String> missing = new ArrayList<>();
    for (String sound : played) {
      if (!shippedFiles.contains("sounds/en/" + sound)
          && !shippedFiles.contains("sounds/" + sound)) {
        missing.add(sound);
      }
    }
    assertEquals(List.of(), missing, "sounds played but not in asterisk-config/sounds/sounds.conf");
  }

  @Test
  void noDialplanLoopWithoutAWait() {
    List<String> spinning = new ArrayList<>();
    for (String context : dialplan.sections().keySet()) {
      List<Step> steps = dialplan.steps(context);
      for (Step s : steps) {
        if (!s.app().equals("Goto") && !s.app().equals("GotoIf")) {
          continue;
        }
        for (String target : gotoTargets(s)) {
          Step to =
              steps.stream()
                  .filter(t -> t.exten().equals(s.exten()) && target.equals(t.label()))
                  .findFirst()
                  .orElse(null);
          if (to == null || to.priority() > s.priority()) {
            continue; // forward jump, or out of this extension
          }
          boolean waits =
              steps.stream()
                  .anyMatch(
                      t ->
                          t.exten().equals(s.exten())
                              && t.priority() >= to.priority()
                              && t.priority() < s.priority()
                              && t.app().equals("Wait"));
          if (!waits) {
            spinning.add(context + ": " + s + " loops back to " + to + " with no Wait");
          }
        }
      }
    }
    assertEquals(List.of(), spinning);
  }

  @Test
  void safeHarborReportsWhatReallyPlayed() {
    List<Step> steps =
        dialplan.steps(ConfigFactory.load().getString("dialer.telephony.contexts.safe-harbor"));
    String all = steps.toString();
    assertTrue(
        all.contains("Result: FAILED"),
        "safe harbor must be able to report Result: FAILED when the message did not play");
    assertTrue(
        all.contains("BACKGROUNDSTATUS") || all.contains("PLAYBACKSTATUS"),
        "safe harbor must check the playback status before it reports PLAYED");
  }

  @Test
  void agentlessReportsEveryResultAndWaitsForAnAgentAfterTheTransferKey() {
    List<Step> steps =
        dialplan.steps(ConfigFactory.load().getString("dialer.telephony.contexts.agentless"));
    String all = steps.toString();
    for (String result :
        List.of("TRANSFER", "OPTOUT", "PLAYED", "MESSAGE_LEFT", "MACHINE", "FAILED")) {
      assertTrue(
          all.contains("DialerAgentless,Result: " + result),
          "the agentless context must be able to report Result: " + result);
    }
    assertTrue(
        all.contains("BACKGROUNDSTATUS") && all.contains("PLAYBACKSTATUS"),
        "the agentless context must check the message played before it reports PLAYED or"
            + " MESSAGE_LEFT");
    assertTrue(
        all.contains("${DIALER_TRANSFER_KEY}") && all.contains("${DIALER_OPTOUT_KEY}"),
        "the keys are the campaign's, set by the engine");
    // After TRANSFER the customer must stay in the dialplan (held) until the engine bridges or
    // redirects it, like an answered call of the customer context.
    Step transfer =
        steps.stream().filter(t -> t.args().contains("Result: TRANSFER")).findFirst().orElseThrow();
    assertTrue(
        steps.stream()
            .anyMatch(
                t ->
                    t.exten().equals(transfer.exten())
                        && t.priority() > transfer.priority()
                        && t.app().equals("MusicOnHold")),
        "after the transfer key the customer holds on music on hold");
    // AMD runs only when the engine asks for it, and reports its verdict like dialer-connect-amd.
    assertTrue(all.contains("DIALER_AMD") && all.contains("UserEvent(AMDResult"), all);
  }

  // ------------------------------------------------------------------ helpers

  private interface StepVisitor {
    void visit(String context, Step step);
  }

  private static void forEachStep(StepVisitor visitor) {
    for (String context : dialplan.sections().keySet()) {
      if (context.equals("globals") || context.equals("general")) {
        continue;
      }
      for (Step s : dialplan.steps(context)) {
        visitor.visit(context, s);
        // ExecIf(cond?App(args)): the application it may run is used too.
        if (s.app().equals("ExecIf") && s.args().contains("?")) {
          String call = s.args().substring(s.args().indexOf('?') + 1);
          int paren = call.indexOf('(');
          if (paren > 0) {
            visitor.visit(
                context,
                new Step(
                    s.exten(),
                    s.priority(),
                    s.label(),
                    call.substring(0, paren).strip(),
                    call.substring(paren + 1, call.lastIndexOf(')')),
                    s.line()));
          }
        }
      }
    }
  }

  private static java.util.Optional<String> soundArgument(Step s) {
    List<String> args = AsteriskConf.args(s.args());
    return switch (s.app()) {
      case "Playback", "Background" -> java.util.Optional.of(args.get(0));
      case "Read" ->
          args.size() > 1 && !args.get(1).isEmpty()
              ? java.util.Optional.of(args.get(1))
              : java.util.Optional.empty();
      default -> java.util.Optional.empty();
    };
  }

  /**
   * The literal sound names an argument can take: globals substituted, {@code ${IF(c?a:b)}}
   * expanded to both branches, a variable set in the same context replaced by what it is set to;
   * engine-set variables are left to the engine-side check.
   */
  private static Set<String> resolve(String context, String arg) {
    Map<String, String> vars = new HashMap<>();
    dialplan
        .sections()
        .getOrDefault("globals", List.of())
        .forEach(e -> vars.put(e.key(), e.value()));
    for (Step s : dialplan.steps(context)) {
      if (s.app().equals("Set") && s.args().contains("=")) {
        vars.put(
            s.args().substring(0, s.args().indexOf('=')).strip(),
            s.args().substring(s.args().indexOf('=') + 1).strip());
      }
    }
    Set<String> out = new LinkedHashSet<>();
    resolveInto(arg, vars, out, 0);
    return out;
  }

  private static void resolveInto(
      String arg, Map<String, String> vars, Set<String> out, int depth) {
    if (depth > 5 || arg.isEmpty()) {
      return;
    }
    Matcher var = VARIABLE.matcher(arg);
    if (var.matches()) {
      String value = vars.get(var.group(1));
      if (ENGINE_SOUND_VARIABLES.contains(var.group(1))) {
        return;
      } else if (value == null) {
        out.add(arg);
      } else {
        resolveInto(value, vars, out, depth + 1);
      }
      return;
    }
    if (arg.startsWith("${IF(") && arg.endsWith(")}")) {
      String body = arg.substring("${IF(".length(), arg.length() - 2);
      int question = topLevel(body, '?', 0);
      int colon = question < 0 ? -1 : topLevel(body, ':', question + 1);
      if (question >= 0) {
        resolveInto(
            body.substring(question + 1, colon < 0 ? body.length() : colon).strip(),
            vars,
            out,
            depth + 1);
        if (colon >= 0) {
          resolveInto(body.substring(colon + 1).strip(), vars, out, depth + 1);
        }
        return;
      }
    }
    out.add(arg); // a literal, or something this check cannot resolve: reported as missing
  }

  /** Index of {@code c} outside any {@code ${...}}, {@code $[...]} or parentheses, or -1. */
  private static int topLevel(String s, char c, int from) {
    int depth = 0;
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch == '{' || ch == '[' || ch == '(') {
        depth++;
      } else if (ch == '}' || ch == ']' || ch == ')') {
        depth--;
      } else if (ch == c && depth == 0 && i >= from) {
        return i;
      }
    }
    return -1;
  }

  private static List<String> gotoTargets(Step s) {
    String args = s.args();
    if (s.app().equals("GotoIf")) {
      args = args.substring(args.indexOf('?') + 1);
      List<String> out = new ArrayList<>();
      for (String branch : args.split(":")) {
        if (!branch.isBlank() && !branch.contains(",")) {
          out.add(branch.strip());
        }
      }
      return out;
    }
    return args.contains(",") ? List.of() : List.of(args.strip());
  }
}
