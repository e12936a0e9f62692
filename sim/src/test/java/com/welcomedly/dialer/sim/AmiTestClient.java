package com.welcomedly.dialer.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A bare AMI client for simulator tests: logs in, sends actions, records every event in order. */
final class AmiTestClient implements AutoCloseable {
  final Socket socket;
  final OutputStream out;
  final BlockingQueue<Map<String, String>> incoming = new LinkedBlockingQueue<>();
  final List<Map<String, String>> events = new ArrayList<>();
  final Thread reader;
  int actionIds;

  AmiTestClient(int port) throws IOException, InterruptedException {
    socket = new Socket(InetAddress.getLoopbackAddress(), port);
    out = socket.getOutputStream();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    assertEquals(AmiSimulator.BANNER, in.readLine());
    reader =
        new Thread(
            () -> {
              Map<String, String> packet = new LinkedHashMap<>();
              try {
                String line;
                while ((line = in.readLine()) != null) {
                  if (line.isEmpty()) {
                    if (!packet.isEmpty()) {
                      incoming.add(packet);
                      packet = new LinkedHashMap<>();
                    }
                  } else if (line.indexOf(':') > 0) {
                    int c = line.indexOf(':');
                    packet.putIfAbsent(line.substring(0, c), line.substring(c + 1).trim());
                  }
                }
              } catch (IOException e) {
                // closed by the test
              }
            });
    reader.setDaemon(true);
    reader.start();
    action("Login", "Username", "dialer", "Secret", "dialer");
    await(p -> "Authentication accepted".equals(p.get("Message")));
  }

  void action(String name, String... fields) throws IOException {
    StringBuilder sb = new StringBuilder("Action: ").append(name).append("\r\n");
    sb.append("ActionID: a").append(++actionIds).append("\r\n");
    for (int i = 0; i + 1 < fields.length; i += 2) {
      sb.append(fields[i]).append(": ").append(fields[i + 1]).append("\r\n");
    }
    out.write(sb.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  void originate(String channel, String context, String id, int timeoutMillis) throws IOException {
    action(
        "Originate",
        "Channel",
        channel,
        "Context",
        context,
        "Exten",
        "s",
        "Priority",
        "1",
        "Async",
        "true",
        "Timeout",
        Integer.toString(timeoutMillis),
        "ChannelId",
        id,
        "OtherChannelId",
        id + "-2");
  }

  /** The base name (without ;1/;2) of the Local pair created for this ChannelId. */
  String channelOf(String uniqueId) throws InterruptedException {
    Map<String, String> created =
        await(e -> "Newchannel".equals(e.get("Event")) && uniqueId.equals(e.get("Uniqueid")));
    String name = created.get("Channel");
    return name.substring(0, name.length() - 2);
  }

  Map<String, String> await(Predicate<Map<String, String>> until) throws InterruptedException {
    for (Map<String, String> seen : events) {
      if (until.test(seen)) {
        return seen;
      }
    }
    while (true) {
      Map<String, String> next = incoming.poll(10, TimeUnit.SECONDS);
      assertNotNull(next, "timed out waiting for an AMI packet");
      if (next.containsKey("Event")) {
        events.add(next);
      }
      if (until.test(next)) {
        return next;
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
