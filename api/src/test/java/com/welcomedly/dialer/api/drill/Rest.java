package com.welcomedly.dialer.api.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * JSON over HTTP to whichever node is alive, as a load balancer in front of the cluster would: a
 * request goes to the first live node of the list and moves on when a node does not answer.
 */
final class Rest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Supplier<List<NodeProcess>> nodes;

  /** One answer: status and JSON body (null when none or not JSON); status -1 = nobody answered. */
  record Reply(int status, JsonNode json, String body) {
    boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  Rest(Supplier<List<NodeProcess>> nodes) {
    this.nodes = nodes;
  }

  Reply get(String path, String token) {
    return send("GET", path, token, null, null);
  }

  Reply post(String path, String token, Object body) {
    try {
      return send("POST", path, token, "application/json", JSON.writeValueAsString(body));
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  Reply postRaw(String path, String token, String contentType, String body) {
    return send("POST", path, token, contentType, body);
  }

  String login(String username, String password) {
    Reply reply =
        post("/api/auth/login", null, java.util.Map.of("username", username, "password", password));
    if (!reply.ok()) {
      throw new AssertionError("login of " + username + " failed: " + reply.body());
    }
    return reply.json().get("token").asText();
  }

  private Reply send(String method, String path, String token, String type, String body) {
    for (NodeProcess node : nodes.get()) {
      if (!node.isAlive()) {
        continue;
      }
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path))
              .timeout(Duration.ofSeconds(10))
              .method(
                  method,
                  body == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(body));
      if (token != null) {
        request.header("Authorization", "Bearer " + token);
      }
      if (type != null) {
        request.header("Content-Type", type);
      }
      try {
        HttpResponse<String> response =
            http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = null;
        try {
          json = response.body().isEmpty() ? null : JSON.readTree(response.body());
        } catch (IOException notJson) {
          // e.g. a plain-text error page
        }
        return new Reply(response.statusCode(), json, response.body());
      } catch (IOException e) {
        // This node is down or leaving: try the next one.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return new Reply(-1, null, "no node answered");
  }
}
