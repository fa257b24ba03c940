package io.daemonset.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.model.DaemonSet;
import io.daemonset.model.Json;
import io.daemonset.model.Pod;
import io.daemonset.testing.Kubectl;
import io.daemonset.testing.TestControlPlane;
import io.daemonset.view.ClusterView;
import io.daemonset.view.WatchEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 item 8 with the real kubectl: upstream's garbage collector deletes a Background-deleted owner's dependents
 * only once the owner is really gone. While a user's finalizer holds the DaemonSet (deletionTimestamp set) its pods
 * stay, none is created and its status is not written; {@code kubectl patch} removing the finalizer deletes the
 * DaemonSet, then its pods. The order is read from a watch from the resourceVersion before the delete, not by
 * sleeping: every change of the pods that deletes them comes after the DaemonSet's DELETED.
 */
class KubectlBackgroundDeletionTest {
  static final String MANIFEST = """
      apiVersion: apps/v1
      kind: DaemonSet
      metadata:
        name: keeper
        finalizers: [example.com/keep]
      spec:
        selector: {matchLabels: {app: keeper}}
        template:
          metadata: {labels: {app: keeper}}
          spec:
            containers: [{name: c, image: "busybox:1"}]
      """;

  @TempDir
  static Path tmp;
  static TestControlPlane cluster;
  static HttpAgents agents;
  @AutoClose
  static ApiWithAgents fixture;
  static Kubectl kubectl;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(Kubectl.available(), "kubectl is not on the PATH");
    fixture = ApiWithAgents.start(tmp, HttpAgents.CONFIG, "n1", "n2");
    cluster = fixture.cluster();
    agents = fixture.agents();
    kubectl = cluster.kubectl();
  }

  /** Pod name → uid, deletionTimestamp or "-", for the keeper pods. */
  static Map<String, List<String>> keeperPods() {
    JsonNode pods = Json.read(kubectl.ok("get", "pods", "-l", "app=keeper", "-o", "json").out(), JsonNode.class);
    Map<String, List<String>> out = new TreeMap<>();
    pods.path("items").forEach(p -> out.put(p.at("/metadata/name").asText(), List.of(p.at("/metadata/uid").asText(),
        p.at("/metadata/deletionTimestamp").asText("-"))));
    return out;
  }

  @Test
  void backgroundDeletionLeavesThePodsUntilTheUsersFinalizerIsRemoved() throws Exception {
    Path manifest = Files.writeString(tmp.resolve("keeper.yaml"), MANIFEST);
    kubectl.ok("apply", "-f", manifest.toString());
    await().atMost(Duration.ofSeconds(60)).until(() -> keeperPods().size() == 2
        && kubectl.ok("get", "ds", "keeper", "-o", "jsonpath={.status.numberAvailable}").out().trim().equals("2"));
    Map<String, List<String>> before = keeperPods();
    String statusBefore = kubectl.ok("get", "ds", "keeper", "-o", "jsonpath={.status}").out();

    ClusterView view = cluster.plane().view();
    List<WatchEvent> changes = new CopyOnWriteArrayList<>();
    ClusterView.Subscription watch = view.subscribe(view.resourceVersion(), change -> {
      if (("pods".equals(change.resource()) && change.object() instanceof Pod p
          && "keeper".equals(p.metadata().labelsOrEmpty().get("app")))
          || ("daemonsets".equals(change.resource()) && "keeper".equals(change.name()))) {
        changes.add(change);
      }
    });
    try {
      assertThat(kubectl.ok("delete", "ds", "keeper", "--wait=false").out())
          .contains("daemonset.apps \"keeper\" deleted");
      assertThat(kubectl.ok("get", "ds", "keeper", "-o",
          "jsonpath={.metadata.deletionTimestamp} {.metadata.finalizers}").out())
          .matches("\\S+ \\[\"example.com/keep\"\\]");
      // A new node: a DaemonSet that still acted would create a pod for it; the one being deleted creates none.
      agents.join("n3", Map.of());
      await().atMost(Duration.ofSeconds(30))
          .until(() -> kubectl.ok("get", "nodes", "-o", "name").out().contains("node/n3"));
      assertThat(keeperPods()).as("the same pods, not being deleted").isEqualTo(before);

      kubectl.ok("patch", "ds", "keeper", "--type=merge", "-p", "{\"metadata\":{\"finalizers\":null}}");
      await().atMost(Duration.ofSeconds(60)).until(() -> kubectl.run("get", "ds", "keeper").exit() != 0
          && keeperPods().isEmpty());
      await().atMost(Duration.ofSeconds(10)).until(() -> changes.stream().filter(c -> "pods".equals(c.resource()))
          .filter(c -> "DELETED".equals(c.type())).count() == 2);
    } finally {
      watch.cancel().run();
    }

    WatchEvent dsDeleted = changes.stream().filter(c -> "daemonsets".equals(c.resource()))
        .filter(c -> "DELETED".equals(c.type())).findFirst().orElseThrow();
    List<WatchEvent> podChanges = changes.stream().filter(c -> "pods".equals(c.resource())).toList();
    assertThat(podChanges).as("no pod created, for n3 or any node").noneMatch(c -> "ADDED".equals(c.type()));
    assertThat(podChanges).filteredOn(c -> "DELETED".equals(c.type())
            || ((Pod) c.object()).metadata().deletionTimestamp() != null)
        .as("the pods go only after the DaemonSet is gone").isNotEmpty()
        .allSatisfy(c -> assertThat(c.resourceVersion()).isGreaterThan(dsDeleted.resourceVersion()));
    assertThat(changes).filteredOn(c -> "daemonsets".equals(c.resource()))
        .as("no status written once deletionTimestamp is set").allSatisfy(c -> assertThat(
            Json.write(((DaemonSet) c.object()).status())).isEqualTo(Json.write(Json.read(statusBefore,
            io.daemonset.model.DaemonSetStatus.class))));
  }
}
