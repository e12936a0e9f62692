package com.welcomedly.dialer.engine.dialing;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.welcomedly.dialer.engine.persistence.TestDatabase;
import com.welcomedly.dialer.sim.AmiSimulator;
import com.welcomedly.dialer.sim.SimulatorSettings;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;

/**
 * A one-node cluster with the engine on a fresh database, its gateway connected over TCP to an AMI
 * simulator that answers scripted numbers (prefix 12127, see sim/README.md).
 */
record SimulatedNode(AmiSimulator simulator, ActorTestKit testKit, DialingSteps steps)
    implements AutoCloseable {

  static SimulatedNode start(String name, long seed) throws Exception {
    return start(name, seed, ConfigFactory.empty());
  }

  /** As {@link #start(String, long)}, the node with settings of the test's own. */
  static SimulatedNode start(String name, long seed, Config overrides) throws Exception {
    AmiSimulator simulator =
        AmiSimulator.start(
            SimulatorSettings.defaults().withPort(0).withScriptPrefix("12127").withSeed(seed));
    ActorTestKit testKit =
        DialingSteps.startSingleNode(
            name, TestDatabase.fresh("dialer_" + name), simulator.port(), overrides);
    return new SimulatedNode(simulator, testKit, new DialingSteps(testKit));
  }

  @Override
  public void close() {
    testKit.shutdownTestKit();
    simulator.close();
  }
}
