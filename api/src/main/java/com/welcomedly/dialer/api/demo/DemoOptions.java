package com.welcomedly.dialer.api.demo;

import com.typesafe.config.Config;
import com.welcomedly.dialer.engine.campaign.CampaignConfig.DialMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the demo runs: {@code dialer.demo} (demo.conf, with its environment variables) overridden by
 * the command line. Every bad value is refused with the flag or key it came from, before anything
 * starts.
 *
 * @param duration how long the demo runs before the node stops; empty: until Ctrl-C
 * @param timeScale simulated seconds per real second
 */
public record DemoOptions(
    boolean enabled,
    int agents,
    int leads,
    Optional<Duration> duration,
    double timeScale,
    DialMode mode,
    Duration reportEvery,
    long seed,
    BotSettings bots) {

  static final int MAX_AGENTS = 500;
  static final int MAX_LEADS = 1_000_000;
  static final double MAX_TIME_SCALE = 3600;

  public static final String USAGE =
      String.join(
          "\n",
          "Usage: ./dialer [options]",
          "Runs a Welcomedly Dialer node; by default also the demo: the built-in AMI simulator,",
          "simulated agents and a generated campaign, with a progress line every few seconds.",
          "",
          "  --agents N          simulated agents (default 25; DIALER_DEMO_AGENTS)",
          "  --leads N           generated leads (default 20000; DIALER_DEMO_LEADS)",
          "  --duration D        stop the node after D, e.g. 90s, 10m, 1h (default: until Ctrl-C;",
          "                      DIALER_DEMO_DURATION)",
          "  --time-scale X      simulated seconds per real second (default 10: an hour in six minutes;",
          "                      DIALER_DEMO_TIME_SCALE)",
          "  --mode M            progressive | power | predictive (default predictive;"
              + " DIALER_DEMO_MODE)",
          "  --report-every D    progress line interval (default 5s)",
          "  --seed N            seed of the simulator, the numbers and the agents (default 42)",
          "  --no-demo           the plain node: no simulator, no campaign (or DIALER_DEMO=off)",
          "  --help              this text",
          "Every node setting comes from the environment: see README.md, Configuration.");

  private static final Pattern DURATION =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?", Pattern.CASE_INSENSITIVE);

  /** The config's values (keys of {@code dialer.demo}) overridden by {@code args}. */
  public static DemoOptions parse(List<String> args, Config demo) {
    Builder b = new Builder();
    b.enabled = onOff(demo.getString("enabled"), "dialer.demo.enabled (DIALER_DEMO)");
    b.agents = wholeNumber(demo.getString("agents"), "dialer.demo.agents", 1, MAX_AGENTS);
    b.leads = wholeNumber(demo.getString("leads"), "dialer.demo.leads", 1, MAX_LEADS);
    String duration = demo.getString("duration");
    b.duration =
        duration.isBlank()
            ? Optional.empty()
            : Optional.of(duration(duration, "dialer.demo.duration"));
    b.timeScale = timeScale(demo.getString("time-scale"), "dialer.demo.time-scale");
    b.mode = mode(demo.getString("mode"), "dialer.demo.mode");
    b.reportEvery = demo.getDuration("report-every");
    b.seed = demo.getLong("seed");
    BotSettings bots = BotSettings.fromConfig(demo.getConfig("bots"));

    List<String> rest = new ArrayList<>(args);
    while (!rest.isEmpty()) {
      String arg = rest.remove(0);
      String name = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      switch (name) {
        case "--no-demo" -> b.enabled = false;
        case "--demo" -> b.enabled = true;
        case "--agents" -> b.agents = wholeNumber(value(name, value, rest), name, 1, MAX_AGENTS);
        case "--leads" -> b.leads = wholeNumber(value(name, value, rest), name, 1, MAX_LEADS);
        case "--duration" -> b.duration = Optional.of(duration(value(name, value, rest), name));
        case "--time-scale" -> b.timeScale = timeScale(value(name, value, rest), name);
        case "--mode" -> b.mode = mode(value(name, value, rest), name);
        case "--report-every" -> b.reportEvery = duration(value(name, value, rest), name);
        case "--seed" -> b.seed = seed(value(name, value, rest), name);
        default ->
            throw new IllegalArgumentException(
                "unknown option '" + arg + "' (./dialer --help lists the options)");
      }
    }
    if (b.reportEvery.compareTo(Duration.ofMillis(100)) < 0) {
      throw new IllegalArgumentException("--report-every must be at least 100ms");
    }
    return new DemoOptions(
        b.enabled, b.agents, b.leads, b.duration, b.timeScale, b.mode, b.reportEvery, b.seed, bots);
  }

  /** True when {@code args} ask for the usage text. */
  public static boolean helpRequested(List<String> args) {
    return args.contains("--help") || args.contains("-h");
  }

  /** A copy with another time scale (tests run faster than the demo's default). */
  public DemoOptions withTimeScale(double newTimeScale) {
    return new DemoOptions(
        enabled, agents, leads, duration, newTimeScale, mode, reportEvery, seed, bots);
  }

  /** Wall-clock time for a simulated duration. */
  public Duration real(Duration simulated) {
    return Duration.ofNanos(Math.round(simulated.toNanos() / timeScale));
  }

  /** Simulated time for a wall-clock duration. */
  public Duration simulated(Duration real) {
    return Duration.ofNanos(Math.round(real.toNanos() * timeScale));
  }

  private static String value(String name, String inline, List<String> rest) {
    if (inline != null) {
      return inline;
    }
    if (rest.isEmpty() || rest.get(0).startsWith("--")) {
      throw new IllegalArgumentException(name + " needs a value");
    }
    return rest.remove(0);
  }

  private static boolean onOff(String value, String source) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "on", "true", "yes", "1" -> true;
      case "off", "false", "no", "0" -> false;
      default ->
          throw new IllegalArgumentException(source + " must be on or off, got '" + value + "'");
    };
  }

  static int wholeNumber(String value, String source, int min, int max) {
    try {
      int n = Integer.parseInt(value.trim().replace("_", ""));
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below with the allowed range
    }
    throw new IllegalArgumentException(
        source + " must be a whole number from " + min + " to " + max + ", got '" + value + "'");
  }

  /** {@code 90s}, {@code 10m}, {@code 1h}, {@code 500ms}; a bare number is seconds. */
  static Duration duration(String value, String source) {
    Matcher m = DURATION.matcher(value.trim());
    if (m.matches()) {
      double amount = Double.parseDouble(m.group(1));
      String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
      double millis =
          switch (unit) {
            case "ms" -> amount;
            case "m" -> amount * 60_000;
            case "h" -> amount * 3_600_000;
            default -> amount * 1000;
          };
      if (millis >= 1) {
        return Duration.ofMillis(Math.round(millis));
      }
    }
    throw new IllegalArgumentException(
        source + " must be a positive duration such as 90s, 10m or 1h, got '" + value + "'");
  }

  private static double timeScale(String value, String source) {
    try {
      double x = Double.parseDouble(value.trim());
      if (x > 0 && x <= MAX_TIME_SCALE) {
        return x;
      }
    } catch (NumberFormatException e) {
      // reported below with the allowed range
    }
    throw new IllegalArgumentException(
        source
            + " must be a number above 0 and at most "
            + (int) MAX_TIME_SCALE
            + ", got '"
            + value
            + "'");
  }

  private static DialMode mode(String value, String source) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "progressive" -> DialMode.PROGRESSIVE;
      case "power" -> DialMode.POWER;
      case "predictive" -> DialMode.PREDICTIVE;
      default ->
          throw new IllegalArgumentException(
              source + " must be progressive, power or predictive, got '" + value + "'");
    };
  }

  private static long seed(String value, String source) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(source + " must be a whole number, got '" + value + "'");
    }
  }

  /** Mutable only while parsing. */
  private static final class Builder {
    boolean enabled;
    int agents;
    int leads;
    Optional<Duration> duration;
    double timeScale;
    DialMode mode;
    Duration reportEvery;
    long seed;
  }
}
