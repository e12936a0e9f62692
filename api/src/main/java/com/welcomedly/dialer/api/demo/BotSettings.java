package com.welcomedly.dialer.api.demo;

import com.typesafe.config.Config;
import com.welcomedly.dialer.engine.campaign.Disposition;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * How the simulated agents behave ({@code dialer.demo.bots}). Times marked simulated are divided by
 * the demo's time scale; the heartbeat and polling run in real time, as a real client's would.
 *
 * @param dispositionWeights relative weight of each disposition code bots give a connected call
 */
public record BotSettings(
    double wrapMedianSeconds,
    double wrapSigma,
    Duration heartbeatTimeout,
    Duration heartbeatInterval,
    Duration pollInterval,
    double breakProbability,
    double breakMinutes,
    double callbackHours,
    double callbackAgentOnlyShare,
    Map<String, Integer> dispositionWeights) {

  /** Agent dispositions only: the dialer's own codes (BUSY, DROPPED, ...) are not an agent's. */
  private static final Set<String> AGENT_CODES =
      Disposition.DEFAULTS.stream()
          .filter(Disposition::humanAnswered)
          .map(Disposition::code)
          .filter(code -> !code.equals(Disposition.DROPPED))
          .collect(Collectors.toSet());

  public BotSettings {
    dispositionWeights = Map.copyOf(dispositionWeights);
    if (!heartbeatInterval.minus(heartbeatTimeout).isNegative()) {
      throw new IllegalArgumentException(
          "dialer.demo.bots.heartbeat-interval must be shorter than heartbeat-timeout");
    }
    if (dispositionWeights.isEmpty()) {
      throw new IllegalArgumentException("dialer.demo.bots.dispositions needs at least one code");
    }
    dispositionWeights.forEach(
        (code, weight) -> {
          if (!AGENT_CODES.contains(code) || weight < 0) {
            throw new IllegalArgumentException(
                "dialer.demo.bots.dispositions."
                    + code
                    + ": must be one of "
                    + String.join(", ", new TreeSet<>(AGENT_CODES))
                    + " with a weight >= 0");
          }
        });
  }

  public static BotSettings fromConfig(Config bots) {
    Map<String, Integer> weights = new LinkedHashMap<>();
    Config dispositions = bots.getConfig("dispositions");
    dispositions.root().keySet().forEach(code -> weights.put(code, dispositions.getInt(code)));
    return new BotSettings(
        bots.getDouble("wrap-median-seconds"),
        bots.getDouble("wrap-sigma"),
        bots.getDuration("heartbeat-timeout"),
        bots.getDuration("heartbeat-interval"),
        bots.getDuration("poll-interval"),
        bots.getDouble("break-probability"),
        bots.getDouble("break-minutes"),
        bots.getDouble("callback-hours"),
        bots.getDouble("callback-agent-only-share"),
        weights);
  }
}
