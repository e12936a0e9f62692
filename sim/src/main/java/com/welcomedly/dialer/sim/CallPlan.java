package com.welcomedly.dialer.sim;

import java.util.SplittableRandom;

/**
 * What the far end of one dialled number will do, decided when the Originate arrives.
 *
 * <p><b>Scripted numbers</b> (for exact tests): {@code <prefix><O><RR><TT><anything>} with the
 * default prefix {@code 99}:
 *
 * <ul>
 *   <li>{@code O} outcome: 1 human answers, 2 answering machine, 3 busy, 4 no answer (callee gives
 *       up after the ring time with cause 19; ring time 00 rings until the Originate timeout), 5
 *       congestion, 6 unallocated number (cause 1), 7 call rejected (cause 21), 8 no such extension
 *       (Originate fails at once, cause 0), 9 human who presses the opt-out digit in safe harbor
 *       (and the campaign's opt-out key in an agentless message), 0 human who presses the key
 *       {@code K} — the digit after {@code TT} — during an agentless message.
 *   <li>{@code RR} ring time in tenths of a simulated second ({@code 25} = 2.5 s).
 *   <li>{@code TT} talk time in simulated seconds after answer, then the callee hangs up; {@code
 *       00} = never hangs up by itself.
 * </ul>
 *
 * Example: {@code 9912005…} answers after 2.0 s and hangs up 5 s later; {@code 993000…} is busy at
 * once. A leading {@code +} is ignored, so with prefix {@code 12127} the valid US number {@code
 * +12127110050} is scripted too. Other numbers draw from the population model with a random seeded
 * by (seed, number, how often that number was dialled), so runs are reproducible whatever the
 * interleaving of calls.
 */
record CallPlan(
    Outcome outcome,
    double ringSeconds,
    double talkSeconds,
    boolean optOut,
    boolean responseFirst,
    String key) {

  /** A plan without a key to press in an agentless message. */
  CallPlan(
      Outcome outcome,
      double ringSeconds,
      double talkSeconds,
      boolean optOut,
      boolean responseFirst) {
    this(outcome, ringSeconds, talkSeconds, optOut, responseFirst, null);
  }

  enum Outcome {
    HUMAN,
    MACHINE,
    BUSY,
    NO_ANSWER,
    CONGESTION,
    UNALLOCATED,
    REJECTED,
    NO_SUCH_NUMBER
  }

  static CallPlan plan(String dialled, int dialCount, SimulatorSettings settings) {
    // Carriers get E.164 with its '+': a script is read from the digits, so a valid number such as
    // +12127110050 (prefix 12127) can be scripted too.
    String number = dialled.startsWith("+") ? dialled.substring(1) : dialled;
    SplittableRandom random =
        new SplittableRandom(settings.seed() * 1_000_003L + number.hashCode() * 31L + dialCount);
    boolean responseFirst = random.nextBoolean();
    String prefix = settings.scriptPrefix();
    if (!prefix.isEmpty()
        && number.startsWith(prefix)
        && number.length() >= prefix.length() + 5
        && number.chars().allMatch(Character::isDigit)) {
      int o = number.charAt(prefix.length()) - '0';
      double ring =
          Integer.parseInt(number.substring(prefix.length() + 1, prefix.length() + 3)) / 10.0;
      double talk = Integer.parseInt(number.substring(prefix.length() + 3, prefix.length() + 5));
      String key = null;
      if (o == 0) {
        if (number.length() < prefix.length() + 6) {
          return new CallPlan(Outcome.NO_SUCH_NUMBER, 0, 0, false, responseFirst);
        }
        key = number.substring(prefix.length() + 5, prefix.length() + 6);
      }
      Outcome outcome =
          switch (o) {
            case 0, 1, 9 -> Outcome.HUMAN;
            case 2 -> Outcome.MACHINE;
            case 3 -> Outcome.BUSY;
            case 4 -> Outcome.NO_ANSWER;
            case 5 -> Outcome.CONGESTION;
            case 6 -> Outcome.UNALLOCATED;
            case 7 -> Outcome.REJECTED;
            default -> Outcome.NO_SUCH_NUMBER;
          };
      if (outcome == Outcome.NO_ANSWER && ring == 0) {
        ring = Double.POSITIVE_INFINITY;
      }
      return new CallPlan(outcome, ring, talk, o == 9, responseFirst, key);
    }
    double[] weights = {
      settings.liveAnswer(),
      settings.machine(),
      settings.busy(),
      settings.noAnswer(),
      settings.congestion(),
      settings.invalidNumber()
    };
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    double pick = random.nextDouble() * total;
    int index = 0;
    while (index < weights.length - 1 && pick >= weights[index]) {
      pick -= weights[index];
      index++;
    }
    double ring = lognormal(random, settings.ringMedianSeconds(), settings.ringSigma());
    double talk = lognormal(random, settings.talkMedianSeconds(), settings.talkSigma());
    boolean optOut = random.nextDouble() < settings.optOutProbability();
    return switch (index) {
      case 0 -> new CallPlan(Outcome.HUMAN, ring, talk, optOut, responseFirst);
      case 1 -> new CallPlan(Outcome.MACHINE, ring, Math.min(talk, 30), false, responseFirst);
      case 2 -> new CallPlan(Outcome.BUSY, Math.min(ring, 2), 0, false, responseFirst);
      case 3 ->
          new CallPlan(
              Outcome.NO_ANSWER, settings.noAnswerGiveUpSeconds(), 0, false, responseFirst);
      case 4 -> new CallPlan(Outcome.CONGESTION, 0.1, 0, false, responseFirst);
      default ->
          new CallPlan(
              random.nextBoolean() ? Outcome.UNALLOCATED : Outcome.REJECTED,
              0.2,
              0,
              false,
              responseFirst);
    };
  }

  private static double lognormal(SplittableRandom random, double median, double sigma) {
    // Box-Muller: the SplittableRandom has no nextGaussian on Java 17.
    double u1 = 1.0 - random.nextDouble();
    double u2 = random.nextDouble();
    double gaussian = Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    return median * Math.exp(sigma * gaussian);
  }
}
