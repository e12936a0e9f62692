package com.welcomedly.dialer.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;

/**
 * A real WebSocket client (the JDK's) on an agent's channel; every complete text message goes to a
 * probe, so tests wait for messages with the TestKit instead of sleeping.
 */
public final class AgentSocket implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final TestProbe<String> probe;
  private final WebSocket socket;

  private AgentSocket(TestProbe<String> probe, WebSocket socket) {
    this.probe = probe;
    this.socket = socket;
  }

  /** Connects with the token as the {@code access_token} query parameter, as a browser would. */
  public static AgentSocket open(int port, String agentId, String token, TestProbe<String> probe)
      throws Exception {
    return new AgentSocket(probe, connect(port, agentId, token, probe.getRef()::tell));
  }

  /**
   * Connects and hands every complete text message to {@code onText} instead of a probe of its own,
   * e.g. to merge several agents' channels into one inbox; {@link #await} is not available.
   */
  public static AgentSocket open(int port, String agentId, String token, Consumer<String> onText)
      throws Exception {
    return new AgentSocket(null, connect(port, agentId, token, onText));
  }

  private static WebSocket connect(int port, String agentId, String token, Consumer<String> onText)
      throws Exception {
    StringBuilder partial = new StringBuilder();
    WebSocket.Listener listener =
        new WebSocket.Listener() {
          @Override
          public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
              onText.accept(partial.toString());
              partial.setLength(0);
            }
            ws.request(1);
            return null;
          }
        };
    return HttpClient.newHttpClient()
        .newWebSocketBuilder()
        .buildAsync(
            URI.create(
                "ws://127.0.0.1:" + port + "/api/agents/" + agentId + "/ws?access_token=" + token),
            listener)
        .get(20, TimeUnit.SECONDS);
  }

  public void send(Object message) throws Exception {
    String text = message instanceof String s ? s : JSON.writeValueAsString(message);
    socket.sendText(text, true).get(20, TimeUnit.SECONDS);
  }

  /** Skips messages until one of {@code type} arrives, and returns it. */
  public JsonNode await(String type, Duration timeout) {
    List<String> seen =
        probe.fishForMessage(
            timeout,
            text ->
                type.equals(parse(text).path("type").asText())
                    ? FishingOutcomes.complete()
                    : FishingOutcomes.continueAndIgnore());
    return parse(seen.get(seen.size() - 1));
  }

  /** Waits for a {@code state} message with this status. */
  public JsonNode awaitStatus(String status, Duration timeout) {
    List<String> seen =
        probe.fishForMessage(
            timeout,
            text -> {
              JsonNode m = parse(text);
              return "state".equals(m.path("type").asText())
                      && status.equals(m.path("status").asText())
                  ? FishingOutcomes.complete()
                  : FishingOutcomes.continueAndIgnore();
            });
    JsonNode state = parse(seen.get(seen.size() - 1));
    assertEquals(status, state.get("status").asText());
    return state;
  }

  public static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new IllegalStateException("not JSON: " + text, e);
    }
  }

  @Override
  public void close() {
    socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS).join();
  }
}
