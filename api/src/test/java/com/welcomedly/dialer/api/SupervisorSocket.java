package com.welcomedly.dialer.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A real WebSocket client (the JDK's) on a campaign's supervisor stream ({@code
 * /api/campaigns/{id}/stream}). It keeps every message in arrival order, so tests can wait for what
 * they expect with {@code awaitAssert} and ask what came after a given moment ({@link #mark()}).
 */
public final class SupervisorSocket implements WebSocket.Listener {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final List<JsonNode> received = new CopyOnWriteArrayList<>();
  private final StringBuilder partial = new StringBuilder();
  private WebSocket socket;

  private SupervisorSocket() {}

  /** Connects; {@code query} carries the token, e.g. {@code "?access_token=" + token}. */
  public static SupervisorSocket open(int port, String campaignId, String query) throws Exception {
    SupervisorSocket listener = new SupervisorSocket();
    listener.socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .buildAsync(uri(port, campaignId, query), listener)
            .get(20, TimeUnit.SECONDS);
    return listener;
  }

  /** The HTTP status the upgrade was refused with; fails if it was accepted. */
  public static int refusal(int port, String campaignId, String query) {
    CompletableFuture<WebSocket> attempt =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .buildAsync(uri(port, campaignId, query), new SupervisorSocket());
    try {
      attempt.join().abort();
      throw new AssertionError("the upgrade was accepted");
    } catch (CompletionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException refused) {
        return refused.getResponse().statusCode();
      }
      throw e;
    }
  }

  private static URI uri(int port, String campaignId, String query) {
    return URI.create(
        "ws://127.0.0.1:" + port + "/api/campaigns/" + campaignId + "/stream" + query);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      try {
        received.add(JSON.readTree(partial.toString()));
      } catch (Exception e) {
        throw new IllegalStateException("not JSON: " + partial, e);
      }
      partial.setLength(0);
    }
    webSocket.request(1);
    return null;
  }

  /** Every message of this {@code type} so far, oldest first. */
  public List<JsonNode> ofType(String type) {
    return ofTypeSince(type, 0);
  }

  /** How many messages have arrived: a position for {@link #ofTypeSince}. */
  public int mark() {
    return received.size();
  }

  /** The messages of this {@code type} that arrived after {@code mark}, oldest first. */
  public List<JsonNode> ofTypeSince(String type, int mark) {
    return received.subList(mark, received.size()).stream()
        .filter(m -> m.path("type").asText().equals(type))
        .toList();
  }

  public void close() {
    socket.abort();
  }
}
