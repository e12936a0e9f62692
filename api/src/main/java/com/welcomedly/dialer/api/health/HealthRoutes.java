package com.welcomedly.dialer.api.health;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.onSuccess;
import static org.apache.pekko.http.javadsl.server.Directives.path;

import com.welcomedly.dialer.api.Json;
import com.welcomedly.dialer.engine.fencing.FencingStatus;
import com.welcomedly.dialer.engine.fencing.LeaseKeeper;
import com.welcomedly.dialer.engine.persistence.JdbcPool;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /health}: the process answers (liveness). {@code GET /ready}: this node is an Up
 * cluster member, the database answers and (with fencing on) its cluster holds the leases in the
 * database (readiness: a load balancer sends traffic only then).
 */
public final class HealthRoutes {

  /** Liveness body. */
  public record Health(String status) {}

  /** One readiness check with a human-readable detail. */
  public record Check(boolean up, String detail) {}

  /** Readiness body: overall status plus each check. */
  public record Readiness(String status, Map<String, Check> checks) {
    public Readiness {
      checks = Map.copyOf(checks);
    }
  }

  private final ActorSystem<?> system;

  public HealthRoutes(ActorSystem<?> system) {
    this.system = system;
  }

  /** Method inside path: a non-GET to an unknown path must be a 404, not a 405 from here. */
  public Route routes() {
    return concat(
        path(
            "health",
            () -> get(() -> complete(StatusCodes.OK, new Health("UP"), Json.marshaller(system)))),
        path(
            "ready",
            () ->
                get(
                    () ->
                        onSuccess(
                            readiness(),
                            ready ->
                                complete(
                                    "UP".equals(ready.status())
                                        ? StatusCodes.OK
                                        : StatusCodes.SERVICE_UNAVAILABLE,
                                    ready,
                                    Json.marshaller(system))))));
  }

  /**
   * With the PostgreSQL lease configured (fencing.conf), a node is ready only while its cluster is
   * the one fenced in the database: see {@link LeaseKeeper#status()}.
   */
  private Optional<Check> fencing() {
    if (system.settings().config().getString("pekko.cluster.sharding.use-lease").isEmpty()) {
      return Optional.empty();
    }
    FencingStatus status = LeaseKeeper.get(system).status();
    return Optional.of(new Check(status.up(), status.detail()));
  }

  private CompletionStage<Readiness> readiness() {
    MemberStatus status = Cluster.get(system).selfMember().status();
    Check cluster = new Check(status == MemberStatus.up(), "member status " + status);
    return JdbcPool.get(system)
        .isReachable(system.settings().config().getDuration("dialer.db.health-check-timeout"))
        .thenApply(
            reachable -> {
              Check database =
                  new Check(reachable, reachable ? "SELECT 1 answered" : "database unreachable");
              Map<String, Check> checks =
                  new HashMap<>(Map.of("cluster", cluster, "database", database));
              fencing().ifPresent(lease -> checks.put("lease", lease));
              boolean up = checks.values().stream().allMatch(Check::up);
              return new Readiness(up ? "UP" : "DOWN", checks);
            });
  }
}
