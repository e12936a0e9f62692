package com.welcomedly.dialer.sim;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A TCP server speaking the Asterisk Manager Interface like Asterisk 22.10 (banner {@code Asterisk
 * Call Manager/11.0.0}), with every dialled number played by a simulated callee ({@link CallPlan}).
 *
 * <p>Threads: one reader thread per AMI client (there are few), and a single scheduler thread, the
 * "PBX", that owns every channel, bridge and timer. Actions are handed to the PBX thread, so state
 * needs no locks and thousands of concurrent channels cost timers, not threads. Event sequences,
 * field names, Originate reasons and hangup causes copy the recorded Asterisk 22 traces, including
 * their quirks: Local-channel pairs ({@code ;1}/{@code ;2}), a failed Originate's channel without
 * the {@code -xxxxxxxx;1} suffix, cause 0 on the {@code ;1} leg of busy/congestion, and an
 * OriginateResponse that comes before or after Newstate/DialEnd.
 *
 * <p>This class is the server and its controls; each client is an {@link AmiSession}, the PBX
 * thread and its state {@link Pbx} (with {@link CallProgress}, {@link Hangups} and {@link
 * ChannelActions}), the wire format {@link AmiWire}.
 */
public final class AmiSimulator implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(AmiSimulator.class.getName());
  static final String BANNER = "Asterisk Call Manager/11.0.0";

  private final SimulatorSettings settings;
  private final ServerSocket server;
  private final Pbx pbx;
  private final ExecutorService readers = Executors.newCachedThreadPool(daemon("ami-sim-client"));
  private final Set<AmiSession> sessions = ConcurrentHashMap.newKeySet();
  private volatile boolean running = true;
  private volatile boolean frozen;
  private volatile boolean muted;

  private AmiSimulator(SimulatorSettings settings, ServerSocket server) {
    this.settings = settings;
    this.server = server;
    this.pbx = new Pbx(settings, this);
  }

  /** Binds {@code settings.port()} on loopback (0 = any free port) and starts accepting. */
  public static AmiSimulator start(SimulatorSettings settings) throws IOException {
    ServerSocket server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), settings.port()));
    AmiSimulator simulator = new AmiSimulator(settings, server);
    simulator.readers.execute(simulator::acceptLoop);
    return simulator;
  }

  public int port() {
    return server.getLocalPort();
  }

  public SimulatorSettings settings() {
    return settings;
  }

  /** Channels currently up or ringing (both legs of a Local pair count). */
  public int liveChannels() {
    return pbx.liveChannels.get();
  }

  /** Closes every client socket but keeps the calls and the listening socket: a network blip. */
  public void dropConnections() {
    for (AmiSession session : sessions) {
      session.close();
    }
  }

  /**
   * A hung PBX (or a half-open TCP link): while frozen, actions are read and silently dropped, so
   * nothing — not even a Ping or a Login — gets a Response. Calls and their events go on.
   */
  public void setFrozen(boolean frozen) {
    this.frozen = frozen;
  }

  /**
   * Output lost on the way back: logged-in clients' actions are carried out (calls placed and
   * progressing) but no Response and no event reaches them. Login still works.
   */
  public void setMuted(boolean muted) {
    this.muted = muted;
  }

  /**
   * A slow PBX: a Bridge action is answered at once, but its channels enter the bridge {@code
   * simulatedSeconds} later (BridgeCreate, BridgeEnter), e.g. to make a bridge miss the dialer's
   * connect deadline. 0 (the default): at once.
   */
  public void setBridgeDelaySeconds(double simulatedSeconds) {
    pbx.bridgeDelaySeconds = simulatedSeconds;
  }

  /**
   * Sends raw bytes to every logged-in client as they are, e.g. a malformed packet for tests. The
   * text should end with an empty line ({@code \r\n\r\n}) like every AMI packet.
   */
  public void broadcastRaw(String packet) {
    pbx.submit(() -> broadcast(packet));
  }

  /**
   * {@code core restart now}, as Asterisk 22.10 does it (recorded in docs/asterisk.md): every
   * channel gets SoftHangupRequest with cause 4 (AST_SOFTHANGUP_SHUTDOWN) and hangs up with cause 0
   * — a ringing call also with DialEnd NOANSWER and OriginateResponse Failure, reason 0 — then,
   * about a second later, {@code Shutdown} (Restart: True) and the AMI connections close. The
   * listening socket stays: the restarted PBX takes logins again, with no channels.
   */
  public void restart() {
    pbx.restart();
  }

  /** Stops listening, drops the clients and forgets all channels: a PBX that died. */
  @Override
  public void close() {
    running = false;
    try {
      server.close();
    } catch (IOException e) {
      LOG.log(Level.FINE, "closing server socket", e);
    }
    dropConnections();
    pbx.shutdown();
    readers.shutdownNow();
  }

  private void acceptLoop() {
    while (running) {
      try {
        Socket socket = server.accept();
        socket.setTcpNoDelay(true);
        AmiSession session = new AmiSession(this, pbx, socket);
        sessions.add(session);
        readers.execute(session::run);
      } catch (IOException e) {
        if (running) {
          LOG.log(Level.WARNING, "accept failed", e);
        }
      }
    }
  }

  boolean frozen() {
    return frozen;
  }

  boolean muted() {
    return muted;
  }

  void sessionClosed(AmiSession session) {
    sessions.remove(session);
  }

  /** An event to every logged-in client that wants events (called on the PBX thread). */
  void broadcast(String packet) {
    if (muted) {
      return;
    }
    for (AmiSession session : sessions) {
      if (session.authenticated && session.events) {
        session.send(packet);
      }
    }
  }

  static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger counter = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
