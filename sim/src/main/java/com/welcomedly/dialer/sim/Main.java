package com.welcomedly.dialer.sim;

import java.util.concurrent.CountDownLatch;

/**
 * Standalone simulator: {@code java -cp sim/target/classes com.welcomedly.dialer.sim.Main [--port
 * 5038] [--seed 42] [--time-scale 1] [--user dialer] [--secret dialer]}. Runs until killed.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    SimulatorSettings settings = SimulatorSettings.defaults();
    for (int i = 0; i + 1 < args.length; i += 2) {
      String value = args[i + 1];
      settings =
          switch (args[i]) {
            case "--port" -> settings.withPort(Integer.parseInt(value));
            case "--seed" -> settings.withSeed(Long.parseLong(value));
            case "--time-scale" -> settings.withTimeScale(Double.parseDouble(value));
            case "--user" -> settings.withCredentials(value, settings.secret());
            case "--secret" -> settings.withCredentials(settings.username(), value);
            default -> throw new IllegalArgumentException("unknown option " + args[i]);
          };
    }
    AmiSimulator simulator = AmiSimulator.start(settings);
    Runtime.getRuntime().addShutdownHook(new Thread(simulator::close));
    System.out.println(
        "AMI simulator (Asterisk 22 behaviour) listening on 127.0.0.1:"
            + simulator.port()
            + " user="
            + settings.username()
            + " seed="
            + settings.seed()
            + " time-scale="
            + settings.timeScale());
    new CountDownLatch(1).await();
  }
}
