package com.welcomedly.dialer.api;

import static org.apache.pekko.http.javadsl.server.Directives.concat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.welcomedly.dialer.api.agent.AgentRoutes;
import com.welcomedly.dialer.api.auth.BootstrapAdmin;
import com.welcomedly.dialer.api.auth.Security;
import com.welcomedly.dialer.api.campaign.CampaignRoutes;
import com.welcomedly.dialer.api.cluster.ClusterFormation;
import com.welcomedly.dialer.api.compliance.ComplianceRoutes;
import com.welcomedly.dialer.api.demo.Demo;
import com.welcomedly.dialer.api.health.HealthRoutes;
import com.welcomedly.dialer.api.lead.LeadImportRoutes;
import com.welcomedly.dialer.api.lead.LeadRoutes;
import com.welcomedly.dialer.api.openapi.OpenApiRoutes;
import com.welcomedly.dialer.api.stats.LeaderboardRoutes;
import com.welcomedly.dialer.api.stats.StatsRoutes;
import com.welcomedly.dialer.api.web.WebRoutes;
import com.welcomedly.dialer.engine.CommonPool;
import com.welcomedly.dialer.engine.Engine;
import com.welcomedly.dialer.engine.persistence.DatabaseSettings;
import com.welcomedly.dialer.engine.persistence.EmbeddedDatabase;
import com.welcomedly.dialer.engine.persistence.SchemaMigrator;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import kamon.Kamon;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Boots one cluster node: database, schema, metrics, ActorSystem, engine, HTTP. */
public final class Main {
  private static final Logger log = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    CommonPool.ensureThreads();
    // The one-command demo (simulator, campaign, agent bots) unless --no-demo / DIALER_DEMO=off.
    Demo demo = Demo.fromCommandLine(args, ConfigFactory.load());
    DatabaseSettings requested = DatabaseSettings.fromConfig(ConfigFactory.load());
    Optional<EmbeddedDatabase> embedded =
        requested.isEmbedded() ? Optional.of(EmbeddedDatabase.start(requested)) : Optional.empty();
    DatabaseSettings database = embedded.map(EmbeddedDatabase::settings).orElse(requested);
    SchemaMigrator.migrate(database);

    Config config = demo.withSimulator(configWith(database));
    Kamon.init(config);
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "dialer", config);
    system
        .getWhenTerminated()
        .thenRun(
            () -> {
              Kamon.stop();
              demo.close();
              embedded.ifPresent(EmbeddedDatabase::close);
            });
    init(system)
        .thenAccept(
            binding -> {
              log.info(
                  "Welcomedly Dialer node up: http={} metrics=http://{}:{}/metrics cluster={} database={}",
                  "http://"
                      + binding.localAddress().getHostString()
                      + ":"
                      + binding.localAddress().getPort(),
                  config.getString("dialer.metrics.host"),
                  config.getInt("dialer.metrics.port"),
                  system.address(),
                  embedded
                      .map(db -> "embedded PostgreSQL on port " + db.port())
                      .orElse("external"));
              demo.start(system, binding);
            });
  }

  /**
   * The application config with the database's connection settings in place before substitutions
   * resolve, so persistence.conf's {@code ${dialer.db.url}} points at the started server.
   */
  public static Config configWith(DatabaseSettings database) {
    Config application =
        database.asConfigOverrides().withFallback(ConfigFactory.defaultApplication());
    return ConfigFactory.load(
        ClusterFormation.overrides(ConfigFactory.load(application)).withFallback(application));
  }

  /**
   * All wiring of a node, reused by integration tests on their own ActorSystems. Completes with the
   * HTTP binding (tests bind port 0 and read the real port from it).
   */
  public static CompletionStage<ServerBinding> init(ActorSystem<?> system) {
    OpenApiRoutes openApi = openApi(system);
    ClusterFormation.start(system);
    Engine.init(system);
    Security security = new Security(system);
    BootstrapAdmin.ensure(system, security.passwords())
        .whenComplete(
            (created, failure) -> {
              if (failure != null) {
                system.log().error("Could not create the bootstrap admin", failure);
              }
            });
    Route routes =
        concat(
            new HealthRoutes(system).routes(),
            openApi.routes(),
            security.routes(),
            new CampaignRoutes(system, security.authenticator()).routes(),
            new LeadRoutes(system, security.authenticator()).routes(),
            new LeadImportRoutes(system, security.authenticator()).routes(),
            new StatsRoutes(system, security.authenticator()).routes(),
            new LeaderboardRoutes(system, security.authenticator()).routes(),
            new ComplianceRoutes(system, security.authenticator()).routes(),
            new AgentRoutes(system, security.authenticator(), security.passwords()).routes(),
            new WebRoutes().routes());
    return HttpServer.start(routes, system);
  }

  /**
   * The OpenAPI document is assembled before the node joins the cluster: a broken fragment stops
   * the node at once instead of leaving a running ActorSystem without an HTTP API.
   */
  private static OpenApiRoutes openApi(ActorSystem<?> system) {
    try {
      return new OpenApiRoutes();
    } catch (RuntimeException e) {
      system.log().error("The OpenAPI document could not be assembled, terminating", e);
      system.terminate();
      throw e;
    }
  }
}
