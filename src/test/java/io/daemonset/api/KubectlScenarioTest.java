package io.daemonset.api;

import static io.daemonset.testing.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.model.Json;
import io.daemonset.testing.Kubectl;
import io.daemonset.testing.TestControlPlane;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed document's walkthrough with the real kubectl 1.32 against a real control plane (H2) and the real API
 * server, with three node agents that speak only the API. The steps build on each other, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubectlScenarioTest {
  @TempDir
  static Path tmp;
  static TestControlPlane cluster;
  static HttpAgents agents;
  @AutoClose
  static ApiWithAgents fixture;
  static Kubectl kubectl;
  /** A get -w line of DaemonSet agent with all three pods desired, current, ready, up to date and available. */
  static final String ROLLED_OUT = "agent\\s+3\\s+3\\s+3\\s+3\\s+3\\s+.*";

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(Kubectl.available(), "kubectl is not on the PATH");
    fixture = ApiWithAgents.start(tmp, HttpAgents.CONFIG, "n1", "n2", "n3");
    cluster = fixture.cluster();
    agents = fixture.agents();
    kubectl = cluster.kubectl();
  }

  /** Live (not terminating) pods of a DaemonSet, by the node they run on. */
  static List<String> podNodes(String labelSelector) {
    JsonNode pods = Json.read(kubectl.ok("get", "pods", "-l", labelSelector, "-o", "json").out(), JsonNode.class);
    List<String> nodes = new ArrayList<>();
    pods.path("items").forEach(p -> {
      if (p.path("metadata").path("deletionTimestamp").isMissingNode()) {
        nodes.add(p.path("spec").path("nodeName").asText());
      }
    });
    return nodes.stream().sorted().toList();
  }

  static void awaitPodNodes(String labelSelector, String... nodes) {
    await("pods " + labelSelector + " on " + List.of(nodes)).until(() -> podNodes(labelSelector)
        .equals(List.of(nodes)));
  }

  static Path manifest(String name, String yaml) throws Exception {
    return Files.writeString(tmp.resolve(name), yaml);
  }

  static String agentDaemonSet(String image) {
    return """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata:
          name: agent
        spec:
          selector:
            matchLabels: {app: agent}
          updateStrategy:
            type: RollingUpdate
            rollingUpdate: {maxUnavailable: 1}
          template:
            metadata:
              labels: {app: agent}
            spec:
              containers:
              - name: agent
                image: %s
        """.formatted(image);
  }

  @Test
  @Order(1)
  void applyFluentdRunsOnePodPerNode() {
    Kubectl.Result apply = kubectl.ok("apply", "-f", "examples/fluentd.yaml");
    assertThat(apply.out()).contains("daemonset.extensions/fluentd created");
    awaitPodNodes("app=fluentd", "n1", "n2", "n3");
    await("kubectl get ds: 3 desired, current, ready, up-to-date and available").until(() -> kubectl.ok("get",
        "ds").out()
        .matches("(?s).*fluentd\\s+3\\s+3\\s+3\\s+3\\s+3\\s+<none>.*"));
  }

  @Test
  @Order(2)
  void labelNodeAndSelectIt() {
    assertThat(kubectl.ok("label", "nodes", "n2", "ssd=true").out()).contains("node/n2 labeled");
    Kubectl.Result selected = kubectl.ok("get", "nodes", "--selector", "ssd=true", "-o", "name");
    assertThat(selected.out().trim().lines()).containsExactly("node/n2");
    Kubectl.Result table = kubectl.ok("get", "nodes", "--selector", "ssd=true");
    assertThat(table.out().lines().skip(1).map(l -> l.split("\\s+")[0])).containsExactly("n2");

    assertThat(kubectl.ok("cordon", "n1").out()).contains("node/n1 cordoned");
    assertThat(kubectl.ok("get", "nodes", "n1").out()).contains("SchedulingDisabled");
    assertThat(kubectl.ok("uncordon", "n1").out()).contains("node/n1 uncordoned");
    assertThat(kubectl.ok("taint", "nodes", "n1", "k=v:NoSchedule").out()).contains("node/n1 tainted");
    assertThat(kubectl.ok("taint", "nodes", "n1", "k=v:NoSchedule-").out()).contains("node/n1 untainted");
    assertThat(kubectl.ok("get", "ds", "fluentd", "-o", "yaml").out()).doesNotContain("null")
        .contains("apiVersion: apps/v1");
  }

  @Test
  @Order(3)
  void nginxFastStorageFollowsTheSsdLabel() {
    assertThat(kubectl.ok("apply", "-f", "examples/nginx-fast-storage.yaml").out())
        .contains("daemonset.extensions/nginx-fast-storage created");
    awaitPodNodes("app=nginx", "n2");
    assertThat(kubectl.ok("label", "nodes", "n3", "ssd=true").out()).contains("node/n3 labeled");
    awaitPodNodes("app=nginx", "n2", "n3");
    assertThat(kubectl.ok("label", "nodes", "n2", "ssd-").out()).contains("node/n2 unlabeled");
    awaitPodNodes("app=nginx", "n3");
  }

  @Test
  @Order(4)
  void rollingUpdateHistoryUndoAndRestart() throws Exception {
    Path v1 = manifest("agent-v1.yaml", agentDaemonSet("agent:1"));
    Path v2 = manifest("agent-v2.yaml", agentDaemonSet("agent:2"));
    assertThat(kubectl.ok("apply", "-f", v1.toString()).out()).contains("daemonset.apps/agent created");
    assertThat(kubectl.ok("rollout", "status", "daemonsets/agent", "--timeout=60s").out())
        .contains("daemon set \"agent\" successfully rolled out");

    assertThat(kubectl.ok("apply", "-f", v2.toString()).out()).contains("daemonset.apps/agent configured");
    assertThat(kubectl.ok("rollout", "status", "daemonsets/agent", "--timeout=60s").out())
        .contains("daemon set \"agent\" successfully rolled out");
    assertThat(images("app=agent")).containsOnly("agent:2");

    Kubectl.Result history = kubectl.ok("rollout", "history", "daemonsets/agent");
    assertThat(history.out()).contains("REVISION").containsPattern("(?m)^1\\s").containsPattern("(?m)^2\\s");

    Kubectl.Result skipped = kubectl.ok("rollout", "undo", "daemonsets/agent", "--to-revision=2");
    assertThat(skipped.out()).contains("skipped rollback (current template already matches revision 2)");

    assertThat(kubectl.ok("rollout", "undo", "daemonsets/agent").out()).contains("daemonset.apps/agent rolled back");
    kubectl.ok("rollout", "status", "daemonsets/agent", "--timeout=60s");
    await("agent:1 restored").until(() -> images("app=agent").equals(List.of("agent:1")));
    assertThat(kubectl.ok("rollout", "history", "daemonsets/agent").out()).containsPattern("(?m)^2\\s")
        .containsPattern("(?m)^3\\s");

    List<String> before = podNames("app=agent");
    assertThat(kubectl.ok("rollout", "restart", "daemonsets/agent").out()).contains("daemonset.apps/agent restarted");
    kubectl.ok("rollout", "status", "daemonsets/agent", "--timeout=60s");
    await("every pod replaced by the restart").until(() -> podNames("app=agent").size() == 3
        && podNames("app=agent").stream().noneMatch(before::contains));
  }

  @Test
  @Order(5)
  void getWatchShowsProgress() throws Exception {
    Kubectl.Result watched;
    try (Kubectl.Running watching = kubectl.start("get", "ds", "agent", "-w")) {
      // the watch has started once it printed the DaemonSet as it is; only then is the change sent
      await("kubectl get -w printing the DaemonSet").until(watching::out, out -> out.lines()
          .anyMatch(l -> l.startsWith("agent ")));
      kubectl.ok("apply", "-f", manifest("agent-v4.yaml", agentDaemonSet("agent:4")).toString());
      await("kubectl get -w showing the rollout in progress, then done").until(watching::out, out -> {
        List<String> lines = out.lines().toList();
        return lines.stream().anyMatch(l -> l.startsWith("agent ") && !l.matches(ROLLED_OUT))
            && lines.get(lines.size() - 1).matches(ROLLED_OUT);
      });
      watched = watching.stop();
    }
    List<String> lines = watched.out().lines().toList();
    assertThat(lines.get(0)).startsWith("NAME").contains("DESIRED").contains("UP-TO-DATE");
    assertThat(lines.stream().filter(l -> l.startsWith("agent ")).count()).as(watched.all()).isGreaterThan(2);
    assertThat(lines.get(lines.size() - 1)).as(watched.all()).matches(ROLLED_OUT);
  }

  @Test
  @Order(6)
  void serverSideApplyDescribeAndEvents() throws Exception {
    Path ssa = manifest("ssa.yaml", agentDaemonSet("ssa:1").replace("name: agent", "name: ssa")
        .replace("app: agent", "app: ssa"));
    assertThat(kubectl.ok("apply", "--server-side", "-f", ssa.toString()).out())
        .contains("daemonset.apps/ssa serverside-applied");
    kubectl.ok("rollout", "status", "daemonsets/ssa", "--timeout=60s");
    Files.writeString(ssa, Files.readString(ssa).replace("ssa:1", "ssa:2"));
    assertThat(kubectl.ok("apply", "--server-side", "-f", ssa.toString()).out())
        .contains("daemonset.apps/ssa serverside-applied");
    await("ssa:2 on every node").until(() -> images("app=ssa").equals(List.of("ssa:2")) && podNodes("app=ssa")
        .size() == 3);
    Kubectl.Result describe = kubectl.ok("describe", "ds", "ssa");
    assertThat(describe.out()).contains("Name:           ssa").containsPattern("Image:\\s+ssa:2")
        .contains("SuccessfulCreate");
    assertThat(kubectl.ok("get", "events", "--field-selector",
        "involvedObject.name=ssa").out()).contains("Created pod: ssa-");
    assertThat(kubectl.ok("rollout", "history", "daemonsets/ssa", "--revision=1").out()).contains("Image:\tssa:1");
    kubectl.ok("delete", "ds", "ssa");
  }

  @Test
  @Order(7)
  void invalidManifestIsExplainedAsUpstreamDoes() throws Exception {
    Path bad = manifest("bad.yaml", agentDaemonSet("x").replace("name: agent", "name: bad")
        .replace("labels: {app: agent}", "labels: {app: other}"));
    Kubectl.Result result = kubectl.run("apply", "-f", bad.toString());
    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).contains("The DaemonSet \"bad\" is invalid: ")
        .contains("spec.template.metadata.labels: Invalid value: ");
  }

  @Test
  @Order(8)
  void wrongTokenAndViewer() {
    Kubectl.Result wrong = kubectl.run("--token", "wrong", "get", "ds");
    assertThat(wrong.exit()).isEqualTo(1);
    assertThat(wrong.err()).contains("error: You must be logged in to the server (the server has asked for the "
        + "client to provide credentials)");
    Kubectl.Result viewerRead = kubectl.run("--context", "daemonset-viewer", "get", "ds", "agent");
    assertThat(viewerRead.exit()).as(viewerRead.all()).isZero();
    Kubectl.Result viewerWrite = kubectl.run("--context", "daemonset-viewer", "label", "nodes", "n1", "a=b");
    assertThat(viewerWrite.exit()).isEqualTo(1);
    assertThat(viewerWrite.err()).contains("Error from server (Forbidden): nodes \"n1\" is forbidden: User "
        + "\"viewer\" cannot patch resource \"nodes\" in API group \"\" at the cluster scope");
  }

  @Test
  @Order(9)
  void deleteWithEachCascade() {
    assertThat(kubectl.ok("delete", "ds", "agent",
        "--cascade=orphan").out()).contains("daemonset.apps \"agent\" deleted");
    assertThat(podNodes("app=agent")).containsExactly("n1", "n2", "n3");
    JsonNode orphans = Json.read(kubectl.ok("get", "pods", "-l", "app=agent", "-o", "json").out(), JsonNode.class);
    orphans.path("items").forEach(p -> assertThat(p.path("metadata").path("ownerReferences").isMissingNode()
        || p.path("metadata").path("ownerReferences").isEmpty()).isTrue());

    assertThat(kubectl.ok("delete", "ds", "nginx-fast-storage", "--cascade=foreground").out())
        .contains("daemonset.apps \"nginx-fast-storage\" deleted");
    assertThat(podNodes("app=nginx")).isEmpty();
    Kubectl.Result gone = kubectl.run("get", "ds", "nginx-fast-storage");
    assertThat(gone.err()).contains("NotFound");

    assertThat(kubectl.ok("delete", "-f", "examples/fluentd.yaml").out())
        .contains("daemonset.extensions \"fluentd\" deleted");
    await("fluentd's pods deleted in the background").until(() -> podNodes("app=fluentd").isEmpty());
  }

  static List<String> images(String selector) {
    JsonNode pods = Json.read(kubectl.ok("get", "pods", "-l", selector, "-o", "json").out(), JsonNode.class);
    List<String> images = new ArrayList<>();
    pods.path("items").forEach(p -> {
      if (p.path("metadata").path("deletionTimestamp").isMissingNode()) {
        String image = p.path("spec").path("containers").path(0).path("image").asText();
        if (!images.contains(image)) {
          images.add(image);
        }
      }
    });
    return images;
  }

  static List<String> podNames(String selector) {
    JsonNode pods = Json.read(kubectl.ok("get", "pods", "-l", selector, "-o", "json").out(), JsonNode.class);
    List<String> names = new ArrayList<>();
    pods.path("items").forEach(p -> {
      if (p.path("metadata").path("deletionTimestamp").isMissingNode()) {
        names.add(p.path("metadata").path("name").asText());
      }
    });
    return names;
  }
}
