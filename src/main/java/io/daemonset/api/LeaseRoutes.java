package io.daemonset.api;

import static org.apache.pekko.http.javadsl.server.Directives.completeWithFuture;

import io.daemonset.auth.Identity;
import io.daemonset.model.Cause;
import io.daemonset.model.Lease;
import io.daemonset.model.ObjectMeta;
import io.daemonset.model.Outcome;
import io.daemonset.node.NodeEntity;
import io.daemonset.view.ObjectStore;
import java.time.Clock;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Node leases, {@code /apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/NAME}: a node agent's
 * heartbeat, as kubelet renews its Lease every 10 s instead of rewriting its Node's status. The Node entity keeps
 * the lease in memory and persists nothing (unless the renewal brings an unreachable node back), so 5,000 nodes
 * heartbeating cost no journal events. get, create and update are served; a lease of another namespace, or named
 * after no registered node, is 404. The authorizer lets a node agent write only its own lease.
 */
final class LeaseRoutes {
  static final GroupResource LEASES = new GroupResource("coordination.k8s.io", "leases");

  private final ObjectStore store;
  private final Clock clock;

  LeaseRoutes(ObjectStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  static boolean serves(RequestAttributes req) {
    return req.resourceRequest() && req.group().equals(LEASES.group()) && req.version().equals("v1")
        && req.resource().equals(LEASES.resource()) && req.subresource().isEmpty();
  }

  Route route(Identity who, RequestAttributes req, HttpRequest http) {
    if (!req.namespace().equals(Lease.NODE_LEASE_NAMESPACE)) {
      throw ApiException.notFound(LEASES, req.name());
    }
    return switch (req.verb()) {
      case "get" -> completeWithFuture(store.lease(req.name(), NodeEntity.GetLease::new)
          .thenApply(outcome -> answer(req.name(), 200, outcome)));
      case "update", "create" -> Bodies.text(http, body -> renew(who, req, body));
      default -> throw ApiException.methodNotSupported(LEASES, req.verb());
    };
  }

  private CompletionStage<HttpResponse> renew(Identity who, RequestAttributes req, String body) {
    Lease requested = decode(body);
    String name = requested.metadata() == null || requested.metadata().name() == null ? req.name()
        : requested.metadata().name();
    if (name == null || name.isEmpty() || (!req.name().isEmpty() && !req.name().equals(name))) {
      throw ApiException.badRequest("the name of the object (" + name + ") does not match the name on the URL ("
          + req.name() + ")");
    }
    if (who.nodeName().isPresent() && !who.nodeName().get().equals(name)) {
      throw ApiException.forbidden(LEASES, name, "node " + who.nodeName().get() + " may renew only its own lease");
    }
    Lease lease = requested.withMetadata(ObjectMeta.named(Lease.NODE_LEASE_NAMESPACE, name));
    Cause cause = Cause.byUser(clock.instant(), who.user(), "renew lease " + name);
    return store.lease(name, r -> new NodeEntity.RenewLease(lease, cause, r))
        .thenApply(outcome -> answer(name, req.verb().equals("create") ? 201 : 200, outcome));
  }

  /**
   * A heartbeat's body, read with one plain Jackson pass: fields the Lease does not know are ignored (as
   * fieldValidation=Ignore), so the strict manifest reader's three passes are not paid 500 times a second.
   */
  private static Lease decode(String body) {
    if (body == null || body.isBlank()) {
      throw ApiException.badRequest("the body of the request was empty");
    }
    try {
      return LENIENT.readValue(body, Lease.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw ApiException.badRequest("Lease in version \"v1\" cannot be handled as a Lease: " + e.getOriginalMessage());
    }
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper LENIENT = io.daemonset.model.Json.mapper().copy()
      .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private static HttpResponse answer(String name, int code, Outcome<Lease> outcome) {
    if (!outcome.isOk()) {
      throw ApiException.notFound(LEASES, name);
    }
    return Responses.json(code, outcome.value());
  }
}
