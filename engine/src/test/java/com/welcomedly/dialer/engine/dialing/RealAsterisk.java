package com.welcomedly.dialer.engine.dialing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Asterisk 22 for the opt-in suite: the build of {@code shared/asterisk/build-asterisk.sh}
 * under {@code $ASTERISK_HOME}, run as its own process on a private directory tree.
 *
 * <p>Its configuration directory holds the files of {@code asterisk-config/} byte for byte — only
 * the AMI secret placeholder is replaced, as {@code deploy/} does — plus what a host provides
 * around them ({@code asterisk.conf} with the directories, {@code modules.conf} autoloading every
 * built module, {@code logger.conf}) and the two site-local files the shipped config includes:
 * {@code manager_local.conf} (a free AMI port and a read-only observer user for the test's event
 * recorder) and {@code extensions_local.conf} (the test's callees and agents, from the test
 * resources). The sounds come from {@code asterisk-config/sounds/generate-sounds.sh} (espeak-ng and
 * sox must be installed); the callees' own audio is written here.
 */
final class RealAsterisk implements AutoCloseable {

  static final String AMI_SECRET = "real-asterisk-test";
  static final String OBSERVER_USER = "dialer-test-observer";
  static final String OBSERVER_SECRET = "observer";

  private final Path home;
  private final Path root;
  private final int amiPort;
  private Process process;

  private RealAsterisk(Path home, Path root, int amiPort) {
    this.home = home;
    this.root = root;
    this.amiPort = amiPort;
  }

