package com.welcomedly.dialer.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** A node's "busy" answer (503 problem+json with Retry-After), and a client that honours it. */
public final class Busy {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Busy() {}

  public static void assertBusy(HttpResponse<String> busy) throws Exception {
    assertEquals(503, busy.statusCode(), busy.body());
    assertTrue(
        busy.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"),
        busy.headers().toString());
    long retryAfter = Long.parseLong(busy.headers().firstValue("Retry-After").orElseThrow());
    assertTrue(retryAfter >= 1, "Retry-After " + retryAfter);
    assertEquals(503, JSON.readTree(busy.body()).get("status").asInt());
  }

  /** Sends the request; a 503 is kept in {@code shed} and retried after its Retry-After. */
  public static CompletableFuture<HttpResponse<String>> sendRetrying(
      HttpClient http, Supplier<HttpRequest> request, Queue<HttpResponse<String>> shed) {
    return http.sendAsync(request.get(), HttpResponse.BodyHandlers.ofString())
        .thenCompose(
            answer -> {
              if (answer.statusCode() != 503) {
                return CompletableFuture.completedFuture(answer);
              }
              shed.add(answer);
              long seconds =
                  answer.headers().firstValue("Retry-After").map(Long::parseLong).orElse(1L);
              Executor later = CompletableFuture.delayedExecutor(seconds, TimeUnit.SECONDS);
              return CompletableFuture.supplyAsync(() -> request, later)
                  .thenCompose(again -> sendRetrying(http, again, shed));
            });
  }
}
