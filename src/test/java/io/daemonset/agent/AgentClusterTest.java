package io.daemonset.agent;

import static io.daemonset.testing.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.testing.Quiet;
import io.daemonset.testing.TestControlPlane;
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
import java.util.concurrent.TimeUnit;
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
  static final String SLEEPER_PODS = "/api/v1/namespaces/default/pods?labelSelector=app%3Dsleeper";

  @TempDir static Path tmp;
  static TestControlPlane api;
  static final List<NodeAgent> agents = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    api = TestControlPlane.start(tmp);
  }

  @AfterAll
  static void stop() throws Exception {
    agents.forEach(a -> a.close(true));
    if (api != null) {
      api.close();
    }
  }

  /** An agent as the agent command starts one: --server, --ca-file and --token-file with a node token. */
  static NodeAgent agent(String name, Path workDir) throws Exception {
    return agent(name, workDir, "process");
  }

  static NodeAgent agent(String name, Path workDir, String runtimeLabel) throws Exception {
    Path tokenFile = tmp.resolve(name + ".token");
    if (!Files.exists(tokenFile)) {
      Files.writeString(tokenFile, api.nodeToken(name));
    }
    ApiTarget target = ApiTarget.fromFiles(api.url(), api.caFile(), tokenFile);
    NodeAgent agent = NodeAgent.start(NodeAgent.Settings.defaults(target, name, workDir)
        .withLabels(Map.of("runtime", runtimeLabel))
        .withCapacity(Flags.capacity("cpu=2,memory=4Gi,pods=20"))
        .withHeartbeatPeriod(Duration.ofSeconds(1))
        .withNodeIP("127.0.0.1")
        .withBackoff(Duration.ofMillis(200), Duration.ofSeconds(2)), Clock.systemUTC());
    agents.add(agent);
    agent.registered().get(30, TimeUnit.SECONDS);
    agent.serving().get(30, TimeUnit.SECONDS);
    return agent;
  }

  @Test
  void processAgentsRunADaemonSetAdoptAfterARestartRollItOutAndStopItsProcesses() throws Exception {
    Path work1 = tmp.resolve("agent-1");
    Path work2 = tmp.resolve("agent-2");
    NodeAgent a1 = agent("proc-1", work1);
    agent("proc-2", work2);
    JsonNode node = api.read("/api/v1/nodes/proc-1");
    assertThat(node.path("status").path("nodeInfo").path("kubeletVersion").asText()).isEqualTo("v1.32.0");
    assertThat(node.path("metadata").path("annotations").path(NodeReporter.ENDPOINT_ANNOTATION).asText())
        .startsWith("https://127.0.0.1:");

    api.ok("POST", DS, "application/json", daemonSet("sleeper", "1"));
    await("two Running and Ready pods", WAIT).until(() -> readyPods("sleeper").size() == 2);
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

    // the agent restarts: it adopts the running process, starts nothing twice. From before the restart up to a
    // marker written after the restarted agent synced, no pod was added or removed and no container changed.
    String beforeRestart = Quiet.resourceVersion(api.read(SLEEPER_PODS));
    a1.close();
    agents.remove(a1);
    assertThat(alive(pids.get("proc-1"))).isTrue();
    NodeAgent again = agent("proc-1", work1);
    again.synced().get(30, TimeUnit.SECONDS);
    List<JsonNode> events = Quiet.eventsBefore(api, SLEEPER_PODS, beforeRestart,
        Quiet.podMarker(api, "default", onNode1));
    assertThat(events).noneMatch(Quiet::removesOrAdds);
    assertThat(events).allSatisfy(e -> {
      String id = e.at("/object/status/containerStatuses/0/containerID").asText("");
      String onNode = e.at("/object/spec/nodeName").asText();
      assertThat(id).as("the container on " + onNode).isIn("", "process://" + pids.get(onNode));
    });
    assertThat(again.runtime().pods()).containsKey("default/" + onNode1);
    assertThat(pidsByNode(pods("sleeper"))).isEqualTo(pids);
    assertThat(readyPods("sleeper")).hasSize(2);
    assertThat(fetch(again.logEndpoint() + "/containerLogs/default/" + onNode1 + "/c").lines()
        .filter(l -> l.equals("starting 1"))).hasSize(1);

    // a rolling update replaces the processes one node at a time (maxUnavailable 1)
    api.ok("PATCH", DS + "/sleeper", "application/strategic-merge-patch+json",
        "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"c\","
        + "\"args\":[\"2\"]}]}}}}");
    Set<String> oldNames = new HashSet<>(pods.stream().map(p -> p.path("metadata").path("name").asText()).toList());
    int[] leastReady = {Integer.MAX_VALUE};
    await("both pods replaced", WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
      List<JsonNode> now = readyPods("sleeper");
      leastReady[0] = Math.min(leastReady[0], now.size());
      List<JsonNode> all = pods("sleeper");
      return all.size() == 2 && now.size() == 2
          && all.stream().noneMatch(p -> oldNames.contains(p.path("metadata").path("name").asText()));
    });
    assertThat(leastReady[0]).as("never both nodes unavailable at once").isGreaterThanOrEqualTo(1);
    Map<String, Long> newPids = pidsByNode(pods("sleeper"));
    assertThat(pids.values()).allSatisfy(pid -> assertThat(alive(pid)).as("old process " + pid).isFalse());
    assertThat(newPids.values()).allSatisfy(pid -> assertThat(alive(pid)).isTrue());

    // deleting the DaemonSet stops every process, and the agents confirm
    api.ok("DELETE", DS + "/sleeper", null, null);
    await("no pods left", WAIT).until(() -> pods("sleeper").isEmpty());
    await("every process gone", WAIT).until(() -> newPids.values().stream().noneMatch(AgentClusterTest::alive));
    NodeAgent a2 = agents.stream().filter(a -> a.nodeName().equals("proc-2")).findFirst().orElseThrow();
    await("runtimes empty", WAIT).until(() -> again.runtime().pods().isEmpty() && a2.runtime().pods().isEmpty());
    assertThat(work1.resolve("pods")).isEmptyDirectory();
  }

  @Test
  void aFleetOfFiftyHollowNodesRunsADaemonSet() throws Exception {
    FleetSettings settings = FleetSettings.of(api.target(), 50).withNamePrefix("hollow-")
        .withLabels(Map.of("runtime", "hollow"))
        .withBehavior(HollowBehavior.allReady(Duration.ofMillis(200)))
        .withHeartbeatPeriod(Duration.ofSeconds(5));
    try (HollowFleet fleet = HollowFleet.start(settings)) {
      fleet.registered().get(60, TimeUnit.SECONDS);
      assertThat(fleet.nodeNames()).hasSize(50).startsWith("hollow-1", "hollow-2").endsWith("hollow-50");
      JsonNode nodes = api.read("/api/v1/nodes?labelSelector=runtime%3Dhollow");
      assertThat(nodes.path("items")).hasSize(50);

      api.ok("POST", DS, "application/json", hollowDaemonSet("everywhere"));
      await("50 ready pods", WAIT).until(() -> readyPods("everywhere").size() == 50);
      await("the DaemonSet counts them", WAIT).until(() ->
          api.read(DS + "/everywhere").path("status").path("numberReady").asInt() == 50);
      assertThat(fleet.pods("hollow-7")).hasSize(1);

      api.ok("DELETE", DS + "/everywhere", null, null);
      await("the pods gone", WAIT).until(() -> pods("everywhere").isEmpty());
      await("the fleet holds none", WAIT).until(() -> fleet.nodeNames().stream().allMatch(n -> fleet.pods(n)
          .isEmpty()));
    }
  }

  @Test
  void anAgentRidesOutAnApiServerRestart() throws Exception {
    Path work = tmp.resolve("agent-3");
    NodeAgent agent = agent("proc-3", work, "restart");
    agent.synced().get(30, TimeUnit.SECONDS);
    api.restartApi();

    // the watch reconnects: a DaemonSet created after the restart reaches the agent
    api.ok("POST", DS, "application/json", daemonSet("after-restart", "1").replace("\"runtime\":\"process\"",
        "\"runtime\":\"restart\""));
    await("the pod Running and Ready", WAIT).until(() -> readyPods("after-restart").size() == 1);
    // and the heartbeats resumed (a Lease renewal: kept in the Node entity's memory, not stored)
    java.time.Instant since = java.time.Instant.now();
    await("a fresh heartbeat", WAIT).until(() -> agent.reporter().leaseRenewed() != null
        && !agent.reporter().leaseRenewed().isBefore(since));
    long pid = pidsByNode(pods("after-restart")).get("proc-3");
    api.ok("DELETE", DS + "/after-restart", null, null);
    await("the pod gone", WAIT).until(() -> pods("after-restart").isEmpty());
    await("its process gone", WAIT).until(() -> !alive(pid));
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
    return api.pods(app);
  }

  static List<JsonNode> readyPods(String app) {
    return pods(app).stream().filter(TestControlPlane::ready).toList();
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

  /** A GET from the agent's endpoint as the API server makes it: with its client certificate from the cluster CA. */
  static String fetch(String url) throws Exception {
    return HttpClient.newBuilder().sslContext(api.server().clusterCa().kubeletClientContext()).build().send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }
}
