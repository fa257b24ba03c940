package io.daemonset.api;

import io.daemonset.auth.Identity;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether an identity may do what a request asks. Rules are pure functions tried in order; the first
 * that has an opinion decides; no opinion from any rule denies (as kube-apiserver's authorizer chain).
 * <p>The standard rules:
 * <ol>
 *   <li>{@code system:masters} may do anything;</li>
 *   <li>{@code system:bootstrappers} (bootstrap tokens) may only {@code POST /bootstrap/node-credentials}:
 *       {@link #BOOTSTRAPPERS};</li>
 *   <li>any authenticated identity may GET the non-resource discovery paths (/api, /apis, /openapi, /version,
 *       health), as upstream's system:discovery and system:public-info-viewer roles allow;</li>
 *   <li>any authenticated identity may create self-subject reviews ({@code kubectl auth can-i}, {@code whoami});</li>
 *   <li>{@code viewers} may get, list and watch any resource;</li>
 *   <li>{@code system:nodes} (users {@code system:node:NAME}) are node agents: {@link #NODE_AGENTS}.</li>
 * </ol>
 */
public final class Authorizer {

  /** The outcome; reason explains it for logs and audit (upstream puts it in neither 403 message nor Status). */
  public record Decision(boolean allowed, String reason) {
    public static Decision allow(String reason) {
      return new Decision(true, reason);
    }

    public static Decision deny(String reason) {
      return new Decision(false, reason);
    }
  }

  /** One rule: Optional.empty() means "no opinion, ask the next rule". */
  @FunctionalInterface
  public interface Rule {
    Optional<Decision> evaluate(Identity identity, RequestAttributes request);
  }

  private static final Set<String> READ_VERBS = Set.of("get", "list", "watch");
  private static final List<String> DISCOVERY_PATHS = List.of("/api", "/apis", "/openapi", "/version", "/healthz",
      "/livez", "/readyz");

  public static final Rule MASTERS = (identity, request) -> identity.inGroup(Identity.MASTERS)
      ? Optional.of(Decision.allow("group system:masters may do anything"))
      : Optional.empty();

  /** Where a bootstrap token is exchanged for a node credential (served beside the API, see NodeBootstrap). */
  public static final String NODE_CREDENTIALS_PATH = "/bootstrap/node-credentials";
  /** Where a node's agent gets its serving certificate from the cluster CA (NodeBootstrap checks it is its own). */
  public static final String NODE_SERVING_CERTIFICATE_PATH = "/bootstrap/node-serving-certificate";

  /**
   * Bootstrap tokens (group system:bootstrappers), as kubelet TLS bootstrapping's: they may exchange themselves for a
   * node credential ({@code POST /bootstrap/node-credentials}) and do nothing else, not even read discovery.
   */
  public static final Rule BOOTSTRAPPERS = (identity, request) -> {
    if (!identity.inGroup(Identity.BOOTSTRAPPERS)) {
      return Optional.empty();
    }
    boolean exchange = !request.resourceRequest() && request.verb().equals("post")
        && request.path().equals(NODE_CREDENTIALS_PATH);
    return Optional.of(exchange ? Decision.allow("a bootstrap token may be exchanged for a node credential")
        : Decision.deny("a bootstrap token may only be exchanged for a node credential (POST "
            + NODE_CREDENTIALS_PATH + ")"));
  };

  public static final Rule DISCOVERY = (identity, request) -> {
    if (request.resourceRequest() || !(request.verb().equals("get") || request.verb().equals("head"))) {
      return Optional.empty();
    }
    boolean known = DISCOVERY_PATHS.stream()
        .anyMatch(p -> request.path().equals(p) || request.path().startsWith(p + "/"));
    return known ? Optional.of(Decision.allow("discovery is readable by every authenticated user")) : Optional.empty();
  };

  /**
   * Every authenticated user may ask what they may do and who they are (create selfsubjectaccessreviews,
   * selfsubjectrulesreviews, selfsubjectreviews), as upstream's system:basic-user role allows.
   */
  public static final Rule SELF_REVIEWS = (identity, request) -> {
    boolean review = request.resourceRequest() && request.verb().equals("create") && request.subresource().isEmpty()
        && ((request.group().equals("authorization.k8s.io") && (request.resource().equals("selfsubjectaccessreviews")
            || request.resource().equals("selfsubjectrulesreviews")))
        || (request.group().equals("authentication.k8s.io") && request.resource().equals("selfsubjectreviews")));
    return review && identity.inGroup(Identity.AUTHENTICATED)
        ? Optional.of(Decision.allow("every authenticated user may review their own access"))
        : Optional.empty();
  };

  public static final Rule VIEWERS = (identity, request) -> {
    if (!identity.inGroup(Identity.VIEWERS) || !request.resourceRequest()) {
      return Optional.empty();
    }
    if (request.group().isEmpty() && request.resource().equals("secrets")) {
      return Optional.of(Decision.deny("group viewers may not read secrets (upstream's view role excludes them)"));
    }
    return READ_VERBS.contains(request.verb())
        ? Optional.of(Decision.allow("group viewers may get, list and watch"))
        : Optional.of(Decision.deny("group viewers may only get, list and watch"));
  };

  /** Viewers may read the audit ({@code GET /audit/...}): the journal is the history of what they may read. */
  public static final Rule AUDIT_READERS = (identity, request) -> {
    boolean audit = !request.resourceRequest() && request.verb().equals("get")
        && (request.path().equals("/audit") || request.path().startsWith("/audit/"));
    return audit && identity.inGroup(Identity.VIEWERS)
        ? Optional.of(Decision.allow("group viewers may read the audit")) : Optional.empty();
  };

  /**
   * Node agents (group system:nodes, user system:node:NAME), like upstream's Node authorizer: get, list and watch
   * nodes and pods (any, as a kubelet may); create a Node (the route checks it is its own, as upstream's
   * NodeRestriction admission does) and update or patch its own nodes/NAME and nodes/NAME/status; update or patch
   * pods/status and delete pods (the routes check the pod is bound to the node). Anything else is denied.
   */
  public static final Rule NODE_AGENTS = (identity, request) -> {
    Optional<String> node = identity.nodeName();
    if (node.isPresent() && !request.resourceRequest() && request.verb().equals("post")
        && request.path().equals(NODE_SERVING_CERTIFICATE_PATH)) {
      return Optional.of(Decision.allow("node agent " + node.get() + " may ask for its serving certificate"));
    }
    if (node.isEmpty() || !request.resourceRequest()) {
      return Optional.empty();
    }
    String verb = request.verb();
    String sub = request.subresource();
    boolean core = request.group().isEmpty();
    boolean allowed = false;
    if (core && request.resource().equals("nodes")) {
      allowed = (READ_VERBS.contains(verb) && (sub.isEmpty() || sub.equals("status")))
          || (verb.equals("create") && sub.isEmpty())
          || ((verb.equals("update") || verb.equals("patch")) && (sub.isEmpty() || sub.equals("status"))
              && request.name().equals(node.get()));
    } else if (core && request.resource().equals("pods")) {
      allowed = (READ_VERBS.contains(verb) && (sub.isEmpty() || sub.equals("status")))
          || ((verb.equals("update") || verb.equals("patch")) && sub.equals("status"))
          || (verb.equals("delete") && sub.isEmpty());
    } else if (request.group().equals("coordination.k8s.io") && request.resource().equals("leases")) {
      // its own lease in kube-node-lease, its heartbeat (upstream's node authorizer allows the same)
      allowed = List.of("get", "create", "update").contains(verb) && sub.isEmpty()
          && request.namespace().equals(io.daemonset.model.Lease.NODE_LEASE_NAMESPACE)
          && (request.name().equals(node.get()) || (verb.equals("create") && request.name().isEmpty()));
    } else if (core && (request.resource().equals("configmaps") || request.resource().equals("secrets"))) {
      // only named gets; the route checks that a pod bound to this node references the object
      allowed = verb.equals("get") && sub.isEmpty() && !request.name().isEmpty();
    }
    return Optional.of(allowed ? Decision.allow("node agent " + node.get() + " may " + verb + " " + request.resource())
        : Decision.deny("node agents may only read nodes and pods, write their own Node, its Lease and the status of "
            + "their pods"));
  };

  private final List<Rule> rules;

  public Authorizer(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  /** masters, bootstrappers, discovery, self reviews, viewers (and their audit reads), node agents; then deny. */
  public static Authorizer standard() {
    return new Authorizer(List.of(MASTERS, BOOTSTRAPPERS, DISCOVERY, SELF_REVIEWS, VIEWERS, AUDIT_READERS,
        NODE_AGENTS));
  }

  /** A new authorizer with rule appended (still before the default deny). */
  public Authorizer withRule(Rule rule) {
    List<Rule> more = new ArrayList<>(rules);
    more.add(rule);
    return new Authorizer(more);
  }

  public Decision decide(Identity identity, RequestAttributes request) {
    for (Rule rule : rules) {
      Optional<Decision> decision = rule.evaluate(identity, request);
      if (decision.isPresent()) {
        return decision.get();
      }
    }
    return Decision.deny("no rule allows " + identity.user() + " to " + request.verb());
  }

  /**
   * Upstream's forbidden message: {@code User "viewer" cannot patch resource "daemonsets" in API group "apps" in
   * the namespace "default"} (or {@code at the cluster scope}, or {@code cannot get path "/x"}).
   */
  public static String forbiddenMessage(Identity identity, RequestAttributes request) {
    if (!request.resourceRequest()) {
      return String.format("User %s cannot %s path %s", quote(identity.user()), request.verb(),
          quote(request.path()));
    }
    String resource = request.resource();
    if (!request.subresource().isEmpty()) {
      resource = resource + "/" + request.subresource();
    }
    if (!request.namespace().isEmpty()) {
      return String.format("User %s cannot %s resource %s in API group %s in the namespace %s",
          quote(identity.user()), request.verb(), quote(resource), quote(request.group()), quote(request.namespace()));
    }
    return String.format("User %s cannot %s resource %s in API group %s at the cluster scope",
        quote(identity.user()), request.verb(), quote(resource), quote(request.group()));
  }

  /** Go's %q for the plain strings found here. */
  static String quote(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
