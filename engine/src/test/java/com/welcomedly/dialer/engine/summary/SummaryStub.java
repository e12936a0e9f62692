package com.welcomedly.dialer.engine.summary;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A summary service on a real socket (JDK HttpServer, port 0). {@code /ok} answers a summary that
 * quotes the request's disposition, unless the notes contain "fail-500"; {@code /error} answers
 * 500; {@code /malformed} answers non-JSON; {@code /no-summary} JSON without the field; {@code
 * /slow} never answers until {@link #close()}.
 */
public final class SummaryStub implements AutoCloseable {
  public record Received(String authorization, String body) {}

  public final List<Received> received = new CopyOnWriteArrayList<>();
  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final CountDownLatch closing = new CountDownLatch(1);

  public SummaryStub() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext(
        "/ok",
        ex -> {
          String body = read(ex);
          if (body.contains("fail-500")) {
            answer(ex, 500, "{\"error\":\"model overloaded\"}");
            return;
          }
          String code = body.replaceAll(".*\"disposition\":\"([A-Z_]+)\".*", "$1");
          answer(ex, 200, "{\"summary\":\"Stub summary of " + code + "\"}");
        });
    server.createContext("/error", ex -> answer(ex, 500, read(ex).isEmpty() ? "" : "oops"));
    server.createContext("/malformed", ex -> answer(ex, 200, read(ex).isEmpty() ? "" : "<html>"));
    server.createContext(
        "/no-summary", ex -> answer(ex, 200, read(ex).isEmpty() ? "" : "{\"text\":\"x\"}"));
    server.createContext(
        "/slow",
        ex -> {
          read(ex);
          try {
            closing.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          ex.close();
        });
    server.start();
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  private String read(HttpExchange ex) throws IOException {
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    received.add(new Received(ex.getRequestHeaders().getFirst("Authorization"), body));
    return body;
  }

  private static void answer(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      ex.getResponseBody().write(bytes);
    }
    ex.close();
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
