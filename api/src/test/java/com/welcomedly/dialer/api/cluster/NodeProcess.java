package com.welcomedly.dialer.api.cluster;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * A dialer node in its own JVM ({@code Main} on this test's classpath, with the Kanela agent as
 * {@code ./dialer} runs it), configured only through the environment like a real deployment. Its
 * log goes to a file the test reads.
 */
final class NodeProcess implements AutoCloseable {

  final String name;
  final int clusterPort;
  final int httpPort;
  final int managementPort;
  final Path log;
  private final Process process;

  private NodeProcess(String name, Map<String, String> env, Path logDir) throws IOException {
    this.name = name;
    this.clusterPort = freePort();
    this.httpPort = freePort();
    this.managementPort = freePort();
    this.log = logDir.resolve(name + ".log");
    Files.createDirectories(logDir);
    List<String> classpath = classpath();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx384m");
    classpath.stream()
        .filter(p -> p.contains("kanela-agent"))
        .findFirst()
        .ifPresent(agent -> command.add("-javaagent:" + agent));
    // The node's own logback.xml, not the test one (which only buffers for failed tests).
    command.add("-Dlogback.configurationFile=logback.xml");
    command.add("-cp");
    command.add(String.join(File.pathSeparator, classpath));
    command.add("com.welcomedly.dialer.api.Main");
    command.add("--no-demo");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.redirectOutput(log.toFile());
    Map<String, String> environment = builder.environment();
    environment.putAll(env);
    environment.put("DIALER_CLUSTER_HOST", "127.0.0.1");
    environment.put("DIALER_CLUSTER_PORT", Integer.toString(clusterPort));
    environment.put("DIALER_HTTP_PORT", Integer.toString(httpPort));
    environment.put("DIALER_METRICS_PORT", Integer.toString(freePort()));
    environment.put("DIALER_MANAGEMENT_PORT", Integer.toString(managementPort));
    this.process = builder.start();
  }

  static NodeProcess start(String name, Map<String, String> env, Path logDir) throws IOException {
    return new NodeProcess(name, new HashMap<>(env), logDir);
  }

  String hostPort() {
    return "dialer@127.0.0.1:" + clusterPort;
  }

  String logText() throws IOException {
    return Files.readString(log);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy(); // SIGTERM: the node leaves and releases its leases
    if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** The test classpath; surefire may hand it over as a manifest-only jar, which is unpacked. */
  private static List<String> classpath() throws IOException {
    List<String> entries = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (entry.contains("surefirebooter") && entry.endsWith(".jar")) {
        try (JarFile jar = new JarFile(entry)) {
          Manifest manifest = jar.getManifest();
          String classPath = manifest.getMainAttributes().getValue("Class-Path");
          for (String url : classPath.trim().split("\\s+")) {
            try {
              entries.add(Path.of(new URI(url)).toString());
            } catch (URISyntaxException e) {
              throw new IOException("Bad classpath entry in " + entry + ": " + url, e);
            }
          }
        }
      } else {
        entries.add(entry);
      }
    }
    return entries;
  }
}
