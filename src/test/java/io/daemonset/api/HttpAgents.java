package io.daemonset.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.daemonset.model.Json;
import io.daemonset.testing.Response;
import io.daemonset.testing.TestControlPlane;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * Node agents that speak only the API, with node tokens, as the real agent will: each registers its Node (POST
 * as system:node:NAME), watches the pods bound to it ({@code fieldSelector=spec.nodeName=NAME}), reports new pods
 * Running and Ready (PATCH pods/status) and confirms the termination of pods being deleted (DELETE with grace 0).
 */
final class HttpAgents implements AutoCloseable {
  /** The control plane's config for these agents: they send no heartbeats, so their nodes must not expire. */
  static final String CONFIG = "daemonset.node.heartbeat-grace = 1h";

  private final TestControlPlane cluster;
  private final List<Agent> agents = new CopyOnWriteArrayList<>();

  HttpAgents(TestControlPlane cluster) {
    this.cluster = cluster;
  }

  /** Registers node name with labels and starts its watch. */
  void join(String name, Map<String, String> labels) {
    String token = cluster.nodeToken(name);
    String now = Instant.now().toString();
    ObjectNode node = Json.mapper().createObjectNode().put("apiVersion", "v1").put("kind", "Node");
    node.putObject("metadata").put("name", name).set("labels", Json.tree(labels));
    ObjectNode status = node.putObject("status");
    status.putObject("capacity").put("cpu", "4").put("memory", "8Gi").put("pods", "110");
    status.putArray("conditions").addObject().put("type", "Ready").put("status", "True")
        .put("lastHeartbeatTime", now).put("lastTransitionTime", now).put("reason", "KubeletReady");
    status.putObject("nodeInfo").put("kubeletVersion", "v1.32.0").put("osImage", "hollow");
    Response response = cluster.call("POST", "/api/v1/nodes", token, "application/json", Json.write(node));
    if (response.code() != 201 && response.code() != 200) {
      throw new AssertionError("registering " + name + ": " + response);
    }
    Agent agent = new Agent(name, token);
    agents.add(agent);
    agent.start();
  }

  private final class Agent {
    final String node;
    final String token;
    volatile CompletableFuture<HttpResponse<Stream<String>>> watch;
    volatile Stream<String> lines;
    volatile boolean stopped;

    Agent(String node, String token) {
      this.node = node;
      this.token = token;
    }

    void start() {
      HttpRequest request = HttpRequest.newBuilder(URI.create(cluster.server().url()
              + "/api/v1/pods?watch=true&fieldSelector=spec.nodeName%3D" + node))
          .header("Authorization", "Bearer " + token).timeout(Duration.ofMinutes(10)).build();
      watch = cluster.http().sendAsync(request, HttpResponse.BodyHandlers.ofLines());
      watch.thenAcceptAsync(response -> {
        lines = response.body();
        try (Stream<String> events = lines) {
          events.forEach(this::onEvent);
        } catch (RuntimeException closed) {
          // the watch ended
        }
      });
    }

    private void onEvent(String line) {
      if (stopped || line.isBlank()) {
        return;
      }
      JsonNode event = Json.read(line, JsonNode.class);
      String type = event.path("type").asText();
      JsonNode pod = event.path("object");
      if (type.equals("DELETED") || !pod.path("kind").asText().equals("Pod")) {
        return;
      }
      String path = "/api/v1/namespaces/" + pod.path("metadata").path("namespace").asText() + "/pods/"
          + pod.path("metadata").path("name").asText();
      if (!pod.path("metadata").path("deletionTimestamp").isMissingNode()) {
        cluster.call("DELETE", path, token, "application/json", "{\"gracePeriodSeconds\":0}");
      } else if (pod.path("status").path("phase").asText("Pending").equals("Pending")) {
        String now = Instant.now().toString();
        String patch = "{\"status\":{\"phase\":\"Running\",\"hostIP\":\"10.0.0.1\",\"podIP\":\"10.1.0.1\","
            + "\"startTime\":\"" + now + "\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\","
            + "\"lastTransitionTime\":\"" + now + "\"}]}}";
        cluster.call("PATCH", path + "/status", token, "application/merge-patch+json", patch);
      }
    }

    void stop() {
      stopped = true;
      watch.cancel(true);
      Stream<String> open = lines;
      if (open != null) {
        open.close();
      }
    }
  }

  @Override
  public void close() {
    agents.forEach(Agent::stop);
  }
}
