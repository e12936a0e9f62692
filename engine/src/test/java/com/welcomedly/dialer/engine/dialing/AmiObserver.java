package com.welcomedly.dialer.engine.dialing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * The real-Asterisk suite's witness: a second, read-only AMI connection that records every event
 * with Asterisk's own {@code Timestamp} (manager.conf {@code timestampevents = yes}), including the
 * dialplan events the engine's user filters out ({@code Newexten}: which application started when).
 * Figures measured from it are PBX-side times, independent of the engine's clock.
 */
final class AmiObserver implements AutoCloseable {

  private final List<Map<String, String>> events = new CopyOnWriteArrayList<>();
  private final int port;
  private volatile Socket socket;
  private final java.util.concurrent.atomic.AtomicInteger disconnects =
      new java.util.concurrent.atomic.AtomicInteger();

  AmiObserver(int port) {
    this.port = port;
  }

  /** (Re)connects and logs in; events of a closed connection stay recorded. */
  void connect() throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    OutputStream out = s.getOutputStream();
    out.write(
        ("Action: Login\r\nUsername: "
                + RealAsterisk.OBSERVER_USER
                + "\r\nSecret: "
                + RealAsterisk.OBSERVER_SECRET
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    socket = s;
    Thread reader = new Thread(() -> read(s), "ami-observer");
    reader.setDaemon(true);
    reader.start();
  }

  private void read(Socket s) {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
      Map<String, String> packet = new HashMap<>();
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isEmpty()) {
          if (packet.containsKey("Event")) {
            events.add(Map.copyOf(packet));
          }
          packet = new HashMap<>();
          continue;
        }
        int colon = line.indexOf(": ");
        if (colon > 0) {
          // The first occurrence wins: UserEvent bodies may repeat a key (Reason).
          packet.putIfAbsent(line.substring(0, colon), line.substring(colon + 2));
        }
      }
    } catch (IOException closed) {
      // the PBX went away (restart) or we closed it
    }
    disconnects.incrementAndGet();
  }

  /** How often a recording connection ended (a restart, or Asterisk cutting a slow reader off). */
  int disconnects() {
    return disconnects.get();
  }

  List<Map<String, String>> events(Predicate<Map<String, String>> filter) {
    return events.stream().filter(filter).toList();
  }

  /** The first matching event's Asterisk timestamp in seconds, or NaN. */
  double firstTime(Predicate<Map<String, String>> filter) {
    return events.stream()
        .filter(filter)
        .mapToDouble(e -> Double.parseDouble(e.getOrDefault("Timestamp", "NaN")))
        .findFirst()
        .orElse(Double.NaN);
  }

  static Predicate<Map<String, String>> event(String name, String key, String value) {
    return e -> name.equals(e.get("Event")) && value.equals(e.get(key));
  }

  @Override
  public void close() throws IOException {
    Socket s = socket;
    if (s != null) {
      s.close();
    }
  }
}
