package com.welcomedly.dialer.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** A test client that talks to a node's API over a real socket, JSON in and out. */
public final class ApiClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final String baseUrl;

  /** One response: status, headers and the body parsed as JSON (or null when empty/not JSON). */
  public record Response(int status, HttpResponse<String> raw, JsonNode json) {
    public String contentType() {
      return raw.headers().firstValue("Content-Type").orElse("");
    }

    public Optional<String> header(String name) {
      return raw.headers().firstValue(name);
    }
  }

  public ApiClient(int port) {
    this.baseUrl = "http://127.0.0.1:" + port;
  }

  public Response get(String path, String token) {
    return send(builder(path, token).GET());
  }

  public Response post(String path, String token, Object body) {
    return send(
        builder(path, token).POST(publisher(body)).header("Content-Type", "application/json"));
  }

  public Response put(String path, String token, Object body) {
    return send(
        builder(path, token).PUT(publisher(body)).header("Content-Type", "application/json"));
  }

  public Response patch(String path, String token, Object body) {
    return request("PATCH", path, token, body);
  }

  /** Any method; a null body sends none. */
  public Response request(String method, String path, String token, Object body) {
    HttpRequest.Builder builder = builder(path, token);
    return send(
        body == null
            ? builder.method(method, HttpRequest.BodyPublishers.noBody())
            : builder.method(method, publisher(body)).header("Content-Type", "application/json"));
  }

  public Response postRaw(String path, String token, String contentType, String body) {
    return send(
        builder(path, token)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", contentType));
  }

  /** Logs in and returns the bearer token; fails the test if the login is refused. */
  public String login(String username, String password) {
    Response response = post("/api/auth/login", null, new Login(username, password));
    if (response.status() != 200) {
      throw new AssertionError("login of " + username + " failed: " + response.raw().body());
    }
    return response.json().get("token").asText();
  }

  private record Login(String username, String password) {}

  private HttpRequest.Builder builder(String path, String token) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(20));
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    return builder;
  }

  private static HttpRequest.BodyPublisher publisher(Object body) {
    try {
      return HttpRequest.BodyPublishers.ofString(
          body instanceof String s ? s : JSON.writeValueAsString(body));
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> raw = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json = null;
      if (raw.body() != null && !raw.body().isEmpty() && raw.body().trim().startsWith("{")) {
        json = JSON.readTree(raw.body());
      }
      return new Response(raw.statusCode(), raw, json);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
