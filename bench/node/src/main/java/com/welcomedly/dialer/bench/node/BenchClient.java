package com.welcomedly.dialer.bench.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** The benchmark's HTTP side: the same requests a client of the API sends, over a real socket. */
final class BenchClient {

  record Job(String state, long accepted, long rejected) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();
  private final String base;

  BenchClient(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  /** The bootstrap admin is created asynchronously at start: retry until it can log in. */
  String loginWhenReady(String user, String password, Duration patience) throws Exception {
    long deadline = System.nanoTime() + patience.toNanos();
    String body = JSON.writeValueAsString(Map.of("username", user, "password", password));
    while (true) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/api/auth/login"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200) {
        return JSON.readTree(r.body()).get("token").asText();
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("login failed: " + r.statusCode() + " " + r.body());
      }
      Thread.sleep(500); // a CLI waiting for the node, not a test
    }
  }

  /** Streams the file as the request body; answers the job's Location. */
  String postCsv(String path, String token, Path csv) throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofFile(csv))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() == 202) {
      return r.headers().firstValue("Location").orElseThrow();
    }
    if (r.statusCode() == 200) {
      return "/api/imports/" + JSON.readTree(r.body()).get("jobId").asText();
    }
    throw new IllegalStateException("import refused: " + r.statusCode() + " " + r.body());
  }

  Job awaitDone(String location, String token, Duration patience) throws Exception {
    long deadline = System.nanoTime() + patience.toNanos();
    while (true) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(base + location))
                  .header("Authorization", "Bearer " + token)
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode job = JSON.readTree(r.body());
      String state = job.path("state").asText();
      if (state.equals("DONE") || state.equals("FAILED")) {
        if (state.equals("FAILED")) {
          throw new IllegalStateException("import failed: " + r.body());
        }
        return new Job(state, job.get("accepted").asLong(), job.get("rejectedCount").asLong());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("import still " + state + ": " + r.body());
      }
      Thread.sleep(100);
    }
  }
}
