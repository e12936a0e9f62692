package com.welcomedly.dialer.api.demo;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.welcomedly.dialer.sim.AmiSimulator;
import com.welcomedly.dialer.sim.SimulatorSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.ServerBinding;

/**
 * The demo as {@code Main} sees it: read the options, start the AMI simulator and point the node's
 * AMI gateway at it before the ActorSystem exists, start the run once the node is up, close the
 * simulator when the node is gone. With the demo off every step does nothing.
 */
public final class Demo implements AutoCloseable {

  private final DemoOptions options;
  private final Consumer<String> printer;
  private AmiSimulator simulator;

  private Demo(DemoOptions options, Consumer<String> printer) {
    this.options = options;
    this.printer = printer;
  }

  /**
   * The demo the command line and {@code dialer.demo} ask for. {@code --help} prints the usage and
   * exits; a bad option prints what is wrong and exits with status 2, before anything starts.
   */
  public static Demo fromCommandLine(String[] args, Config config) {
    List<String> arguments = List.of(args);
    if (DemoOptions.helpRequested(arguments)) {
      System.out.println(DemoOptions.USAGE);
      System.exit(0);
    }
    try {
      return new Demo(
          DemoOptions.parse(arguments, config.getConfig("dialer.demo")), System.out::println);
    } catch (IllegalArgumentException e) {
      System.err.println("./dialer: " + e.getMessage());
      System.exit(2);
      throw e;
    }
  }

  public boolean enabled() {
    return options.enabled();
  }

  /**
   * Starts the simulator (on a free port, with the demo's time scale and seed) and returns {@code
   * config} with the AMI gateway pointed at it; {@code config} itself when the demo is off.
   */
  public Config withSimulator(Config config) {
    if (!options.enabled()) {
      return config;
    }
    simulator = startSimulator(options);
    printer.accept(
        "Demo: AMI simulator on 127.0.0.1:"
            + simulator.port()
            + " (the node's AMI gateway is pointed at it; DIALER_AMI_* are not used)");
    return amiConfig(simulator).withFallback(compressedTime(options)).withFallback(config);
  }

  /**
   * The dialer notices agents by refreshing them every tick. At time scale 60 the default 500 ms
   * tick is 30 simulated seconds of an idle agent per call, which no real dialer would accept; the
   * tick shrinks with the time scale (never below 50 ms) so the demo's occupancy reflects pacing,
   * not polling.
   */
  public static Config compressedTime(DemoOptions options) {
    long tickMillis = Math.max(50, Math.round(500 * 10 / Math.max(10.0, options.timeScale())));
    return ConfigFactory.parseMap(Map.of("dialer.dialing.tick", tickMillis + "ms"));
  }

  /** Starts the run once the node is up; nothing when the demo is off. */
  public Optional<DemoRun> start(ActorSystem<?> system, ServerBinding binding) {
    if (!options.enabled()) {
      return Optional.empty();
    }
    String api =
        "http://" + binding.localAddress().getHostString() + ":" + binding.localAddress().getPort();
    return Optional.of(DemoRun.start(system, options, api, printer));
  }

  /** Closes the simulator: its sockets, channels and listener. */
  @Override
  public void close() {
    if (simulator != null) {
      simulator.close();
    }
  }

  /** The simulator the demo runs against (tests start it the same way). */
  public static AmiSimulator startSimulator(DemoOptions options) {
    try {
      return AmiSimulator.start(
          SimulatorSettings.defaults()
              .withPort(0)
              .withTimeScale(options.timeScale())
              .withSeed(options.seed()));
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the AMI simulator", e);
    }
  }

  /** The AMI gateway's settings for {@code simulator}: its port and credentials. */
  public static Config amiConfig(AmiSimulator simulator) {
    SimulatorSettings sim = simulator.settings();
    return ConfigFactory.parseMap(
        Map.of(
            "dialer.telephony.ami.host", "127.0.0.1",
            "dialer.telephony.ami.port", simulator.port(),
            "dialer.telephony.ami.username", sim.username(),
            "dialer.telephony.ami.secret", sim.secret()));
  }
}
