package com.welcomedly.dialer.api.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap;
import org.apache.pekko.management.javadsl.PekkoManagement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a node finds its cluster ({@code dialer.cluster.join}, see formation.conf and
 * docs/cluster.md). {@code bootstrap}: Pekko Management Cluster Bootstrap; the node probes the
 * contact points from discovery (a static list, or the Kubernetes API) and joins the cluster they
 * report; only when all required contact points answer and none is in a cluster does the one with
 * the lowest address form a new cluster, so a restarted node never founds a second cluster because
 * its peers were slow. {@code seed-nodes}: Pekko's static seed list (chosen whenever {@code
 * dialer.cluster.seed-nodes} is non-empty). {@code self}: a one-node cluster (tests).
 */
public final class ClusterFormation {

  private static final Logger log = LoggerFactory.getLogger(ClusterFormation.class);

  private ClusterFormation() {}

  /** The effective mode: a configured seed list always wins, so old configurations keep working. */
  public static String mode(Config config) {
    if (!config.getStringList("pekko.cluster.seed-nodes").isEmpty()) {
      return "seed-nodes";
    }
    return config.getString("dialer.cluster.join");
  }

  /**
   * Config computed from {@code dialer.cluster.*} for the bootstrap: the {@code config} discovery's
   * endpoints (the contact points; none configured = this node alone) and how many of them must
   * answer before a new cluster may be formed.
   */
  public static Config overrides(Config config) {
    String service = config.getString("dialer.cluster.service-name");
    List<String> points =
        Arrays.stream(config.getString("dialer.cluster.contact-points").split(","))
            .map(String::trim)
            .filter(p -> !p.isEmpty())
            .toList();
    if (points.isEmpty()) {
      points =
          List.of(
              config.getString("dialer.management.host")
                  + ":"
                  + config.getInt("dialer.management.port"));
    }
    List<Map<String, Object>> endpoints =
        points.stream()
            .map(
                p -> {
                  int colon = p.lastIndexOf(':');
                  if (colon <= 0) {
                    throw new IllegalArgumentException(
                        "dialer.cluster.contact-points: '" + p + "' is not host:management-port");
                  }
                  return Map.<String, Object>of(
                      "host", p.substring(0, colon),
                      "port", Integer.parseInt(p.substring(colon + 1)));
                })
            .toList();
    int required = config.getInt("dialer.cluster.required-contact-points");
    if (required <= 0) {
      required =
          "config".equals(config.getString("dialer.cluster.discovery-method"))
              ? endpoints.size()
              : 1;
    }
    return ConfigFactory.parseMap(
        Map.of(
            "pekko.discovery.config.services." + service + ".endpoints",
            endpoints,
            "pekko.management.cluster.bootstrap.contact-point-discovery.required-contact-point-nr",
            required));
  }

  /** Starts joining as configured; called once by {@code Main.init} before the engine starts. */
  public static void start(ActorSystem<?> system) {
    Config config = system.settings().config();
    String mode = mode(config);
    switch (mode) {
      case "bootstrap" -> {
        PekkoManagement.get(system.classicSystem()).start();
        ClusterBootstrap.get(system.classicSystem()).start();
        String prefix = "pekko.management.cluster.bootstrap.contact-point-discovery.";
        log.info(
            "Cluster formation: bootstrap via {} discovery of '{}' (management on {}:{}); a new"
                + " cluster is formed only when {} contact point(s) answer and none is in a cluster",
            config.getString(prefix + "discovery-method"),
            config.getString(prefix + "service-name"),
            config.getString("pekko.management.http.hostname"),
            config.getInt("pekko.management.http.port"),
            config.getInt(prefix + "required-contact-point-nr"));
      }
      case "seed-nodes" ->
          log.info(
              "Cluster formation: seed nodes {}", config.getStringList("pekko.cluster.seed-nodes"));
      case "self" -> {
        Cluster cluster = Cluster.get(system);
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
        log.info("Cluster formation: single node (joins itself)");
      }
      default ->
          throw new IllegalArgumentException(
              "dialer.cluster.join must be bootstrap, seed-nodes or self, not '" + mode + "'");
    }
  }
}
