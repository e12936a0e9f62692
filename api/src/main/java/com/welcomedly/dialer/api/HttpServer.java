package com.welcomedly.dialer.api;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Route;

/** Binds the node's HTTP API; a failed bind terminates the node instead of leaving it deaf. */
public final class HttpServer {

  private HttpServer() {}

  public static CompletionStage<ServerBinding> start(Route routes, ActorSystem<?> system) {
    String host = system.settings().config().getString("dialer.http.host");
    int port = system.settings().config().getInt("dialer.http.port");
    Duration drain = system.settings().config().getDuration("dialer.http.shutdown-drain");
    Route sealed = Problems.seal(routes, system);
    return Http.get(system)
        .newServerAt(host, port)
        .bind(sealed)
        .whenComplete(
            (binding, failure) -> {
              if (failure != null) {
                system
                    .log()
                    .error("HTTP server failed to bind {}:{}, terminating", host, port, failure);
                system.terminate();
              } else {
                binding.addToCoordinatedShutdown(drain, system);
                InetSocketAddress address = binding.localAddress();
                system
                    .log()
                    .info("HTTP API on http://{}:{}", address.getHostString(), address.getPort());
              }
            });
  }
}
