package com.welcomedly.dialer.sim;

/**
 * Everything the simulator needs to know, immutable. Durations are in <em>simulated</em> seconds;
 * {@link #timeScale()} divides them into wall-clock time (60 = a simulated hour per real minute).
 *
 * <p>Population model: the probabilities of each outcome for numbers that are not scripted (they
 * are normalised, so they need not add up to 1), lognormal ring and talk times given by their
 * median and the sigma of the underlying normal distribution.
 *
 * <p>Agentless calls (Originate into {@link #agentlessContext()}): a person presses a key {@link
 * #keypressSeconds()} after the answer, the message and leaving it on a machine take {@link
 * #messageSeconds()}.
 */
public record SimulatorSettings(
    int port,
    String username,
    String secret,
    long seed,
    double timeScale,
    String scriptPrefix,
    String customerContext,
    String agentContext,
    String amdContext,
    String safeHarborContext,
    String agentlessContext,
    double liveAnswer,
    double machine,
    double busy,
    double noAnswer,
    double congestion,
    double invalidNumber,
    double ringMedianSeconds,
    double ringSigma,
    double talkMedianSeconds,
    double talkSigma,
    double noAnswerGiveUpSeconds,
    double agentAnswerSeconds,
    double amdSeconds,
    double safeHarborSeconds,
    double optOutProbability,
    double keypressSeconds,
    double messageSeconds) {

  /** Defaults roughly like a consumer list: 30 % reach a person, rings of a few seconds. */
  public static SimulatorSettings defaults() {
    return new SimulatorSettings(
        5038,
        "dialer",
        "dialer",
        42L,
        1.0,
        "99",
        "sim-customer",
        "dialer-agent",
        "dialer-connect-amd",
        "dialer-safe-harbor",
        "dialer-agentless",
        0.30,
        0.15,
        0.10,
        0.30,
        0.05,
        0.10,
        6.0,
        0.5,
        90.0,
        0.8,
        25.0,
        0.3,
        2.5,
        8.0,
        0.05,
        3.0,
        8.0);
  }

  public SimulatorSettings withPort(int newPort) {
    return new SimulatorSettings(
        newPort,
        username,
        secret,
        seed,
        timeScale,
        scriptPrefix,
        customerContext,
        agentContext,
        amdContext,
        safeHarborContext,
        agentlessContext,
        liveAnswer,
        machine,
        busy,
        noAnswer,
        congestion,
        invalidNumber,
        ringMedianSeconds,
        ringSigma,
        talkMedianSeconds,
        talkSigma,
        noAnswerGiveUpSeconds,
        agentAnswerSeconds,
        amdSeconds,
        safeHarborSeconds,
        optOutProbability,
        keypressSeconds,
        messageSeconds);
  }

  public SimulatorSettings withTimeScale(double newTimeScale) {
    return new SimulatorSettings(
        port,
        username,
        secret,
        seed,
        newTimeScale,
        scriptPrefix,
        customerContext,
        agentContext,
        amdContext,
        safeHarborContext,
        agentlessContext,
        liveAnswer,
        machine,
        busy,
        noAnswer,
        congestion,
        invalidNumber,
        ringMedianSeconds,
        ringSigma,
        talkMedianSeconds,
        talkSigma,
        noAnswerGiveUpSeconds,
        agentAnswerSeconds,
        amdSeconds,
        safeHarborSeconds,
        optOutProbability,
        keypressSeconds,
        messageSeconds);
  }

  public SimulatorSettings withSeed(long newSeed) {
    return new SimulatorSettings(
        port,
        username,
        secret,
        newSeed,
        timeScale,
        scriptPrefix,
        customerContext,
        agentContext,
        amdContext,
        safeHarborContext,
        agentlessContext,
        liveAnswer,
        machine,
        busy,
        noAnswer,
        congestion,
        invalidNumber,
        ringMedianSeconds,
        ringSigma,
        talkMedianSeconds,
        talkSigma,
        noAnswerGiveUpSeconds,
        agentAnswerSeconds,
        amdSeconds,
        safeHarborSeconds,
        optOutProbability,
        keypressSeconds,
        messageSeconds);
  }

  /** Numbers starting with this prefix (after an optional '+') follow their script. */
  public SimulatorSettings withScriptPrefix(String newPrefix) {
    return new SimulatorSettings(
        port,
        username,
        secret,
        seed,
        timeScale,
        newPrefix,
        customerContext,
        agentContext,
        amdContext,
        safeHarborContext,
        agentlessContext,
        liveAnswer,
        machine,
        busy,
        noAnswer,
        congestion,
        invalidNumber,
        ringMedianSeconds,
        ringSigma,
        talkMedianSeconds,
        talkSigma,
        noAnswerGiveUpSeconds,
        agentAnswerSeconds,
        amdSeconds,
        safeHarborSeconds,
        optOutProbability,
        keypressSeconds,
        messageSeconds);
  }

  public SimulatorSettings withCredentials(String newUsername, String newSecret) {
    return new SimulatorSettings(
        port,
        newUsername,
        newSecret,
        seed,
        timeScale,
        scriptPrefix,
        customerContext,
        agentContext,
        amdContext,
        safeHarborContext,
        agentlessContext,
        liveAnswer,
        machine,
        busy,
        noAnswer,
        congestion,
        invalidNumber,
        ringMedianSeconds,
        ringSigma,
        talkMedianSeconds,
        talkSigma,
        noAnswerGiveUpSeconds,
        agentAnswerSeconds,
        amdSeconds,
        safeHarborSeconds,
        optOutProbability,
        keypressSeconds,
        messageSeconds);
  }

  /** Wall-clock milliseconds for a simulated duration. */
  long realMillis(double simulatedSeconds) {
    return Math.max(0L, Math.round(simulatedSeconds * 1000.0 / timeScale));
  }
}
