package com.welcomedly.dialer.engine.summary;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Asks an external service (an LLM gateway, say) for the summary: {@code POST url} with the call as
 * JSON and {@code Authorization: Bearer <key>}; a 2xx answer {@code {"summary": "..."}} is the
 * summary. Everything else fails the stage with a {@link SummaryFailure} whose message names the
 * cause (status, timeout, refused, malformed) and never the key. Non-blocking: {@code sendAsync}
 * with a per-request timeout.
 *
 * <p>The request carries the lead's custom fields and notes but never its phone number: the summary
 * does not need it and it should not leave the call centre for this.
 */
public final class HttpSummarizer implements CallSummarizer {
  public static final String NAME = "http";

  /** Why the external summarizer gave no summary; the message is safe to log. */
  public static final class SummaryFailure extends RuntimeException {
    SummaryFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI url;
  private final String apiKey;
  private final Duration timeout;
  private final HttpClient client;

  public HttpSummarizer(URI url, String apiKey, Duration connectTimeout, Duration timeout) {
    this.url = url;
    this.apiKey = apiKey;
    this.timeout = timeout;
    this.client = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public CompletionStage<String> summarize(CompletedCall call) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json");
    if (apiKey != null && !apiKey.isEmpty()) {
      request.header("Authorization", "Bearer " + apiKey);
    }
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(requestBody(call));
    } catch (JsonProcessingException e) {
      return CompletableFuture.failedFuture(new SummaryFailure("request not serializable", e));
    }
    return client
        .sendAsync(
            request.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
            HttpResponse.BodyHandlers.ofString())
        .handle(
            (response, error) -> {
              if (error != null) {
                throw failure(error);
              }
              return summaryIn(response);
            });
  }

  private static String summaryIn(HttpResponse<String> response) {
    if (response.statusCode() / 100 != 2) {
      throw new SummaryFailure("HTTP " + response.statusCode(), null);
    }
    JsonNode summary;
    try {
      summary = JSON.readTree(response.body()).path("summary");
    } catch (JsonProcessingException e) {
      throw new SummaryFailure("malformed JSON answer", e);
    }
    if (!summary.isTextual() || summary.asText().isBlank()) {
      throw new SummaryFailure("answer has no \"summary\" text", null);
    }
    return summary.asText().strip();
  }

  private static SummaryFailure failure(Throwable error) {
    Throwable cause = error.getCause() != null ? error.getCause() : error;
    if (cause instanceof HttpTimeoutException) {
      return new SummaryFailure("timed out", cause);
    }
    if (cause instanceof java.net.ConnectException) {
      return new SummaryFailure("connection refused or unreachable", cause);
    }
    return new SummaryFailure(cause.getClass().getSimpleName(), cause);
  }

  private static Map<String, Object> requestBody(CompletedCall call) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("leadId", call.leadId());
    body.put("campaignId", call.campaignId());
    body.put("attemptId", call.attemptId());
    body.put("agentId", call.agentId());
    body.put("disposition", call.dispositionCode());
    body.put("category", call.category() == null ? null : call.category().name());
    body.put("leadStatus", call.leadStatus() == null ? null : call.leadStatus().name());
    body.put(
        "callback",
        call.callback() == null
            ? null
            : Map.of(
                "localTime", call.callback().localTime().toString(),
                "timezone", call.callback().timezone()));
    body.put("notes", call.notes());
    body.put("byTimeout", call.byTimeout());
    body.put("talkSeconds", call.talkTime() == null ? null : call.talkTime().toSeconds());
    body.put("customFields", call.customFields());
    body.put("recordingPath", call.recordingPath().map(Object::toString).orElse(null));
    return body;
  }
}
