package io.daemonset.api;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.completeWithFuture;
import static org.apache.pekko.http.javadsl.server.Directives.extractActorSystem;

import io.daemonset.model.Status;
import io.daemonset.view.ObjectStore;
import io.daemonset.view.StoredObject;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * get, list and watch, the same for every resource (daemonsets, nodes, pods, controllerrevisions, events), served
 * from this JVM's view; and the answer for writes to the read-only ones (controllerrevisions and events are written
 * by the controller alone).
 */
final class ReadOnlyRoutes {
  private final ObjectStore store;
  private final Clock clock;
  private final WatchRoute watch;

  ReadOnlyRoutes(ObjectStore store, Clock clock, WatchRoute watch) {
    this.store = store;
    this.clock = clock;
    this.watch = watch;
  }

  /** The read verbs; empty for anything else. */
  Optional<Route> read(Call call) {
    return switch (call.req().verb()) {
      case "get" -> Optional.of(get(call));
      case "list" -> Optional.of(list(call));
      case "watch" -> Optional.of(watch.route(call));
      default -> Optional.empty();
    };
  }

  /** controllerrevisions and events: reads, and 405 for every write. */
  Route readOnly(Call call) {
    return read(call).orElseGet(() -> complete(Responses.status(methodNotAllowed(call,
        call.kind().resource + " are written by the DaemonSet controller only; " + call.req().verb()
            + " is not supported on resources of kind " + Authorizer.quote(call.groupResource().toString())))));
  }

  Route get(Call call) {
    StoredObject stored = find(call);
    return complete(Render.object(call, 200, stored.object(), clock.instant(), List.of()));
  }

  /** A list, read from a consistent snapshot ({@link ListReads}). */
  Route list(Call call) {
    ListQuery query = ListQuery.parse(call);
    query.read(); // a bad resourceVersion or match fails before anything starts
    return extractActorSystem(system -> completeWithFuture(new ListReads(store.view(), system).page(call, query)
        .thenApply(page -> Render.list(call, page, clock.instant()))));
  }

  /** The object the request names, or 404 as upstream words it. */
  StoredObject find(Call call) {
    return store.index().get(call.kind().resource, call.namespace(), call.req().name())
        .orElseThrow(() -> ApiException.notFound(call.groupResource(), call.req().name()));
  }

  static ApiException methodNotAllowed(Call call, String message) {
    GroupResource gr = call.groupResource();
    return new ApiException(Status.failure(405, "MethodNotAllowed", message,
        new Status.StatusDetails(null, gr.group().isEmpty() ? null : gr.group(), gr.resource(), null, null, null)));
  }
}
