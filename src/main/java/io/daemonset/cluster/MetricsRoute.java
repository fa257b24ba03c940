package io.daemonset.cluster;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.path;

import java.nio.charset.StandardCharsets;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.management.javadsl.ManagementRouteProvider;
import org.apache.pekko.management.javadsl.ManagementRouteProviderSettings;

/** {@code GET /metrics} on the management port: Prometheus text format (configured in daemonset/cluster.conf). */
public final class MetricsRoute implements ManagementRouteProvider {
  private static final ContentType PROMETHEUS_TEXT =
      MediaTypes.TEXT_PLAIN.toContentType(org.apache.pekko.http.javadsl.model.HttpCharsets.UTF_8);

  private final ExtendedActorSystem system;

  public MetricsRoute(ExtendedActorSystem system) {
    this.system = system;
  }

  @Override
  public Route routes(ManagementRouteProviderSettings settings) {
    return path("metrics", () -> get(() -> complete(HttpResponse.create().withEntity(PROMETHEUS_TEXT,
        ControlPlaneMetrics.ID.get(system).scrape().getBytes(StandardCharsets.UTF_8)))));
  }
}
