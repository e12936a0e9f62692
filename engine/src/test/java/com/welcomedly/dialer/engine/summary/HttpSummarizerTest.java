package com.welcomedly.dialer.engine.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import com.welcomedly.dialer.engine.campaign.Disposition;
import com.welcomedly.dialer.engine.lead.Lead;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP summarizer against a stub service on a real socket, success and every failure. */
class HttpSummarizerTest {

  private static SummaryStub stub;
  private static final CompletedCall SALE =
      RuleBasedSummarizerTest.call(
          "SALE",
          Disposition.Category.SUCCESS,
          Lead.Status.DONE,
          null,
          "signed",
          false,
          Duration.ofSeconds(90));

  @BeforeAll
  static void start() throws Exception {
    stub = new SummaryStub();
  }

  @AfterAll
  static void stop() {
    stub.close();
  }

  private static HttpSummarizer at(URI uri, Duration timeout) {
    return new HttpSummarizer(uri, "sk-test-key", Duration.ofSeconds(5), timeout);
  }

  private static String failure(HttpSummarizer summarizer) {
    CompletionException e =
        assertThrows(
            CompletionException.class,
            () -> summarizer.summarize(SALE).toCompletableFuture().join());
    HttpSummarizer.SummaryFailure failure =
        assertInstanceOf(HttpSummarizer.SummaryFailure.class, e.getCause());
    assertFalse(failure.getMessage().contains("sk-test-key"));
    return failure.getMessage();
  }

  @Test
  void aSummaryComesBackAndTheRequestCarriesTheCallButNoPhoneNumber() {
    String summary =
        at(stub.uri("/ok"), Duration.ofSeconds(10)).summarize(SALE).toCompletableFuture().join();
    assertEquals("Stub summary of SALE", summary);
    SummaryStub.Received request = stub.received.get(stub.received.size() - 1);
    assertEquals("Bearer sk-test-key", request.authorization());
    assertTrue(request.body().contains("\"attemptId\":\"att-1\""), request.body());
    assertTrue(request.body().contains("\"notes\":\"signed\""), request.body());
    assertTrue(request.body().contains("\"talkSeconds\":90"), request.body());
    assertTrue(request.body().contains("\"customFields\":{\"name\":\"Ann\"}"), request.body());
    assertFalse(request.body().matches(".*\\+?\\d{7,}.*"), request.body());
  }

  @Test
  void aServerErrorFails() {
    assertEquals("HTTP 500", failure(at(stub.uri("/error"), Duration.ofSeconds(10))));
  }

  @Test
  void aMalformedOrEmptyAnswerFails() {
    assertEquals(
        "malformed JSON answer", failure(at(stub.uri("/malformed"), Duration.ofSeconds(10))));
    assertEquals(
        "answer has no \"summary\" text",
        failure(at(stub.uri("/no-summary"), Duration.ofSeconds(10))));
  }

  @Test
  void aServiceThatDoesNotAnswerInTimeFails() {
    assertEquals("timed out", failure(at(stub.uri("/slow"), Duration.ofMillis(300))));
  }

  @Test
  void aRefusedConnectionFails() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    assertEquals(
        "connection refused or unreachable",
        failure(at(URI.create("http://127.0.0.1:" + closedPort + "/x"), Duration.ofSeconds(10))));
  }

  @Test
  void settingsChooseTheSummarizerAndNeverPrintTheKey() {
    var base = ConfigFactory.load();
    SummarySettings defaults = SummarySettings.fromConfig(base);
    assertEquals("built-in", defaults.summarizerToUse().name());
    SummarySettings http =
        SummarySettings.fromConfig(
            ConfigFactory.parseMap(
                    Map.of(
                        "dialer.summary.summarizer", "http",
                        "dialer.summary.http.url", stub.uri("/ok").toString(),
                        "dialer.summary.http.api-key", "sk-secret"))
                .withFallback(base));
    assertEquals("http", http.summarizerToUse().name());
    assertFalse(http.toString().contains("sk-secret"), http.toString());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            SummarySettings.fromConfig(
                ConfigFactory.parseMap(Map.of("dialer.summary.summarizer", "http"))
                    .withFallback(base)));
    assertFalse(
        SummarySettings.fromConfig(
                ConfigFactory.parseMap(Map.of("dialer.summary.summarizer", "off"))
                    .withFallback(base))
            .enabled());
  }
}
