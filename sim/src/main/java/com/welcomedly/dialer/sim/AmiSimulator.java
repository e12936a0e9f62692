package com.welcomedly.dialer.sim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
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
 */
public final class AmiSimulator implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(AmiSimulator.class.getName());
  static final String BANNER = "Asterisk Call Manager/11.0.0";

  private final SimulatorSettings settings;
  private final ServerSocket server;
  private final ScheduledExecutorService pbx;
  private final ExecutorService readers = Executors.newCachedThreadPool(daemon("ami-sim-client"));
  private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
  private final AtomicInteger liveChannels = new AtomicInteger();
  private volatile boolean running = true;
  private volatile boolean frozen;
  private volatile boolean muted;
  private volatile double bridgeDelaySeconds;

  // PBX-thread state.
  private final Map<String, Channel> channels = new LinkedHashMap<>();
  private final Map<String, Integer> dialCounts = new HashMap<>();
  private int channelSequence;
  private int uniqueSequence;
  private int bridgeSequence;

  private AmiSimulator(SimulatorSettings settings, ServerSocket server) {
    this.settings = settings;
    this.server = server;
    this.pbx = Executors.newSingleThreadScheduledExecutor(daemon("ami-sim-pbx"));
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
    return liveChannels.get();
  }

  /** Closes every client socket but keeps the calls and the listening socket: a network blip. */
  public void dropConnections() {
    for (Session session : sessions) {
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
    this.bridgeDelaySeconds = simulatedSeconds;
  }

  /**
   * Sends raw bytes to every logged-in client as they are, e.g. a malformed packet for tests. The
   * text should end with an empty line ({@code \r\n\r\n}) like every AMI packet.
   */
  public void broadcastRaw(String packet) {
    submit(() -> broadcast(packet));
  }

  /**
   * {@code core restart now}, as Asterisk 22.10 does it (recorded in docs/asterisk.md): every
   * channel gets SoftHangupRequest with cause 4 (AST_SOFTHANGUP_SHUTDOWN) and hangs up with cause 0
   * — a ringing call also with DialEnd NOANSWER and OriginateResponse Failure, reason 0 — then,
   * about a second later, {@code Shutdown} (Restart: True) and the AMI connections close. The
   * listening socket stays: the restarted PBX takes logins again, with no channels.
   */
  public void restart() {
    submit(
        () -> {
          List<Call> live = new ArrayList<>();
          for (Channel channel : channels.values()) {
            if (!channel.legTwo && !live.contains(channel.call)) {
              live.add(channel.call);
            }
          }
          for (Call call : live) {
            emitChannel("SoftHangupRequest", call.two, "Cause", "4");
            emitChannel("SoftHangupRequest", call.one, "Cause", "4");
          }
          for (Call call : live) {
            cutByShutdown(call);
          }
          pbx.schedule(
              guarded(
                  () -> {
                    emit("Shutdown", "system,all", "Shutdown", "Cleanly", "Restart", "True");
                    dropConnections();
                  }),
              1100,
              TimeUnit.MILLISECONDS);
        });
  }

  private void cutByShutdown(Call call) {
    boolean ringing = !call.resolved;
    call.resolved = true;
    if (ringing) {
      dialEnd(call, "NOANSWER");
    }
    Bridge bridge = call.one.bridge;
    if (bridge != null) {
      leaveBridge(call.one);
    }
    hangupChannel(call.two, 0);
    hangupChannel(call.one, 0);
    if (ringing) {
      originateFailure(call, 0);
    }
    end(call);
    if (bridge != null && bridge.members.isEmpty()) {
      emit("BridgeDestroy", "call,all", bridgeFields(bridge));
    }
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
    pbx.shutdownNow();
    readers.shutdownNow();
  }

  private void acceptLoop() {
    while (running) {
      try {
        Socket socket = server.accept();
        socket.setTcpNoDelay(true);
        Session session = new Session(socket);
        sessions.add(session);
        readers.execute(session::run);
      } catch (IOException e) {
        if (running) {
          LOG.log(Level.WARNING, "accept failed", e);
        }
      }
    }
  }

  // ---------------------------------------------------------------- sessions (reader threads)

  private final class Session {
    private final Socket socket;
    private final OutputStream out;
    private volatile boolean authenticated;
    private volatile boolean events = true;
    private volatile String challenge;

    Session(Socket socket) throws IOException {
      this.socket = socket;
      this.out = socket.getOutputStream();
    }

    void run() {
      try (BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
        writeRaw(BANNER + "\r\n");
        Map<String, String> packet = new LinkedHashMap<>();
        List<String> variables = new ArrayList<>();
        String line;
        while ((line = in.readLine()) != null) {
          if (line.isEmpty()) {
            if (!packet.isEmpty()) {
              Map<String, String> action = packet;
              List<String> vars = variables;
              packet = new LinkedHashMap<>();
              variables = new ArrayList<>();
              onAction(action, vars);
            }
            continue;
          }
          int colon = line.indexOf(':');
          if (colon <= 0) {
            continue; // not a header line: ignore, like Asterisk does
          }
          String key = line.substring(0, colon).trim().toLowerCase();
          String value = line.substring(colon + 1).trim();
          if (key.equals("variable")) {
            variables.add(value);
          } else {
            packet.put(key, value);
          }
        }
      } catch (IOException e) {
        LOG.log(Level.FINE, "client gone", e);
      } finally {
        close();
      }
    }

    private void onAction(Map<String, String> action, List<String> variables) {
      if (frozen) {
        return;
      }
      String name = action.getOrDefault("action", "").toLowerCase();
      String actionId = action.get("actionid");
      switch (name) {
        case "challenge" -> {
          challenge = Integer.toString(Math.abs(System.identityHashCode(this)) + 100_000_000);
          respond(actionId, "Success", null, "Challenge", challenge);
        }
        case "login" -> login(action, actionId);
        case "logoff" -> {
          respond(actionId, "Goodbye", "Thanks for all the fish.");
          close();
        }
        default -> {
          if (!authenticated) {
            respond(actionId, "Error", "Authentication Required");
            return;
          }
          submit(() -> onPbxAction(this, name, action, variables, actionId));
        }
      }
    }

    private void login(Map<String, String> action, String actionId) {
      boolean ok = settings.username().equals(action.get("username"));
      if (ok && action.containsKey("key")) {
        ok = md5(challenge + settings.secret()).equalsIgnoreCase(action.get("key"));
      } else if (ok) {
        ok = settings.secret().equals(action.get("secret"));
      }
      if (!ok) {
        respond(actionId, "Error", "Authentication failed");
        return;
      }
      events = !"off".equalsIgnoreCase(action.getOrDefault("events", "on"));
      respond(actionId, "Success", "Authentication accepted");
      authenticated = true;
      if (events) {
        send(
            event(
                "FullyBooted",
                "system,all",
                "Uptime",
                "1",
                "LastReload",
                "1",
                "Status",
                "Fully Booted"));
      }
    }

    void respond(String actionId, String response, String message, String... fields) {
      if (muted && authenticated) {
        return;
      }
      StringBuilder sb = new StringBuilder("Response: ").append(response).append("\r\n");
      if (actionId != null) {
        sb.append("ActionID: ").append(actionId).append("\r\n");
      }
      for (int i = 0; i + 1 < fields.length; i += 2) {
        sb.append(fields[i]).append(": ").append(fields[i + 1]).append("\r\n");
      }
      if (message != null) {
        sb.append("Message: ").append(message).append("\r\n");
      }
      writeRaw(sb.append("\r\n").toString());
    }

    void send(String packet) {
      writeRaw(packet);
    }

    private void writeRaw(String text) {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      synchronized (out) {
        try {
          out.write(bytes);
          out.flush();
        } catch (IOException e) {
          close();
        }
      }
    }

    void close() {
      sessions.remove(this);
      try {
        socket.close();
      } catch (IOException e) {
        LOG.log(Level.FINE, "closing client", e);
      }
    }
  }

  private static String md5(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
      StringBuilder sb = new StringBuilder();
      for (byte b : digest) {
        sb.append(String.format("%02x", b & 0xff));
      }
      return sb.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------- the PBX (single thread)

  private static final class Channel {
    final String name;
    final String uniqueId;
    final Call call;
    final boolean legTwo;
    String linkedId;
    int state;
    String context;
    String exten;
    int priority = 1;
    Bridge bridge;
    boolean gone;
    final long createdNanos = System.nanoTime();

    Channel(String name, String uniqueId, Call call, boolean legTwo) {
      this.name = name;
      this.uniqueId = uniqueId;
      this.call = call;
      this.legTwo = legTwo;
      this.linkedId = call.linkedId;
    }
  }

  private static final class Call {
    final String actionId;
    final String linkedId;
    final String dialString;
    final String originateContext;
    final boolean agent;
    final CallPlan plan;
    final List<ScheduledFuture<?>> timers = new ArrayList<>();

    /** The Originate's channel variables (DIALER_AMD, DIALER_TRANSFER_KEY, ...). */
    Map<String, String> variables = Map.of();

    Channel one;
    Channel two;
    boolean resolved;
    boolean ended;

    Call(
        String actionId,
        String linkedId,
        String dialString,
        String originateContext,
        boolean agent,
        CallPlan plan) {
      this.actionId = actionId;
      this.linkedId = linkedId;
      this.dialString = dialString;
      this.originateContext = originateContext;
      this.agent = agent;
      this.plan = plan;
    }
  }

  private static final class Bridge {
    final String id;
    final List<Channel> members = new ArrayList<>();

    Bridge(String id) {
      this.id = id;
    }
  }

  private void submit(Runnable task) {
    try {
      pbx.execute(guarded(task));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      LOG.log(Level.FINE, "simulator stopped", e);
    }
  }

  private void later(Call call, double simulatedSeconds, Runnable task) {
    try {
      ScheduledFuture<?> timer =
          pbx.schedule(guarded(task), settings.realMillis(simulatedSeconds), TimeUnit.MILLISECONDS);
      if (call != null) {
        call.timers.add(timer);
      }
    } catch (java.util.concurrent.RejectedExecutionException e) {
      LOG.log(Level.FINE, "simulator stopped", e);
    }
  }

  private static Runnable guarded(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "simulator task failed", e);
      }
    };
  }

  private void onPbxAction(
      Session session,
      String name,
      Map<String, String> action,
      List<String> variables,
      String actionId) {
    switch (name) {
      case "ping" ->
          session.respond(
              actionId,
              "Success",
              null,
              "Ping",
              "Pong",
              "Timestamp",
              String.format("%.6f", System.currentTimeMillis() / 1000.0));
      case "events" -> {
        session.events = !"off".equalsIgnoreCase(action.getOrDefault("eventmask", "on"));
        session.respond(actionId, "Success", null, "Events", session.events ? "On" : "Off");
      }
      case "coresettings" ->
          session.respond(
              actionId,
              "Success",
              null,
              "AMIversion",
              "11.0.0",
              "AsteriskVersion",
              "22.10.1",
              "SystemName",
              "",
              "CoreMaxCalls",
              "0");
      case "originate" -> originate(session, action, variables, actionId);
      case "bridge" -> bridge(session, action, actionId);
      case "redirect" -> redirect(session, action, actionId);
      case "hangup" -> hangupAction(session, action, actionId);
      case "setvar" -> {
        String channel = action.get("channel");
        if (channel != null && !channel.isEmpty() && !channels.containsKey(channel)) {
          session.respond(actionId, "Error", "No such channel");
        } else {
          session.respond(actionId, "Success", "Variable Set");
        }
      }
      case "coreshowchannels" -> coreShowChannels(session, actionId);
      case "status" -> status(session, action, actionId);
      case "userevent" -> {
        session.respond(actionId, "Success", "Event Sent");
        List<String> fields = new ArrayList<>();
        action.forEach(
            (k, v) -> {
              if (!k.equals("action") && !k.equals("actionid") && !k.equals("userevent")) {
                fields.add(k);
                fields.add(v);
              }
            });
        List<String> all =
            new ArrayList<>(List.of("UserEvent", action.getOrDefault("userevent", "")));
        all.addAll(fields);
        broadcast(event("UserEvent", "user,all", all.toArray(String[]::new)));
      }
      default -> session.respond(actionId, "Error", "Invalid/unknown command");
    }
  }

  private void originate(
      Session session, Map<String, String> action, List<String> variables, String actionId) {
    String dial = action.get("channel");
    String context = action.getOrDefault("context", "default");
    if (dial == null || !dial.contains("/")) {
      session.respond(actionId, "Error", "Channel not specified");
      return;
    }
    if (action.containsKey("application") && !action.containsKey("context")) {
      session.respond(actionId, "Error", "Application-only originates are not simulated");
      return;
    }
    session.respond(actionId, "Success", "Originate successfully queued");
    String resource = dial.substring(dial.indexOf('/') + 1);
    String number =
        resource.contains("@") ? resource.substring(0, resource.indexOf('@')) : resource;
    String remoteContext =
        resource.contains("@") ? resource.substring(resource.indexOf('@') + 1) : "from-dialer";
    boolean agent = context.equals(settings.agentContext());
    int dialCount = dialCounts.merge(number, 1, Integer::sum);
    CallPlan plan = CallPlan.plan(number, dialCount, settings);
    String uniqueId = action.getOrDefault("channelid", nextUniqueId());
    String otherId = action.getOrDefault("otherchannelid", nextUniqueId());
    Call call = new Call(actionId, uniqueId, dial, context, agent, plan);
    Map<String, String> vars = new HashMap<>();
    for (String variable : variables) {
      int eq = variable.indexOf('=');
      if (eq > 0) {
        vars.put(variable.substring(0, eq), variable.substring(eq + 1));
      }
    }
    call.variables = Map.copyOf(vars);
    String base = dial + "-" + String.format("%08x", channelSequence++);
    call.one = new Channel(base + ";1", uniqueId, call, false);
    call.two = new Channel(base + ";2", otherId, call, true);
    for (Channel c : List.of(call.one, call.two)) {
      c.context = remoteContext;
      c.exten = number;
      channels.put(c.name, c);
      liveChannels.incrementAndGet();
    }
    call.one.state = 0;
    call.two.state = 4;
    long timeoutMillis = parseLong(action.get("timeout"), 30_000L);
    double timeoutSimSeconds = timeoutMillis / 1000.0;
    emitChannel("Newchannel", call.one);
    emitChannel("Newchannel", call.two);
    for (String variable : variables) {
      int eq = variable.indexOf('=');
      if (eq > 0) {
        emitChannel(
            "VarSet",
            call.one,
            "Variable",
            variable.substring(0, eq),
            "Value",
            variable.substring(eq + 1));
      }
    }
    if (agent) {
      dialBegin(call);
      later(call, settings.agentAnswerSeconds(), () -> answer(call, false));
      return;
    }
    switch (plan.outcome()) {
      case NO_SUCH_NUMBER ->
          later(
              call,
              0.002,
              () -> {
                hangupChannel(call.two, 0);
                originateFailure(call, 0);
                hangupChannel(call.one, 0);
                end(call);
              });
      case UNALLOCATED, REJECTED -> {
        dialBegin(call);
        int cause = plan.outcome() == CallPlan.Outcome.UNALLOCATED ? 1 : 21;
        later(
            call,
            Math.min(plan.ringSeconds(), timeoutSimSeconds),
            () -> {
              call.two.priority = 3;
              emitChannel("SoftHangupRequest", call.two, "Cause", "16");
              emitChannel("HangupRequest", call.one, "Cause", Integer.toString(cause));
              hangupChannel(call.two, cause);
              originateFailure(call, 0);
              dialEnd(call, "NOANSWER");
              hangupChannel(call.one, cause);
              end(call);
            });
      }
      default -> {
        dialBegin(call);
        ringing(call);
        double ring = plan.ringSeconds();
        if (plan.outcome() == CallPlan.Outcome.NO_ANSWER && ring >= timeoutSimSeconds
            || ring >= timeoutSimSeconds) {
          later(call, timeoutSimSeconds, () -> originateTimeout(call));
        } else {
          later(call, ring, () -> resolve(call));
        }
      }
    }
  }

  private void dialBegin(Call call) {
    emit("DialBegin", "call,all", destFields(call.one, "DialString", call.one.exten));
  }

  private void ringing(Call call) {
    call.one.state = 5;
    emitChannel("Newstate", call.one);
    emit("DialState", "call,all", destFields(call.one, "DialStatus", "RINGING"));
  }

  private void dialEnd(Call call, String status) {
    emit("DialEnd", "call,all", destFields(call.one, "DialStatus", status));
  }

  private void resolve(Call call) {
    if (call.resolved) {
      return;
    }
    switch (call.plan.outcome()) {
      case HUMAN, MACHINE -> answer(call, call.plan.responseFirst());
      case BUSY -> {
        call.resolved = true;
        call.two.state = 7;
        call.two.priority = 5;
        emitChannel("Newstate", call.two);
        dialEnd(call, "BUSY");
        emitChannel("HangupRequest", call.two, "Cause", "0");
        emitChannel("SoftHangupRequest", call.two, "Cause", "16");
        hangupChannel(call.two, 17);
        if (call.plan.responseFirst()) {
          originateFailure(call, 5);
          hangupChannel(call.one, 0);
        } else {
          hangupChannel(call.one, 0);
          originateFailure(call, 5);
        }
        end(call);
      }
      case CONGESTION -> {
        call.resolved = true;
        call.two.state = 7;
        call.two.priority = 5;
        emitChannel("Newstate", call.two);
        originateFailure(call, 8);
        dialEnd(call, "CONGESTION");
        emitChannel("HangupRequest", call.two, "Cause", "0");
        emitChannel("SoftHangupRequest", call.two, "Cause", "16");
        hangupChannel(call.two, 34);
        hangupChannel(call.one, 0);
        end(call);
      }
      case NO_ANSWER -> {
        // The callee's network gives up before our Originate timeout (Reason 0, cause 19).
        call.resolved = true;
        originateFailure(call, 0);
        call.two.priority = 6;
        emitChannel("SoftHangupRequest", call.two, "Cause", "16");
        emitChannel("HangupRequest", call.one, "Cause", "19");
        hangupChannel(call.two, 19);
        dialEnd(call, "NOANSWER");
        hangupChannel(call.one, 19);
        end(call);
      }
      default -> {}
    }
  }

  private void originateTimeout(Call call) {
    if (call.resolved) {
      return;
    }
    call.resolved = true;
    call.two.priority = 5;
    emitChannel("HangupRequest", call.two, "Cause", "19");
    originateFailure(call, 3);
    emitChannel("SoftHangupRequest", call.two, "Cause", "16");
    hangupChannel(call.two, 19);
    hangupChannel(call.one, 19);
    end(call);
  }

  private void answer(Call call, boolean responseFirst) {
    if (call.resolved) {
      return;
    }
    call.resolved = true;
    if (responseFirst) {
      originateSuccess(call);
    }
    call.two.state = 6;
    call.two.priority = call.agent ? 2 : 5;
    emitChannel("Newstate", call.two);
    call.one.state = 6;
    emitChannel("Newstate", call.one);
    dialEnd(call, "ANSWER");
    if (!responseFirst) {
      originateSuccess(call);
    }
    call.one.context = call.originateContext;
    call.one.exten = "s";
    call.one.priority = call.agent ? 4 : 1;
    if (call.agent) {
      return;
    }
    if (call.originateContext.equals(settings.amdContext())) {
      later(call, settings.amdSeconds(), () -> amdResult(call, 4));
    } else if (call.originateContext.equals(settings.agentlessContext())) {
      AgentlessScript script = AgentlessScript.of(call.plan, call.variables, settings);
      if (script.amd()) {
        later(call, settings.amdSeconds(), () -> amdResult(call, 6));
      }
      later(call, script.resultAfter(), () -> agentlessResult(call, script));
    }
    if (call.plan.talkSeconds() > 0) {
      later(call, call.plan.talkSeconds(), () -> remoteHangup(call));
    }
  }

  /** {@code UserEvent AMDResult}, as app_amd's verdict is reported by our dialplan. */
  private void amdResult(Call call, int priority) {
    if (call.ended) {
      return;
    }
    boolean machine = call.plan.outcome() == CallPlan.Outcome.MACHINE;
    call.one.priority = priority;
    emitChannel(
        "UserEvent",
        call.one,
        "UserEvent",
        "AMDResult",
        "AMDStatus",
        machine ? "MACHINE" : "HUMAN",
        "AMDCause",
        machine ? "LONGGREETING-1500-1500" : "HUMAN-800-800");
  }

  /**
   * {@code UserEvent DialerAgentless} from dialer-agentless; it hangs up after all but TRANSFER.
   */
  private void agentlessResult(Call call, AgentlessScript script) {
    if (call.ended || call.one.bridge != null || !call.one.context.equals(call.originateContext)) {
      return; // gone, or already taken elsewhere by the dialer
    }
    List<String> fields =
        new ArrayList<>(
            List.of(
                "UserEvent",
                "DialerAgentless",
                "Result",
                script.result(),
                "CallId",
                call.one.uniqueId));
    if (script.key() != null) {
      call.one.exten = script.key();
      call.one.priority = 1;
      fields.addAll(List.of("Key", script.key()));
    }
    emitChannel("UserEvent", call.one, fields.toArray(String[]::new));
    if (script.hangsUp()) {
      localHangup(call, 16);
    }
  }

  private void originateSuccess(Call call) {
    emit(
        "OriginateResponse",
        "call,all",
        "ActionID",
        call.actionId,
        "Response",
        "Success",
        "Channel",
        call.one.name,
        "Context",
        call.originateContext,
        "Exten",
        "s",
        "Reason",
        "4",
        "Uniqueid",
        call.one.uniqueId,
        "CallerIDNum",
        "<unknown>",
        "CallerIDName",
        "<unknown>");
  }

  private void originateFailure(Call call, int reason) {
    // Asterisk names the dial string here, not the channel: no "-xxxxxxxx;1" suffix.
    emit(
        "OriginateResponse",
        "call,all",
        "ActionID",
        call.actionId,
        "Response",
        "Failure",
        "Channel",
        call.dialString,
        "Context",
        call.originateContext,
        "Exten",
        "s",
        "Reason",
        Integer.toString(reason),
        "Uniqueid",
        call.one.uniqueId,
        "CallerIDNum",
        "<unknown>",
        "CallerIDName",
        "<unknown>");
  }

  /** The far end (customer or agent phone) hangs up: the ;2 leg goes first. */
  private void remoteHangup(Call call) {
    if (call.ended) {
      return;
    }
    Bridge bridge = call.one.bridge;
    call.two.priority = call.agent ? 3 : 8;
    emitChannel("SoftHangupRequest", call.two, "Cause", "16");
    emitChannel("HangupRequest", call.one, "Cause", "16");
    hangupChannel(call.two, 16);
    if (bridge != null) {
      leaveBridge(call.one);
    }
    hangupChannel(call.one, 16);
    end(call);
    if (bridge != null) {
      teardown(bridge);
    }
  }

  /** A Hangup action on the ;1 leg (the side the dialer controls). */
  private void localHangup(Call call, int cause) {
    if (call.ended) {
      return;
    }
    String c = Integer.toString(cause);
    Bridge bridge = call.one.bridge;
    boolean beforeAnswer = !call.resolved;
    call.resolved = true;
    if (bridge != null) {
      leaveBridge(call.one);
      emitChannel("HangupRequest", call.two, "Cause", c);
      hangupChannel(call.one, cause);
      teardown(bridge);
    } else {
      emitChannel("SoftHangupRequest", call.one, "Cause", c);
      emitChannel("HangupRequest", call.two, "Cause", c);
      hangupChannel(call.one, cause);
      if (beforeAnswer) {
        // Asterisk's dial loop sees the hangup: AST_CONTROL_HANGUP, Reason 1.
        originateFailure(call, 1);
      }
    }
    emitChannel("SoftHangupRequest", call.two, "Cause", c);
    hangupChannel(call.two, cause);
    end(call);
  }

  private void leaveBridge(Channel channel) {
    Bridge bridge = channel.bridge;
    bridge.members.remove(channel);
    channel.bridge = null;
    emitChannel("BridgeLeave", channel, bridgeFields(bridge));
  }

  /** The last member leaves; an agent leg goes back to holding, a lone customer is hung up. */
  private void teardown(Bridge bridge) {
    List<Channel> rest = new ArrayList<>(bridge.members);
    for (Channel other : rest) {
      leaveBridge(other);
    }
    emit("BridgeDestroy", "call,all", bridgeFields(bridge));
    for (Channel other : rest) {
      if (other.gone) {
        continue;
      }
      if (other.call.agent) {
        other.priority = 4;
        emitChannel("UserEvent", other, "UserEvent", "AgentIdle");
      } else {
        localHangup(other.call, 16);
      }
    }
  }

  private void hangupChannel(Channel channel, int cause) {
    if (channel.gone) {
      return;
    }
    channel.gone = true;
    channels.remove(channel.name);
    liveChannels.decrementAndGet();
    emitChannel("Hangup", channel, "Cause", Integer.toString(cause), "Cause-txt", causeText(cause));
  }

  private void end(Call call) {
    call.ended = true;
    call.resolved = true;
    for (ScheduledFuture<?> timer : call.timers) {
      timer.cancel(false);
    }
    call.timers.clear();
  }

  private void bridge(Session session, Map<String, String> action, String actionId) {
    Channel one = channels.get(action.getOrDefault("channel1", ""));
    Channel two = channels.get(action.getOrDefault("channel2", ""));
    if (one == null) {
      session.respond(actionId, "Error", "Channel1 does not exist: " + action.get("channel1"));
      return;
    }
    if (two == null) {
      session.respond(actionId, "Error", "Channel2 does not exist: " + action.get("channel2"));
      return;
    }
    session.respond(actionId, "Success", "Channels have been bridged");
    double delay = bridgeDelaySeconds;
    if (delay <= 0) {
      enterBridge(one, two);
    } else {
      later(
          one.call,
          delay,
          () -> {
            if (!one.gone && !two.gone) {
              enterBridge(one, two);
            }
          });
    }
  }

  private void enterBridge(Channel one, Channel two) {
    Bridge bridge =
        new Bridge(
            String.format(
                "%08x-0000-4000-8000-%012x", bridgeSequence++, System.nanoTime() & 0xffff));
    emit("BridgeCreate", "call,all", bridgeFields(bridge));
    for (Channel channel : List.of(one, two)) {
      if (channel.bridge != null) {
        leaveBridge(channel);
      }
      channel.linkedId = one.linkedId;
      channel.priority = 4;
      bridge.members.add(channel);
      channel.bridge = bridge;
      emitChannel("BridgeEnter", channel, bridgeFields(bridge));
    }
  }

  private void redirect(Session session, Map<String, String> action, String actionId) {
    Channel channel = channels.get(action.getOrDefault("channel", ""));
    if (channel == null) {
      session.respond(actionId, "Error", "Channel does not exist: " + action.get("channel"));
      return;
    }
    session.respond(actionId, "Success", "Redirect successful");
    Bridge bridge = channel.bridge;
    if (bridge != null) {
      leaveBridge(channel);
      List<Channel> rest = new ArrayList<>(bridge.members);
      for (Channel other : rest) {
        leaveBridge(other);
      }
      emit("BridgeDestroy", "call,all", bridgeFields(bridge));
      for (Channel other : rest) {
        if (other.call.agent && !other.gone) {
          emitChannel("UserEvent", other, "UserEvent", "AgentIdle");
        }
      }
    }
    channel.context = action.getOrDefault("context", channel.context);
    channel.exten = action.getOrDefault("exten", "s");
    channel.priority = (int) parseLong(action.get("priority"), 1);
    Call call = channel.call;
    if (channel.context.equals(settings.safeHarborContext())) {
      later(
          call,
          settings.safeHarborSeconds(),
          () -> {
            if (call.ended) {
              return;
            }
            channel.priority = 4;
            emitChannel(
                "UserEvent",
                channel,
                "UserEvent",
                "DialerSafeHarbor",
                "Result",
                call.plan.optOut() ? "OPTOUT" : "PLAYED");
            localHangup(call, 16);
          });
    }
  }

  private void hangupAction(Session session, Map<String, String> action, String actionId) {
    Channel channel = channels.get(action.getOrDefault("channel", ""));
    if (channel == null) {
      session.respond(actionId, "Error", "No such channel");
      return;
    }
    session.respond(actionId, "Success", "Channel Hungup");
    int cause = (int) parseLong(action.get("cause"), 16);
    if (channel.legTwo) {
      remoteHangup(channel.call);
    } else {
      localHangup(channel.call, cause);
    }
  }

  private void coreShowChannels(Session session, String actionId) {
    session.respond(actionId, "Success", "Channels will follow", "EventList", "start");
    int count = 0;
    for (Channel c : channels.values()) {
      count++;
      List<String> f = new ArrayList<>(List.of("ActionID", actionId == null ? "" : actionId));
      f.addAll(List.of(channelFields(c)));
      f.addAll(
          List.of(
              "BridgeId",
              c.bridge == null ? "" : c.bridge.id,
              "Application",
              c.call.agent ? "Wait" : "AppDial2",
              "ApplicationData",
              "",
              "Duration",
              duration(c),
              "BridgedChannel",
              "",
              "BridgedUniqueID",
              ""));
      session.send(event("CoreShowChannel", "call,all", f.toArray(String[]::new)));
    }
    session.send(
        event(
            "CoreShowChannelsComplete",
            "call,all",
            "ActionID",
            actionId == null ? "" : actionId,
            "EventList",
            "Complete",
            "ListItems",
            Integer.toString(count)));
  }

  private void status(Session session, Map<String, String> action, String actionId) {
    String only = action.get("channel");
    if (only != null && !only.isEmpty() && !channels.containsKey(only)) {
      session.respond(actionId, "Error", "No such channel");
      return;
    }
    session.respond(actionId, "Success", "Channel status will follow", "EventList", "start");
    int count = 0;
    for (Channel c : channels.values()) {
      if (only != null && !only.isEmpty() && !c.name.equals(only)) {
        continue;
      }
      count++;
      List<String> f = new ArrayList<>(List.of("ActionID", actionId == null ? "" : actionId));
      f.addAll(List.of(channelFields(c)));
      f.addAll(
          List.of(
              "BridgeID",
              c.bridge == null ? "" : c.bridge.id,
              "Seconds",
              Long.toString((System.nanoTime() - c.createdNanos) / 1_000_000_000L)));
      session.send(event("Status", "call,all", f.toArray(String[]::new)));
    }
    session.send(
        event(
            "StatusComplete",
            "call,all",
            "ActionID",
            actionId == null ? "" : actionId,
            "EventList",
            "Complete",
            "ListItems",
            Integer.toString(count),
            "Items",
            Integer.toString(count)));
  }

  // ---------------------------------------------------------------- wire helpers

  private void emitChannel(String name, Channel channel, String... extra) {
    String[] base = channelFields(channel);
    String[] all = new String[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    emit(name, name.equals("UserEvent") ? "user,all" : "call,all", all);
  }

  private static String[] channelFields(Channel c) {
    return new String[] {
      "Channel",
      c.name,
      "ChannelState",
      Integer.toString(c.state),
      "ChannelStateDesc",
      stateDesc(c.state),
      "CallerIDNum",
      "<unknown>",
      "CallerIDName",
      "<unknown>",
      "ConnectedLineNum",
      "<unknown>",
      "ConnectedLineName",
      "<unknown>",
      "Language",
      "en",
      "AccountCode",
      "",
      "Context",
      c.context,
      "Exten",
      c.exten,
      "Priority",
      Integer.toString(c.priority),
      "Uniqueid",
      c.uniqueId,
      "Linkedid",
      c.linkedId
    };
  }

  private static String[] destFields(Channel c, String... extra) {
    List<String> f =
        new ArrayList<>(
            List.of(
                "DestChannel",
                c.name,
                "DestChannelState",
                Integer.toString(c.state),
                "DestChannelStateDesc",
                stateDesc(c.state),
                "DestCallerIDNum",
                "<unknown>",
                "DestCallerIDName",
                "<unknown>",
                "DestConnectedLineNum",
                "<unknown>",
                "DestConnectedLineName",
                "<unknown>",
                "DestLanguage",
                "en",
                "DestAccountCode",
                "",
                "DestContext",
                c.context,
                "DestExten",
                c.exten,
                "DestPriority",
                Integer.toString(c.priority),
                "DestUniqueid",
                c.uniqueId,
                "DestLinkedid",
                c.linkedId));
    f.addAll(List.of(extra));
    return f.toArray(String[]::new);
  }

  private static String[] bridgeFields(Bridge bridge) {
    return new String[] {
      "BridgeUniqueid", bridge.id,
      "BridgeType", "basic",
      "BridgeTechnology", "simple_bridge",
      "BridgeCreator", "<unknown>",
      "BridgeName", "<unknown>",
      "BridgeNumChannels", Integer.toString(bridge.members.size()),
      "BridgeVideoSourceMode", "none"
    };
  }

  private void emit(String name, String privilege, String... fields) {
    broadcast(event(name, privilege, fields));
  }

  private void broadcast(String packet) {
    if (muted) {
      return;
    }
    for (Session session : sessions) {
      if (session.authenticated && session.events) {
        session.send(packet);
      }
    }
  }

  private static String event(String name, String privilege, String... fields) {
    StringBuilder sb = new StringBuilder(256);
    sb.append("Event: ").append(name).append("\r\n");
    sb.append("Privilege: ").append(privilege).append("\r\n");
    for (int i = 0; i + 1 < fields.length; i += 2) {
      sb.append(fields[i]).append(": ").append(fields[i + 1]).append("\r\n");
    }
    return sb.append("\r\n").toString();
  }

  private static String stateDesc(int state) {
    return switch (state) {
      case 0 -> "Down";
      case 4 -> "Ring";
      case 5 -> "Ringing";
      case 6 -> "Up";
      case 7 -> "Busy";
      default -> "Unknown";
    };
  }

  private static String causeText(int cause) {
    return switch (cause) {
      case 1 -> "Unallocated (unassigned) number";
      case 16 -> "Normal Clearing";
      case 17 -> "User busy";
      case 19 -> "User alerting, no answer";
      case 21 -> "Call Rejected";
      case 34 -> "Circuit/channel congestion";
      default -> "Unknown";
    };
  }

  private String duration(Channel c) {
    long seconds = (System.nanoTime() - c.createdNanos) / 1_000_000_000L;
    return String.format("%02d:%02d:%02d", seconds / 3600, (seconds / 60) % 60, seconds % 60);
  }

  private String nextUniqueId() {
    return (System.currentTimeMillis() / 1000) + "." + uniqueSequence++;
  }

  private static long parseLong(String text, long fallback) {
    if (text == null) {
      return fallback;
    }
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger counter = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
