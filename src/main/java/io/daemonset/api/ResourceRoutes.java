package io.daemonset.api;

import io.daemonset.auth.Identity;

import static io.daemonset.api.ApiDirectives.apiRequest;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequest;
import static org.apache.pekko.http.javadsl.server.Directives.onSuccess;
import static org.apache.pekko.http.javadsl.server.Directives.reject;

import io.daemonset.view.ObjectStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The resource routes behind {@link ApiServer}: daemonsets (apps/v1, extensions/v1beta1, with status), nodes (with
 * status), pods (with status and log), controllerrevisions and events, as kube-apiserver serves them to kubectl.
 * Reads come from this JVM's view; writes go through {@link ObjectStore} to the owning entity and answer once the
 * view has applied them. Requests arrive authenticated and authorized; anything not served here is rejected (the
 * shell answers 404).
 * <pre>{@code
 * ApiServer.start(system, settings, ResourceRoutes.create(plane.store(), clock));
 * }</pre>
 * Decisions where this control plane differs from, or chooses among, kube-apiserver's behaviours:
 * <ul>
 *   <li>daemonsets/status and the status in a DaemonSet write are ignored (200 with a Warning header): the
 *       controller owns status.</li>
 *   <li>Pods are made by DaemonSets only: POST, PUT and PATCH of pods answer 405; pods/status (node agents) and
 *       DELETE are served. pods/log answers 503 until node agents serve logs.</li>
 *   <li>A node agent's POST of its own existing Node re-registers it (200); anyone else gets 409 AlreadyExists.</li>
 *   <li>ControllerRevision data is served as Go's compact sorted-key JSON of the template patch, with what Go's
 *       structs add ({@link RevisionData}), so {@code kubectl rollout undo} skips a rollback to the current
 *       template as it does upstream.</li>
 *   <li>Deleting with Background or Orphan removes the DaemonSet at once and answers a Status; Foreground answers
 *       the object with its deletionTimestamp until its pods are gone.</li>
 *   <li>Lists page over the live view (no snapshot per resourceVersion); watches are also served over WebSocket.</li>
 * </ul>
 */
public final class ResourceRoutes {

  /** Tunables; the defaults are upstream's where upstream has one. */
  public record Settings(Duration bookmarkInterval) {
    public static final Settings DEFAULT = new Settings(Duration.ofSeconds(60));

    public Settings withBookmarkInterval(Duration value) {
      return new Settings(value);
    }
  }

  private final ReadOnlyRoutes reads;
  private final DaemonSetRoutes daemonSets;
  private final NodeRoutes nodes;
  private final PodRoutes pods;
  private final PlainObjectRoutes plainObjects;
  private final LeaseRoutes leases;
  private final ObjectStore store;

  private ResourceRoutes(ObjectStore store, Clock clock, Settings settings) {
    this.reads = new ReadOnlyRoutes(store, clock, new WatchRoute(store, clock, settings.bookmarkInterval()));
    this.daemonSets = new DaemonSetRoutes(store, clock, reads);
    this.nodes = new NodeRoutes(store, clock, reads);
    this.pods = new PodRoutes(store, clock, reads);
    this.plainObjects = new PlainObjectRoutes(store, clock, reads);
    this.leases = new LeaseRoutes(store, clock);
    this.store = store;
  }

  public static Route create(ObjectStore store, Clock clock) {
    return create(store, clock, Settings.DEFAULT);
  }

  public static Route create(ObjectStore store, Clock clock, Settings settings) {
    ResourceRoutes routes = new ResourceRoutes(store, clock, settings);
    MetricsApi metrics = new MetricsApi(store, clock);
    // Nothing is answered from a view still replaying the journal after a start: a list would miss objects and a
    // watch from a resourceVersion taken before a restart would show existing objects as ADDED. kube-apiserver's
    // watch cache waits for its initial sync the same way. Once caught up, the stage is complete and costs nothing.
    Route served = apiRequest((who, req) -> extractRequest(http ->
        LeaseRoutes.serves(req) ? routes.leases.route(who, req, http)
            : req.resourceRequest() && req.group().equals(MetricsApi.GROUP)
                ? metrics.route(req, http).orElseGet(() -> reject())
                : routes.call(who, req, http).map(routes::dispatch).orElseGet(() -> reject())));
    CompletableFuture<Long> caughtUp = store.view().caughtUp().toCompletableFuture();
    // once caught up, straight to the routes: onSuccess would convert the completed stage to a Scala future each time
    return extractRequest(request -> caughtUp.isDone() && !caughtUp.isCompletedExceptionally() ? served
        : onSuccess(caughtUp, ignored -> served));
  }

  /** The request as a Call, when it names a served resource and subresource in a served group-version. */
  private Optional<Call> call(Identity who, RequestAttributes req, org.apache.pekko.http.javadsl.model.HttpRequest http) {
    if (!req.resourceRequest()) {
      return Optional.empty();
    }
    Optional<ApiResources.Resource> served = ApiResources.find(req.group(), req.version(), req.resource());
    if (served.isEmpty() || (!req.subresource().isEmpty() && served.get().subresource(req.subresource()).isEmpty())) {
      return Optional.empty();
    }
    // /api/v1/namespaces/NAME parses with namespace NAME, as upstream's RequestInfo: a namespace is its own scope
    boolean namespaceItself = req.group().isEmpty() && req.resource().equals("namespaces");
    if (!namespaceItself && served.get().namespaced() == req.namespace().isEmpty() && !req.name().isEmpty()) {
      return Optional.empty(); // a named namespaced object without a namespace, or a cluster-scoped one with one
    }
    return ResourceKind.of(req.resource()).map(kind -> new Call(who, req, http, kind));
  }

  private Route dispatch(Call call) {
    NamespaceAdmission.check(store.index(), call);
    return switch (call.kind()) {
      case NAMESPACES, CONFIGMAPS, SECRETS, SERVICEACCOUNTS -> plainObjects.route(call);
      case DAEMONSETS -> daemonSets.route(call);
      case NODES -> nodes.route(call);
      case PODS -> pods.route(call);
      case CONTROLLER_REVISIONS, EVENTS -> reads.readOnly(call);
    };
  }
}
