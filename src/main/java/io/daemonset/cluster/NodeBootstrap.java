package io.daemonset.cluster;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.entity;
import static org.apache.pekko.http.javadsl.server.Directives.onComplete;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.post;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.api.ApiDirectives;
import io.daemonset.api.ApiException;
import io.daemonset.api.Authorizer;
import io.daemonset.auth.ClusterCa;
import io.daemonset.auth.Identity;
import io.daemonset.api.Responses;
import io.daemonset.auth.TokenFile;
import io.daemonset.model.Json;
import io.daemonset.model.NameRules;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Node credentials, as kubelet TLS bootstrapping hands them out but with bearer tokens: an agent holding the
 * bootstrap token ({@code <data-dir>/node-token}, group system:bootstrappers) posts
 * <pre>{@code POST /bootstrap/node-credentials  {"nodeName":"worker-1"}}</pre>
 * and gets the node's own credential (user {@code system:node:worker-1}, group system:nodes; 201 when issued now,
 * 200 when the node had one already):
 * <pre>{@code {"kind":"NodeCredential","apiVersion":"daemonset.io/v1","nodeName":"worker-1",
 *  "user":"system:node:worker-1","token":"…"}}</pre>
 * The authorizer lets bootstrap tokens do nothing else ({@link Authorizer#BOOTSTRAPPERS}); system:masters may call
 * it too. As with upstream's auto-approved node CSRs, whoever holds the bootstrap token may obtain the credential of
 * any node name: keep the file as secret as tokens.csv.
 */
public final class NodeBootstrap {
  private static final Logger LOG = LoggerFactory.getLogger(NodeBootstrap.class);

  private NodeBootstrap() {}

  /** The route; tokens supplies the API server's token file (null until the server is up: 503). */
  public static Route route(Supplier<TokenFile> tokens) {
    return route(tokens, () -> null);
  }

  /**
   * Both routes: the node credential exchange, and agents' serving certificates signed by ca (null until the server
   * is up: 503). Credentials are issued into tokens.csv (a single server; tests).
   */
  public static Route route(Supplier<TokenFile> tokens, Supplier<ClusterCa> ca) {
    return route(tokens, ca, () -> null);
  }

  /**
   * As {@link #route(Supplier, Supplier)}, with credentials issued as cluster state ({@link NodeCredentials}, what
   * serve uses; null until the server is up: 503).
   */
  public static Route route(Supplier<TokenFile> tokens, Supplier<ClusterCa> ca, Supplier<NodeCredentials> cluster) {
    return credentials(tokens, cluster).orElse(servingCertificates(ca));
  }

  /**
   * {@code POST /bootstrap/node-serving-certificate {"nodeName","csr","addresses"}}: the node's agent (its own
   * credential, or system:masters) gets a serving certificate for its log and exec endpoints, as kubelet gets one
   * through a kubernetes.io/kubelet-serving CSR; 201 with {@code certificate} and {@code ca} (PEM).
   */
  private static Route servingCertificates(Supplier<ClusterCa> ca) {
    return path(PathMatchers.segment("bootstrap").slash("node-serving-certificate"), () -> post(() ->
        ApiDirectives.apiRequest((who, request) -> entity(Unmarshaller.entityToString(), body -> {
          try {
            return complete(serving(ca.get(), who, body));
          } catch (ApiException e) {
            return complete(Responses.status(e));
          }
        }))));
  }

  private static org.apache.pekko.http.javadsl.model.HttpResponse serving(ClusterCa ca, Identity who, String body) {
    if (ca == null) {
      throw ApiException.serviceUnavailable("the API server is starting", 1);
    }
    String nodeName = nodeName(body);
    boolean own = who.nodeName().map(nodeName::equals).orElse(false);
    if (!own && !who.inGroup(Identity.MASTERS)) {
      throw ApiException.forbidden(new io.daemonset.api.GroupResource("", ""), null, "user \"" + who.user()
          + "\" may not get the serving certificate of node \"" + nodeName + "\": only that node's agent may");
    }
    JsonNode request = Json.read(body, JsonNode.class);
    List<String> addresses = new java.util.ArrayList<>();
    request.path("addresses").forEach(a -> addresses.add(a.asText()));
    String certificate;
    try {
      certificate = ca.issueServing(request.path("csr").asText(""), nodeName, addresses);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    LOG.info("issued a serving certificate to node {} for {} (asked by {})", nodeName, addresses, who.user());
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("kind", "NodeServingCertificate");
    answer.put("apiVersion", "daemonset.io/v1");
    answer.put("nodeName", nodeName);
    answer.put("certificate", certificate);
    answer.put("ca", ca.caPem());
    return Responses.json(201, answer);
  }

  private static Route credentials(Supplier<TokenFile> tokens, Supplier<NodeCredentials> cluster) {
    return path(PathMatchers.segment("bootstrap").slash("node-credentials"), () -> post(() ->
        ApiDirectives.apiRequest((who, request) -> entity(Unmarshaller.entityToString(), body -> {
          try {
            if (tokens.get() == null) {
              throw ApiException.serviceUnavailable("the API server is starting", 1);
            }
            String nodeName = nodeName(body);
            NodeCredentials issuer = cluster.get();
            if (issuer == null) {
              return complete(answer(tokens.get().nodeCredential(nodeName), who));
            }
            return onComplete(issuer.obtain(nodeName), result -> result.isSuccess()
                ? complete(answer(result.get(), who))
                : complete(Responses.status(ApiException.timeout("the node's credential could not be read or"
                    + " issued in time (database unavailable?); retry"))));
          } catch (ApiException e) {
            return complete(Responses.status(e));
          }
        }))));
  }

  private static org.apache.pekko.http.javadsl.model.HttpResponse answer(TokenFile.NodeCredential credential,
                                                                       Identity who) {
    LOG.info("{} node credential of {} for {}", credential.issued() ? "issued the" : "handed out the existing",
        credential.user(), who.user());
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("kind", "NodeCredential");
    answer.put("apiVersion", "daemonset.io/v1");
    answer.put("nodeName", credential.nodeName());
    answer.put("user", credential.user());
    answer.put("token", credential.token());
    return Responses.json(credential.issued() ? 201 : 200, answer);
  }

  /** {"nodeName": "…"}, a valid node name (DNS-1123 subdomain). */
  static String nodeName(String body) {
    JsonNode request;
    try {
      request = Json.mapper().readTree(body == null ? "" : body);
    } catch (java.io.IOException | RuntimeException e) {
      throw ApiException.badRequest("the body must be JSON: {\"nodeName\":\"<node name>\"}");
    }
    JsonNode name = request == null ? null : request.get("nodeName");
    if (name == null || !name.isTextual() || name.asText().isEmpty()) {
      throw ApiException.badRequest("the body must name the node: {\"nodeName\":\"<node name>\"}");
    }
    List<String> problems = NameRules.dns1123Subdomain(name.asText());
    if (!problems.isEmpty()) {
      throw ApiException.badRequest("invalid node name \"" + name.asText() + "\": "
          + String.join("; ", problems));
    }
    return name.asText();
  }
}
