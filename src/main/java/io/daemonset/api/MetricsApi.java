package io.daemonset.api;

import static org.apache.pekko.http.javadsl.server.Directives.completeWithFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.daemonset.model.Json;
import io.daemonset.model.Node;
import io.daemonset.model.ObjectMeta;
import io.daemonset.model.Pod;
import io.daemonset.placement.Selector;
import io.daemonset.placement.SelectorParseException;
import io.daemonset.view.ObjectIndex;
import io.daemonset.view.ObjectStore;
import io.daemonset.view.StoredObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code metrics.k8s.io/v1beta1} ({@code kubectl top node|pod}), the resource metrics API metrics-server serves
 * upstream, answered from the node agents' measured usage: for a request the API server reads {@code /stats} from
 * the agent endpoint of every node concerned (the process runtime's figures come from /proc: each container's
 * process tree, and the machine), at most {@link #TIMEOUT} each; a hollow node's usage is simulated
 * ({@link HollowUsage}). A node whose agent serves no stats or cannot be reached has no metrics, as a node
 * metrics-server cannot scrape: it is left out of lists and a GET for it answers 404.
 */
final class MetricsApi {
  static final String GROUP = "metrics.k8s.io";
  static final String VERSION = "v1beta1";
  static final String GROUP_VERSION = GROUP + "/" + VERSION;
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final ObjectStore store;
  private final Clock clock;

  MetricsApi(ObjectStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  // ---- discovery

  /** The group in the legacy /apis list. */
  static ObjectNode legacyGroup() {
    ObjectNode g = F.objectNode().put("name", GROUP);
    ObjectNode version = F.objectNode().put("groupVersion", GROUP_VERSION).put("version", VERSION);
    g.putArray("versions").add(version);
    g.set("preferredVersion", version.deepCopy());
    return g;
  }

  /** GET /apis/metrics.k8s.io. */
  static ObjectNode apiGroup() {
    ObjectNode g = legacyGroup();
    g.put("kind", "APIGroup").put("apiVersion", "v1");
    return g;
  }

  /** The group in aggregated discovery (/apis as apidiscovery.k8s.io). */
  static ObjectNode aggregatedGroup() {
    ObjectNode item = F.objectNode();
    item.putObject("metadata").put("name", GROUP).putNull("creationTimestamp");
    ObjectNode version = item.putArray("versions").addObject().put("version", VERSION);
    ArrayNode resources = version.putArray("resources");
    for (String[] r : new String[][] {{"nodes", "NodeMetrics", "Cluster"}, {"pods", "PodMetrics", "Namespaced"}}) {
      ObjectNode o = resources.addObject().put("resource", r[0]);
      o.putObject("responseKind").put("group", GROUP).put("version", VERSION).put("kind", r[1]);
      o.put("scope", r[2]).put("singularResource", "");
      o.putArray("verbs").add("get").add("list");
    }
    version.put("freshness", "Current");
    return item;
  }

  /** GET /apis/metrics.k8s.io/v1beta1. */
  static ObjectNode apiResourceList() {
    ObjectNode list = F.objectNode().put("kind", "APIResourceList").put("apiVersion", "v1")
        .put("groupVersion", GROUP_VERSION);
    ArrayNode resources = list.putArray("resources");
    for (String[] r : new String[][] {{"nodes", "NodeMetrics", "false"}, {"pods", "PodMetrics", "true"}}) {
      ObjectNode o = resources.addObject().put("name", r[0]).put("singularName", "")
          .put("namespaced", Boolean.parseBoolean(r[2])).put("kind", r[1]);
      o.putArray("verbs").add("get").add("list");
    }
    return list;
  }

  // ---- serving

  /** get or list of nodes or pods in metrics.k8s.io/v1beta1; empty for anything else (404). */
  Optional<Route> route(RequestAttributes req, org.apache.pekko.http.javadsl.model.HttpRequest http) {
    if (!req.version().equals(VERSION) || !(req.verb().equals("get") || req.verb().equals("list"))
        || !req.subresource().isEmpty()) {
      return Optional.empty();
    }
    Selector labels;
    try {
      labels = Selector.parse(http.getUri().query().get("labelSelector").orElse(""));
    } catch (SelectorParseException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    // the agents' stats over TLS with the API server's client certificate; none without (nodes then have no metrics)
    AgentConnections agents = http.getAttribute(AgentConnections.KEY).orElse(null);
    return switch (req.resource()) {
      case "nodes" -> Optional.of(completeWithFuture(nodes(req.name(), labels, agents)));
      case "pods" -> Optional.of(completeWithFuture(pods(req.namespace(), req.name(), labels, agents)));
      default -> Optional.empty();
    };
  }

  private CompletionStage<HttpResponse> nodes(String name, Selector labels, AgentConnections agents) {
    List<Node> nodes = store.index().list(ObjectIndex.NODES).stream().map(o -> (Node) o.object())
        .filter(n -> name.isEmpty() ? labels.matches(n.metadata().labelsOrEmpty()) : n.name().equals(name))
        .toList();
    return scrape(nodes.stream().map(Node::name).toList(), agents).thenApply(stats -> {
      List<ObjectNode> items = new ArrayList<>();
      for (Node node : nodes) {
        JsonNode usage = stats.getOrDefault(node.name(), F.objectNode()).path("node");
        if (usage.has("cpuNanoCores")) {
          ObjectNode item = F.objectNode();
          item.set("metadata", metadata(node.metadata(), null));
          window(item, usage);
          item.set("usage", usage(usage));
          items.add(item);
        }
      }
      return answer(name, "nodemetrics", "NodeMetrics", items);
    });
  }

  private CompletionStage<HttpResponse> pods(String namespace, String name, Selector labels,
                                                AgentConnections agents) {
    List<Pod> pods = store.index().list(ObjectIndex.PODS).stream().map(o -> (Pod) o.object())
        .filter(p -> namespace.isEmpty() || namespace.equals(p.metadata().namespace()))
        .filter(p -> name.isEmpty() ? labels.matches(p.metadata().labelsOrEmpty()) : p.metadata().name().equals(name))
        .filter(p -> p.spec() != null && p.spec().nodeName() != null && !p.spec().nodeName().isEmpty())
        .toList();
    return scrape(pods.stream().map(p -> p.spec().nodeName()).distinct().toList(), agents).thenApply(stats -> {
      Map<String, JsonNode> byPod = new HashMap<>();
      stats.values().forEach(s -> s.path("pods").forEach(p ->
          byPod.put(p.path("namespace").asText() + "/" + p.path("name").asText(), p)));
      List<ObjectNode> items = new ArrayList<>();
      for (Pod pod : pods) {
        JsonNode measured = byPod.get(pod.metadata().namespace() + "/" + pod.metadata().name());
        if (measured != null) {
          ObjectNode item = F.objectNode();
          item.set("metadata", metadata(pod.metadata(), pod.metadata().namespace()));
          window(item, measured);
          ArrayNode containers = item.putArray("containers");
          measured.path("containers").forEach(c -> {
            ObjectNode container = containers.addObject().put("name", c.path("name").asText());
            container.set("usage", usage(c));
          });
          items.add(item);
        }
      }
      return answer(name, "podmetrics", "PodMetrics", items);
    });
  }

  private HttpResponse answer(String name, String resource, String kind, List<ObjectNode> items) {
    if (!name.isEmpty()) {
      if (items.isEmpty()) {
        return Responses.status(ApiException.notFound(new GroupResource(GROUP, resource), name));
      }
      ObjectNode one = items.get(0);
      ObjectNode typed = F.objectNode().put("kind", kind).put("apiVersion", GROUP_VERSION);
      typed.setAll(one);
      return Responses.json(200, typed);
    }
    ObjectNode list = F.objectNode().put("kind", kind + "List").put("apiVersion", GROUP_VERSION);
    list.putObject("metadata");
    ArrayNode array = list.putArray("items");
    items.forEach(array::add);
    return Responses.json(200, list);
  }

  private ObjectNode metadata(ObjectMeta meta, String namespace) {
    ObjectNode m = F.objectNode().put("name", meta.name());
    if (namespace != null) {
      m.put("namespace", namespace);
    }
    m.put("creationTimestamp", clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
    if (!meta.labelsOrEmpty().isEmpty()) {
      m.set("labels", Json.tree(meta.labelsOrEmpty()));
    }
    return m;
  }

  private static void window(ObjectNode item, JsonNode measured) {
    item.put("timestamp", measured.path("timestamp").asText());
    item.put("window", Math.max(1, Math.round(measured.path("windowSeconds").asDouble())) + "s");
  }

  /** cpu in nanocores, memory in Ki, as metrics-server writes them. */
  private static ObjectNode usage(JsonNode measured) {
    return F.objectNode().put("cpu", measured.path("cpuNanoCores").asLong() + "n")
        .put("memory", measured.path("memoryBytes").asLong() / 1024 + "Ki");
  }

  /**
   * Each named node's agent stats (nodes without an endpoint, or not answering, are left out); a hollow node's are
   * simulated here ({@link HollowUsage}), since it serves no endpoint.
   */
  private CompletionStage<Map<String, JsonNode>> scrape(List<String> nodeNames, AgentConnections agents) {
    Map<String, CompletableFuture<Optional<JsonNode>>> asks = new LinkedHashMap<>();
    Map<String, List<Pod>> podsByNode = null;
    for (String name : nodeNames) {
      Optional<Node> node = store.index().get(ObjectIndex.NODES, null, name).map(StoredObject::object)
          .map(Node.class::cast);
      if (node.isPresent() && PodLogs.hollow(node.get())) {
        if (podsByNode == null) {
          podsByNode = podsByNode();
        }
        JsonNode simulated = HollowUsage.stats(node.get(), podsByNode.getOrDefault(name, List.of()), clock.instant());
        asks.put(name, CompletableFuture.completedFuture(Optional.of(simulated)));
        continue;
      }
      node.map(n -> n.metadata().annotationsOrEmpty().get(PodLogs.ENDPOINT_ANNOTATION))
          .filter(e -> e.startsWith("https://"))
          .ifPresent(endpoint -> asks.put(name, stats(agents, endpoint)));
    }
    return CompletableFuture.allOf(asks.values().toArray(CompletableFuture[]::new)).thenApply(done -> {
      Map<String, JsonNode> out = new HashMap<>();
      asks.forEach((name, ask) -> ask.join().ifPresent(json -> out.put(name, json)));
      return out;
    });
  }

  private Map<String, List<Pod>> podsByNode() {
    Map<String, List<Pod>> byNode = new HashMap<>();
    store.index().list(ObjectIndex.PODS).forEach(o -> {
      Pod pod = (Pod) o.object();
      if (pod.spec() != null && pod.spec().nodeName() != null) {
        byNode.computeIfAbsent(pod.spec().nodeName(), n -> new ArrayList<>()).add(pod);
      }
    });
    return byNode;
  }

  private static CompletableFuture<Optional<JsonNode>> stats(AgentConnections agents, String endpoint) {
    if (agents == null) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint.replaceAll("/+$", "") + "/stats"))
          .timeout(TIMEOUT).GET().build();
      return agents.send(request, java.net.http.HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
          .handle((response, error) -> error != null || response.statusCode() != 200 ? Optional.<JsonNode>empty()
              : Optional.of(Json.read(response.body(), JsonNode.class)));
    } catch (IllegalArgumentException badEndpoint) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
  }
}