  /** {@code $ASTERISK_HOME}, or a clear failure: the profile was asked for, so it must run. */
  static Path home() {
    String value = System.getenv("ASTERISK_HOME");
    if (value == null || value.isBlank()) {
      value = System.getProperty("asterisk.home");
    }
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          "set ASTERISK_HOME to the prefix of an Asterisk 22 built with"
              + " shared/asterisk/build-asterisk.sh (e.g. ASTERISK_HOME=/opt/asterisk-22)");
    }
    Path home = Path.of(value);
    if (!Files.isExecutable(home.resolve("sbin/asterisk"))) {
      throw new IllegalStateException(home + "/sbin/asterisk is not an executable Asterisk");
    }
    return home;
  }

  static RealAsterisk start(Path configDir, Path testDialplan) throws Exception {
    Path home = home();
    Path root = Files.createTempDirectory("real-asterisk-");
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    RealAsterisk asterisk = new RealAsterisk(home, root, port);
    asterisk.lay(configDir, testDialplan);
    asterisk.launch();
    return asterisk;
  }

  int amiPort() {
    return amiPort;
  }

  Path root() {
    return root;
  }

  /** The console output so far (warnings, errors, verbose level 3). */
  String console() {
    try {
      return Files.readString(root.resolve("console.log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** {@code asterisk -rx <command>} against this instance. */
  String cli(String command) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(binary(), "-C", conf().toString(), "-rx", command)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(30, TimeUnit.SECONDS);
    return out;
  }

  /** Waits until AMI takes connections again (after start or {@code core restart now}). */
  void awaitAmi(Duration timeout) throws InterruptedException {
    Instant end = Instant.now().plus(timeout);
    while (Instant.now().isBefore(end)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Asterisk exited:\n" + tail(console(), 3000));
      }
      try (Socket s = new Socket("127.0.0.1", amiPort)) {
        byte[] banner = new byte[64];
        if (s.getInputStream().read(banner) > 0) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200); // polling an external process, not synchronising test threads
    }
    throw new IllegalStateException("AMI not up within " + timeout + ":\n" + tail(console(), 3000));
  }

  @Override
  public void close() {
    if (process == null) {
      return;
    }
    try {
      cli("core stop now");
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      process.destroyForcibly();
    }
  }

  // ------------------------------------------------------------------ layout

  private String binary() {
    return home.resolve("sbin/asterisk").toString();
  }

  private Path conf() {
    return root.resolve("etc/asterisk.conf");
  }

  private void lay(Path configDir, Path testDialplan) throws IOException, InterruptedException {
    Path etc = Files.createDirectories(root.resolve("etc"));
    Path data = Files.createDirectories(root.resolve("data"));
    for (String dir : List.of("lib", "spool", "run", "log")) {
      Files.createDirectories(root.resolve(dir));
    }
    try (Stream<Path> files = Files.list(configDir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".conf")).toList()) {
        String text = Files.readString(f);
        Files.writeString(
            etc.resolve(f.getFileName()), text.replace("CHANGE_ME_DIALER_AMI_SECRET", AMI_SECRET));
      }
    }
    Files.writeString(
        etc.resolve("asterisk.conf"),
        String.join(
            "\n",
            "[directories]",
            "astetcdir => " + etc,
            "astmoddir => " + home.resolve("lib/asterisk/modules"),
            "astvarlibdir => " + root.resolve("lib"),
            "astdbdir => " + root.resolve("lib"),
            "astkeydir => " + root.resolve("lib"),
            "astdatadir => " + data,
            "astagidir => " + data.resolve("agi-bin"),
            "astspooldir => " + root.resolve("spool"),
            "astrundir => " + root.resolve("run"),
            "astlogdir => " + root.resolve("log"),
            "astsbindir => " + home.resolve("sbin"),
            "[options]",
            "verbose = 3",
            ""));
    Files.writeString(etc.resolve("modules.conf"), "[modules]\nautoload = yes\n");
    Files.writeString(
        etc.resolve("logger.conf"),
        "[general]\n[logfiles]\nconsole => notice,warning,error,verbose\n");
    Files.writeString(
        etc.resolve("manager_local.conf"),
        String.join(
            "\n",
            "port = " + amiPort,
            "",
            "; TEST ONLY: the suite's event recorder (all events, nothing filtered, read-only).",
            "[" + OBSERVER_USER + "]",
            "secret = " + OBSERVER_SECRET,
            "deny = 0.0.0.0/0.0.0.0",
            "permit = 127.0.0.1/255.255.255.255",
            "read = all",
            "write = ",
            "; A loaded test JVM may read slowly: do not cut the recorder off (default 100 ms).",
            "writetimeout = 10000",
            "eventfilter = !Event: VarSet",
            "eventfilter = !Event: RTCP*",
            "eventfilter = !Event: DeviceStateChange",
            ""));
    Files.copy(testDialplan, etc.resolve("extensions_local.conf"));
    // The XML documentation the core validates its configuration objects against.
    Files.createSymbolicLink(
        data.resolve("documentation"), home.resolve("var/lib/asterisk/documentation"));
    Process sounds =
        new ProcessBuilder(
                "bash", configDir.resolve("sounds/generate-sounds.sh").toString(), data.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(sounds.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (sounds.waitFor() != 0) {
      throw new IllegalStateException("generate-sounds.sh failed:\n" + out);
    }
    Path test = Files.createDirectories(data.resolve("sounds/en/dialer-test"));
    // A person: "hello" (0.6 s of voice), then silence — AMD hears a short greeting: HUMAN.
    Files.write(test.resolve("hello.wav"), wav(0.6, 4.0));
    // A machine: a 4 s greeting — longer than amd.conf's 1.5 s greeting: MACHINE.
    Files.write(test.resolve("machine-greeting.wav"), wav(4.0, 0.5));
  }

  private void launch() throws IOException, InterruptedException {
    process =
        new ProcessBuilder(binary(), "-C", conf().toString(), "-f", "-n", "-g")
            .redirectErrorStream(true)
            .redirectOutput(root.resolve("console.log").toFile())
            .start();
    awaitAmi(Duration.ofSeconds(60));
  }

  /** 8 kHz mono 16-bit PCM: {@code voice} seconds of a 300 Hz tone, then {@code silence}. */
  static byte[] wav(double voice, double silence) {
    int rate = 8000;
    int samples = (int) ((voice + silence) * rate);
    ByteBuffer pcm = ByteBuffer.allocate(samples * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < samples; i++) {
      double t = (double) i / rate;
      pcm.putShort(t < voice ? (short) (12000 * Math.sin(2 * Math.PI * 300 * t)) : 0);
    }
    ByteBuffer header = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
    header.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + samples * 2);
    header.put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1);
    header.putShort((short) 1).putInt(rate).putInt(rate * 2).putShort((short) 2);
    header.putShort((short) 16).put("data".getBytes(StandardCharsets.US_ASCII));
    header.putInt(samples * 2);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(header.array());
    out.writeBytes(pcm.array());
    return out.toByteArray();
  }

  private static String tail(String s, int n) {
    return s.length() <= n ? s : s.substring(s.length() - n);
  }

  static void deleteQuietly(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
