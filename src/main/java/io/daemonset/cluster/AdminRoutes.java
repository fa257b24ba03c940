package io.daemonset.cluster;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.parameterOptional;
import static org.apache.pekko.http.javadsl.server.Directives.path;

import io.daemonset.audit.AuditEntry;
import io.daemonset.audit.AuditTrail;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * Admin endpoints beside the Kubernetes API (the API shell lets only system:masters reach them):
 * {@code GET /audit[?entity=DaemonSet default/fluentd][&after=N][&format=json]} replays the journal.
 */
public final class AdminRoutes {
  private AdminRoutes() {}

  public static Route create(ControlPlane plane) {
    return path("audit", () -> get(() -> parameterOptional("entity", entity -> parameterOptional("after",
        after -> parameterOptional("format", format -> {
          long from = after.map(Long::parseLong).orElse(0L);
          boolean json = format.map("json"::equals).orElse(false);
          Source<AuditEntry, ?> trail = AuditTrail.replay(plane.member().readJournal(), from)
              .filter(e -> entity.map(e.entity()::equals).orElse(true));
          Source<ByteString, ?> lines = trail.map(e -> ByteString.fromString(
              (json ? io.daemonset.model.Json.write(e) : e.toLine()) + "\n"));
          return complete(HttpResponse.create().withEntity(HttpEntities.create(
              json ? ContentTypes.APPLICATION_JSON : ContentTypes.TEXT_PLAIN_UTF8, lines)));
        })))));
  }
}
