package io.daemonset.cluster;

import com.typesafe.config.Config;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap;
import org.apache.pekko.management.javadsl.PekkoManagement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pekko Management on the management port (daemonset.management.*, flag {@code --management-port}): health checks
 * {@code /alive} and {@code /ready}, {@code /cluster/members}, {@code /cluster/shards/<type>} and {@code /metrics};
 * and, when {@code daemonset.cluster.discovery} names a discovery method (kubernetes-api), Cluster Bootstrap, which
 * forms or joins the cluster instead of seed nodes.
 */
public final class Management {
  public static final String DISCOVERY_KEY = "daemonset.cluster.discovery";
  private static final Logger LOG = LoggerFactory.getLogger(Management.class);

  private Management() {}

  /** Whether this configuration joins through Cluster Bootstrap rather than seed nodes or itself. */
  public static boolean bootstraps(Config config) {
    return !config.getString(DISCOVERY_KEY).isBlank() && config.getStringList("pekko.cluster.seed-nodes").isEmpty();
  }

  /** Binds the management routes, then starts Cluster Bootstrap if configured. Completes with the bound URI. */
  public static CompletionStage<Uri> start(ActorSystem<?> system) {
    org.apache.pekko.actor.ActorSystem classic = Adapter.toClassic(system);
    ControlPlaneMetrics.get(system).watchShards(system);
    return PekkoManagement.get(classic).start().thenApply(uri -> {
      LOG.info("Pekko Management on {} (/alive, /ready, /cluster/members, /metrics)", uri);
      if (bootstraps(system.settings().config())) {
        LOG.info("joining through Cluster Bootstrap ({} discovery)", system.settings().config().getString(DISCOVERY_KEY));
        ClusterBootstrap.get(classic).start();
      }
      return uri;
    });
  }

  public static CompletionStage<org.apache.pekko.Done> stop(ActorSystem<?> system) {
    return PekkoManagement.get(Adapter.toClassic(system)).stop();
  }
}
