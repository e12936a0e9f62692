package com.welcomedly.dialer.sim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One AMI client connection, on its own reader thread: reads packets, answers Challenge, Login and
 * Logoff itself, and hands every other action to the PBX thread ({@link Pbx#onAction}). Writes are
 * synchronized on the socket's stream, since the PBX thread sends events to every session.
 */
final class AmiSession {
  private static final Logger LOG = Logger.getLogger(AmiSession.class.getName());

  private final AmiSimulator simulator;
  private final Pbx pbx;
  private final Socket socket;
  private final OutputStream out;
  volatile boolean authenticated;
  volatile boolean events = true;
  private volatile String challenge;

  AmiSession(AmiSimulator simulator, Pbx pbx, Socket socket) throws IOException {
    this.simulator = simulator;
    this.pbx = pbx;
    this.socket = socket;
    this.out = socket.getOutputStream();
  }

  void run() {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
      writeRaw(AmiSimulator.BANNER + "\r\n");
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
    if (simulator.frozen()) {
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
        pbx.submit(() -> pbx.onAction(this, name, action, variables, actionId));
      }
    }
  }

  private void login(Map<String, String> action, String actionId) {
    boolean ok = simulator.settings().username().equals(action.get("username"));
    if (ok && action.containsKey("key")) {
      ok = md5(challenge + simulator.settings().secret()).equalsIgnoreCase(action.get("key"));
    } else if (ok) {
      ok = simulator.settings().secret().equals(action.get("secret"));
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
          AmiWire.event(
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
    if (simulator.muted() && authenticated) {
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
    simulator.sessionClosed(this);
    try {
      socket.close();
    } catch (IOException e) {
      LOG.log(Level.FINE, "closing client", e);
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
}
