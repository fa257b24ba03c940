package io.daemonset.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.api.ApiServer;
import io.daemonset.api.ApiSettings;
import io.daemonset.auth.Identity;
import io.daemonset.auth.Pki;
import io.daemonset.api.ResourceRoutes;
import io.daemonset.auth.TokenFile;
import io.daemonset.cluster.ControlPlane;
import io.daemonset.cluster.ControlPlaneSystem;
import io.daemonset.cluster.Store;
import io.daemonset.model.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real node agents against a real control plane in this JVM (one cluster member on H2, the API server over HTTPS
 * with the resource routes): two agents on the process runtime run a DaemonSet's pods as host processes, report them
 * Ready through an exec probe, survive their own restart, roll an update out one node at a time and stop every
 * process when the DaemonSet is deleted; a fleet of 50 hollow nodes runs another DaemonSet.
 */
class AgentClusterTest {
  static final Duration WAIT = Duration.ofSeconds(60);
  static final String DS = "/apis/apps/v1/namespaces/default/daemonsets";

  @TempDir static Path tmp;
  static ControlPlane plane;
  static ApiServer server;
  static HttpClient http;
  static String adminToken;
  static final List<NodeAgent> agents = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    TestLogging.quiet();
    plane = ControlPlane.start(ControlPlaneSystem.Settings.defaults().withDataDir(tmp.resolve("plane"))
        .withStore(Store.H2).withClusterPort(0).withSeedNodes(List.of()), Clock.systemUTC());
    plane.member().awaitMemberUp(WAIT);
    plane.view().caughtUp().toCompletableFuture().get(30, TimeUnit.SECONDS);
    server = ApiServer.start(plane.system(), ApiSettings.defaults(tmp.resolve("api")).withPort(0),
        ResourceRoutes.create(plane.store(), Clock.systemUTC())).toCompletableFuture().get(30, TimeUnit.SECONDS);
    adminToken = server.tokens().tokenFor(TokenFile.ADMIN_USER).orElseThrow();
    http = ApiClient.newHttpClient(ApiTarget.of(server.url(), server.pki().caCertificate(), adminToken), null);
  }

  @AfterAll
  static void stop() throws Exception {
    agents.forEach(a -> a.close(true));
    try {
      if (server != null) {
        server.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    } finally {
      if (plane != null) {
        plane.close();
      }
    }
  }

  /** An agent as the agent command starts one: --server, --ca-file and --token-file with a node token. */
  static NodeAgent agent(String name, Path workDir) throws Exception {
    return agent(name, workDir, "process");
  }

  static NodeAgent agent(String name, Path workDir, String runtimeLabel) throws Exception {
    Path tokenFile = tmp.resolve(name + ".token");
    if (!Files.exists(tokenFile)) {
      Files.writeString(tokenFile, server.tokens().issue(Identity.node(name, UUID.randomUUID().toString())));
    }
    ApiTarget target = ApiTarget.fromFiles(server.url(), tmp.resolve("api").resolve(Pki.CA_CRT), tokenFile);
    NodeAgent agent = NodeAgent.start(NodeAgent.Settings.defaults(target, name, workDir)
        .withLabels(Map.of("runtime", runtimeLabel))
        .withCapacity(Flags.capacity("cpu=2,memory=4Gi,pods=20"))
        .withHeartbeatPeriod(Duration.ofSeconds(1))
        .withNodeIP("127.0.0.1")
        .withBackoff(Duration.ofMillis(200), Duration.ofSeconds(2)), Clock.systemUTC());
    agents.add(agent);
    agent.registered().get(30, TimeUnit.SECONDS);
    return agent;
  }

  @Test
  void processAgentsRunADaemonSetAdoptAfterARestartRollItOutAndStopItsProcesses() throws Exception {
    Path work1 = tmp.resolve("agent-1");
    Path work2 = tmp.resolve("agent-2");
    NodeAgent a1 = agent("proc-1", work1);
    agent("proc-2", work2);
    JsonNode node = get("/api/v1/nodes/proc-1");
    assertThat(node.path("status").path("nodeInfo").path("kubeletVersion").asText()).isEqualTo("v1.32.0");
    assertThat(node.path("metadata").path("annotations").path(NodeReporter.ENDPOINT_ANNOTATION).asText())
        .startsWith("http://127.0.0.1:");

    send("POST", DS, daemonSet("sleeper", "1"), "application/json");
    await("two Running and Ready pods", () -> readyPods("sleeper").size() == 2);
    List<JsonNode> pods = pods("sleeper");
    assertThat(pods).extracting(p -> p.path("spec").path("nodeName").asText())
        .containsExactlyInAnyOrder("proc-1", "proc-2");
    Map<String, Long> pids = pidsByNode(pods);
    assertThat(pids.values()).allSatisfy(pid -> assertThat(alive(pid)).isTrue());
    JsonNode first = pods.get(0);
    assertThat(first.path("status").path("hostIP").asText()).isEqualTo("127.0.0.1");
    assertThat(first.path("status").path("startTime").asText()).isNotEmpty();
    assertThat(first.path("status").path("containerStatuses").get(0).path("restartCount").asInt()).isZero();
    String onNode1 = pods.stream().filter(p -> p.path("spec").path("nodeName").asText().equals("proc-1"))
        .findFirst().orElseThrow().path("metadata").path("name").asText();
    assertThat(work1.resolve("pods/default_" + onNode1 + "/c/ready")).exists();
    String log = fetch(a1.logEndpoint() + "/containerLogs/default/" + onNode1 + "/c");
    assertThat(log).contains("starting 1");

    // the agent restarts: it adopts the running process, starts nothing twice
    a1.close();
    agents.remove(a1);
    assertThat(alive(pids.get("proc-1"))).isTrue();
    NodeAgent again = agent("proc-1", work1);
    again.synced().get(30, TimeUnit.SECONDS);
    Thread.sleep(1500);
    assertThat(again.runtime().pods()).containsKey("default/" + onNode1);
    assertThat(pidsByNode(pods("sleeper"))).isEqualTo(pids);
    assertThat(readyPods("sleeper")).hasSize(2);
    assertThat(fetch(again.logEndpoint() + "/containerLogs/default/" + onNode1 + "/c").lines()
        .filter(l -> l.equals("starting 1"))).hasSize(1);

    // a rolling update replaces the processes one node at a time (maxUnavailable 1)
    send("PATCH", DS + "/sleeper", "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"c\","
        + "\"args\":[\"2\"]}]}}}}", "application/strategic-merge-patch+json");
    Set<String> oldNames = new HashSet<>(pods.stream().map(p -> p.path("metadata").path("name").asText()).toList());
    int leastReady = Integer.MAX_VALUE;
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      List<JsonNode> now = readyPods("sleeper");
      leastReady = Math.min(leastReady, now.size());
      List<JsonNode> all = pods("sleeper");
      boolean replaced = all.size() == 2 && now.size() == 2
          && all.stream().noneMatch(p -> oldNames.contains(p.path("metadata").path("name").asText()));
      if (replaced) {
        break;
      }
      assertThat(System.nanoTime()).as("rollout done in time").isLessThan(deadline);
      Thread.sleep(50);
    }
    assertThat(leastReady).as("never both nodes unavailable at once").isGreaterThanOrEqualTo(1);
    Map<String, Long> newPids = pidsByNode(pods("sleeper"));
    assertThat(pids.values()).allSatisfy(pid -> assertThat(alive(pid)).as("old process " + pid).isFalse());
    assertThat(newPids.values()).allSatisfy(pid -> assertThat(alive(pid)).isTrue());

    // deleting the DaemonSet stops every process, and the agents confirm
    send("DELETE", DS + "/sleeper", null, null);
    await("no pods left", () -> pods("sleeper").isEmpty());
    await("every process gone", () -> newPids.values().stream().noneMatch(AgentClusterTest::alive));
    NodeAgent a2 = agents.stream().filter(a -> a.nodeName().equals("proc-2")).findFirst().orElseThrow();
    await("runtimes empty", () -> again.runtime().pods().isEmpty() && a2.runtime().pods().isEmpty());
    assertThat(work1.resolve("pods")).isEmptyDirectory();
  }

  @Test
  void aFleetOfFiftyHollowNodesRunsADaemonSet() throws Exception {
    ApiTarget target = ApiTarget.of(server.url(), server.pki().caCertificate(), adminToken);
    FleetSettings settings = FleetSettings.of(target, 50).withNamePrefix("hollow-")
        .withLabels(Map.of("runtime", "hollow"))
        .withBehavior(HollowBehavior.allReady(Duration.ofMillis(200)))
        .withHeartbeatPeriod(Duration.ofSeconds(5));
    try (HollowFleet fleet = HollowFleet.start(settings)) {
      fleet.registered().get(60, TimeUnit.SECONDS);
      assertThat(fleet.nodeNames()).hasSize(50).startsWith("hollow-1", "hollow-2").endsWith("hollow-50");
      JsonNode nodes = get("/api/v1/nodes?labelSelector=runtime%3Dhollow");
      assertThat(nodes.path("items")).hasSize(50);

      send("POST", DS, hollowDaemonSet("everywhere"), "application/json");
      await("50 ready pods", () -> readyPods("everywhere").size() == 50);
      await("the DaemonSet counts them", () ->
          get(DS + "/everywhere").path("status").path("numberReady").asInt() == 50);
      assertThat(fleet.pods("hollow-7")).hasSize(1);

      send("DELETE", DS + "/everywhere", null, null);
      await("the pods gone", () -> pods("everywhere").isEmpty());
      await("the fleet holds none", () -> fleet.nodeNames().stream().allMatch(n -> fleet.pods(n).isEmpty()));
    }
  }

  @Test
  void anAgentRidesOutAnApiServerRestart() throws Exception {
    Path work = tmp.resolve("agent-3");
    NodeAgent agent = agent("proc-3", work, "restart");
    agent.synced().get(30, TimeUnit.SECONDS);
    int port = server.port();
    ApiServer old = server;
    old.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);
    Thread.sleep(2500);
    server = ApiServer.start(plane.system(), ApiSettings.defaults(tmp.resolve("api")).withPort(port),
        ResourceRoutes.create(plane.store(), Clock.systemUTC())).toCompletableFuture().get(30, TimeUnit.SECONDS);

    // the watch reconnects: a DaemonSet created after the restart reaches the agent
    send("POST", DS, daemonSet("after-restart", "1").replace("\"runtime\":\"process\"", "\"runtime\":\"restart\""),
        "application/json");
    await("the pod Running and Ready", () -> readyPods("after-restart").size() == 1);
    // and the heartbeats resumed (a heartbeat that changes nothing but times is answered, not stored)
    java.time.Instant since = java.time.Instant.now();
    await("a fresh heartbeat", () -> agent.reporter().node().status().conditionsOrEmpty().stream()
        .anyMatch(c -> c.type().equals("Ready") && c.status().equals("True")
            && !c.lastHeartbeatTime().isBefore(since)));
    long pid = pidsByNode(pods("after-restart")).get("proc-3");
    send("DELETE", DS + "/after-restart", null, null);
    await("the pod gone", () -> pods("after-restart").isEmpty());
    await("its process gone", () -> !alive(pid));
  }

  // ---- helpers

  static String daemonSet(String name, String version) {
    return """
        {"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"%1$s"},
         "spec":{"selector":{"matchLabels":{"app":"%1$s"}},
           "updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":1}},
           "template":{"metadata":{"labels":{"app":"%1$s"}},
             "spec":{"nodeSelector":{"runtime":"process"},"terminationGracePeriodSeconds":5,
               "containers":[{"name":"c","image":"busybox","command":["sh","-c","echo starting $0; touch ready; sleep 3600"],
                 "args":["%2$s"],
                 "readinessProbe":{"exec":{"command":["test","-f","ready"]},"periodSeconds":1}}]}}}}
        """.formatted(name, version);
  }

  static String hollowDaemonSet(String name) {
    return """
        {"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"%1$s"},
         "spec":{"selector":{"matchLabels":{"app":"%1$s"}},
           "template":{"metadata":{"labels":{"app":"%1$s"}},
             "spec":{"nodeSelector":{"runtime":"hollow"},"containers":[{"name":"c","image":"pause"}]}}}}
        """.formatted(name);
  }

  static List<JsonNode> pods(String app) {
    List<JsonNode> out = new ArrayList<>();
    get("/api/v1/namespaces/default/pods?labelSelector=app%3D" + app).path("items").forEach(out::add);
    return out;
  }

  static List<JsonNode> readyPods(String app) {
    return pods(app).stream().filter(p -> p.path("metadata").path("deletionTimestamp").isMissingNode()
        && p.path("status").path("phase").asText().equals("Running")
        && java.util.stream.StreamSupport.stream(p.path("status").path("conditions").spliterator(), false)
            .anyMatch(c -> c.path("type").asText().equals("Ready") && c.path("status").asText().equals("True")))
        .toList();
  }

  static Map<String, Long> pidsByNode(List<JsonNode> pods) {
    Map<String, Long> pids = new java.util.TreeMap<>();
    for (JsonNode p : pods) {
      String id = p.path("status").path("containerStatuses").get(0).path("containerID").asText();
      assertThat(id).startsWith("process://");
      pids.put(p.path("spec").path("nodeName").asText(), Long.parseLong(id.substring("process://".length())));
    }
    return pids;
  }

  static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessTree::alive).orElse(false);
  }

  static JsonNode get(String path) {
    return Json.read(send("GET", path, null, null), JsonNode.class);
  }

  static String send(String method, String path, String body, String contentType) {
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path))
          .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + adminToken)
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
      if (contentType != null) {
        request.header("Content-Type", contentType);
      }
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isBetween(200, 299);
      return response.body();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static String fetch(String url) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  static void await(String what, BooleanSupplier condition) {
    TestPods.await(WAIT, what, () -> {
      try {
        return condition.getAsBoolean();
      } catch (RuntimeException | AssertionError notYet) {
        return false;
      }
    });
  }
}
