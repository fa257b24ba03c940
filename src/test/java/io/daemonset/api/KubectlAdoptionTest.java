package io.daemonset.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.model.Json;
import io.daemonset.testing.Kubectl;
import io.daemonset.testing.TestControlPlane;
import io.daemonset.view.ClusterView;
import io.daemonset.view.WatchEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10's acceptance with the real kubectl: delete a DaemonSet with {@code --cascade=orphan}, apply it again,
 * and the new DaemonSet adopts the very same pods (same uids); no pod is created, which a watch from the
 * resourceVersion before the second apply shows. Then a node without room shows a Pending daemon pod with the
 * scheduler's reason.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubectlAdoptionTest {
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
    fixture = ApiWithAgents.start(tmp, TestControlPlane.Options.DEFAULTS, "n1", "n2", "n3");
    cluster = fixture.cluster();
    agents = fixture.agents();
    kubectl = cluster.kubectl();
  }

  /** Pod name → [uid, controller owner uid or "-"], for the fluentd pods. */
  static Map<String, List<String>> fluentdPods() {
    JsonNode pods = Json.read(kubectl.ok("get", "pods", "-l", "app=fluentd", "-o", "json").out(), JsonNode.class);
    Map<String, List<String>> out = new TreeMap<>();
    pods.path("items").forEach(p -> {
      String owner = "-";
      for (JsonNode ref : p.path("metadata").path("ownerReferences")) {
        if (ref.path("controller").asBoolean()) {
          owner = ref.path("uid").asText();
        }
      }
      out.put(p.path("metadata").path("name").asText(), List.of(p.path("metadata").path("uid").asText(), owner));
    });
    return out;
  }

  static String dsUid() {
    return kubectl.ok("get", "ds", "fluentd", "-o", "jsonpath={.metadata.uid}").out().trim();
  }

  @Test
  @Order(1)
  void orphanedPodsAreAdoptedByTheDaemonSetAppliedAgainAndNoneIsCreated() {
    kubectl.ok("apply", "-f", "examples/fluentd.yaml");
    await().atMost(Duration.ofSeconds(60)).until(() -> fluentdPods().size() == 3
        && kubectl.ok("get", "ds", "fluentd", "-o", "jsonpath={.status.numberAvailable}").out().trim().equals("3"));
    Map<String, List<String>> before = fluentdPods();
    String firstUid = dsUid();
    assertThat(before.values()).allSatisfy(v -> assertThat(v.get(1)).isEqualTo(firstUid));

    kubectl.ok("delete", "ds", "fluentd", "--cascade=orphan");
    await().atMost(Duration.ofSeconds(30)).until(() -> fluentdPods().values().stream()
        .allMatch(v -> v.get(1).equals("-")) && fluentdPods().size() == 3);
    assertThat(kubectl.ok("get", "ds", "-o", "name").out()).doesNotContain("fluentd");

    ClusterView view = cluster.plane().view();
    List<WatchEvent> podChanges = new CopyOnWriteArrayList<>();
    ClusterView.Subscription watch = view.subscribe(view.resourceVersion(), change -> {
      if ("pods".equals(change.resource())) {
        podChanges.add(change);
      }
    });
    try {
      kubectl.ok("apply", "-f", "examples/fluentd.yaml");
      String secondUid = dsUid();
      assertThat(secondUid).isNotEqualTo(firstUid);
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        Map<String, List<String>> after = fluentdPods();
        assertThat(after.keySet()).isEqualTo(before.keySet());
        after.forEach((name, v) -> assertThat(v).containsExactly(before.get(name).get(0), secondUid));
        assertThat(kubectl.ok("get", "ds", "fluentd", "-o", "jsonpath={.status.numberAvailable}/"
            + "{.status.desiredNumberScheduled}").out().trim()).isEqualTo("3/3");
      });
      // Marker: every adoption was seen through the watch, and not one pod was added.
      await().atMost(Duration.ofSeconds(10)).until(() -> podChanges.stream()
          .filter(c -> "MODIFIED".equals(c.type())).map(WatchEvent::name).distinct().count() >= 3);
      assertThat(podChanges).noneMatch(c -> "ADDED".equals(c.type()));
      assertThat(podChanges).noneMatch(c -> "DELETED".equals(c.type()));
    } finally {
      watch.cancel().run();
    }
  }

  @Test
  @Order(2)
  void aNodeWithoutRoomShowsAPendingDaemonPodWithTheSchedulersReason() {
    agents.join("tiny", Map.of(), "50m");
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      JsonNode pods = Json.read(kubectl.ok("get", "pods", "-l", "app=fluentd", "-o", "json").out(), JsonNode.class);
      JsonNode pending = null;
      for (JsonNode p : pods.path("items")) {
        if (p.path("status").path("phase").asText().equals("Pending")) {
          pending = p;
        }
      }
      assertThat(pending).as("a Pending fluentd pod").isNotNull();
      assertThat(pending.path("spec").path("nodeName").isMissingNode()).isTrue();
      JsonNode condition = pending.path("status").path("conditions").get(0);
      assertThat(condition.path("type").asText()).isEqualTo("PodScheduled");
      assertThat(condition.path("status").asText()).isEqualTo("False");
      assertThat(condition.path("reason").asText()).isEqualTo("Unschedulable");
      assertThat(condition.path("message").asText()).isEqualTo("0/1 nodes are available: 1 Insufficient cpu.");
      // Counted as upstream counts it: scheduled, and unavailable.
      assertThat(kubectl.ok("get", "ds", "fluentd", "-o", "jsonpath={.status.desiredNumberScheduled}/"
          + "{.status.currentNumberScheduled}/{.status.numberUnavailable}").out().trim()).isEqualTo("4/4/1");
    });
    assertThat(kubectl.ok("get", "pods", "-l", "app=fluentd").out()).containsPattern("fluentd-\\S+\\s+0/1\\s+Pending");
    // the scheduler's event, on the pod, as kubectl describe pod shows it
    String pendingPod = kubectl.ok("get", "pods", "-l", "app=fluentd", "-o",
        "jsonpath={.items[?(@.status.phase==\"Pending\")].metadata.name}").out().trim();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(kubectl.ok("get", "events", "-o", "jsonpath="
        + "{range .items[?(@.reason==\"FailedScheduling\")]}{.involvedObject.name}: {.message}{\"\\n\"}{end}")
        .out()).containsOnlyOnce(pendingPod + ": 0/1 nodes are available: 1 Insufficient cpu."));
  }

  /**
   * Upstream's ClaimPods release, with the real kubectl: a pod relabelled so that it no longer matches the
   * DaemonSet's selector loses its controller reference (it keeps running, an orphan), and the DaemonSet creates a
   * new pod for that node.
   */
  @Test
  @Order(3)
  void aPodRelabelledOutOfTheSelectorIsReleasedAndReplaced() {
    Map<String, List<String>> before = fluentdPods();
    String dsUid = dsUid();
    String pod = kubectl.ok("get", "pods", "-l", "app=fluentd", "--field-selector", "spec.nodeName=n1", "-o",
        "jsonpath={.items[0].metadata.name}").out().trim();
    String uid = before.get(pod).get(0);

    kubectl.ok("label", "pod", pod, "app=debugging", "--overwrite");

    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      JsonNode released = Json.read(kubectl.ok("get", "pod", pod, "-o", "json").out(), JsonNode.class);
      assertThat(released.path("metadata").path("uid").asText()).isEqualTo(uid);
      assertThat(released.path("metadata").path("ownerReferences").isMissingNode()
          || released.path("metadata").path("ownerReferences").isEmpty()).as("released").isTrue();
      Map<String, List<String>> after = fluentdPods();
      assertThat(after).doesNotContainKey(pod).hasSize(before.size());
      assertThat(after.values()).allSatisfy(v -> assertThat(v.get(1)).isEqualTo(dsUid));
      assertThat(kubectl.ok("get", "pods", "-l", "app=fluentd", "--field-selector", "spec.nodeName=n1", "-o", "name")
          .out().trim().lines().count()).as("a new pod on n1").isEqualTo(1);
    });
  }

  /**
   * Upstream's ClaimPods where the DaemonSet admits nothing: the pod released above, relabelled back into the
   * selector, is an orphan next to the pod that replaced it. The DaemonSet adopts it (at once: the node announces the
   * new fingerprint of its orphans' labels, see OrphanClaims) and keeps the oldest of the two, so the replacement goes
   * and the adopted pod stays, owned again.
   */
  @Test
  @Order(4)
  void anOrphanRelabelledIntoTheSelectorNextToAPodIsAdoptedAndTheOldestKept() {
    String dsUid = dsUid();
    JsonNode orphans = Json.read(kubectl.ok("get", "pods", "-l", "app=debugging", "-o", "json").out(), JsonNode.class);
    assertThat(orphans.path("items")).hasSize(1);
    String orphan = orphans.path("items").get(0).path("metadata").path("name").asText();
    String uid = orphans.path("items").get(0).path("metadata").path("uid").asText();
    String replacement = kubectl.ok("get", "pods", "-l", "app=fluentd", "--field-selector", "spec.nodeName=n1", "-o",
        "jsonpath={.items[0].metadata.name}").out().trim();

    kubectl.ok("label", "pod", orphan, "app=fluentd", "--overwrite");

    await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
      Map<String, List<String>> pods = fluentdPods();
      assertThat(pods.get(orphan)).as("adopted").containsExactly(uid, dsUid);
      assertThat(pods).as("the newer pod on n1 deleted").doesNotContainKey(replacement);
      assertThat(kubectl.ok("get", "pods", "-l", "app=fluentd", "--field-selector", "spec.nodeName=n1", "-o", "name")
          .out().trim().lines().count()).isEqualTo(1);
    });
  }

  /**
   * Upstream's ClaimControllerRevisions adopts by selector, not by name (issue 10 item 1): after {@code kubectl delete
   * ds fluentd --cascade=orphan}, a DaemonSet of another name whose selector matches adopts the orphaned revision (its
   * ownerReference points to the new DaemonSet, the view shows it MODIFIED, never DELETED or ADDED) and records no
   * revision of its own for the same template: {@code kubectl rollout history} lists the adopted one.
   */
  @Test
  @Order(5)
  void orphanedRevisionsAreAdoptedByADaemonSetOfAnotherNameWhoseSelectorMatches() throws Exception {
    String revision = kubectl.ok("get", "controllerrevisions", "-l", "app=fluentd", "-o",
        "jsonpath={.items[*].metadata.name}").out().trim();
    assertThat(revision).as("one revision, of fluentd").startsWith("fluentd-").doesNotContain(" ");

    kubectl.ok("delete", "ds", "fluentd", "--cascade=orphan");
    await().atMost(Duration.ofSeconds(30)).until(() -> kubectl.ok("get", "controllerrevision", revision, "-o",
        "jsonpath={.metadata.ownerReferences}").out().isBlank());

    ClusterView view = cluster.plane().view();
    List<WatchEvent> revisionChanges = new CopyOnWriteArrayList<>();
    ClusterView.Subscription watch = view.subscribe(view.resourceVersion(), change -> {
      if ("controllerrevisions".equals(change.resource())) {
        revisionChanges.add(change);
      }
    });
    try {
      Path renamed = tmp.resolve("fluentd-v2.yaml");
      java.nio.file.Files.writeString(renamed, java.nio.file.Files.readString(Path.of("examples/fluentd.yaml"))
          .replaceFirst("metadata:\n  name: fluentd\n", "metadata:\n  name: fluentd-v2\n"));
      kubectl.ok("apply", "-f", renamed.toString());
      String uid = kubectl.ok("get", "ds", "fluentd-v2", "-o", "jsonpath={.metadata.uid}").out().trim();

      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        assertThat(kubectl.ok("get", "controllerrevisions", "-l", "app=fluentd", "-o",
            "jsonpath={range .items[*]}{.metadata.name} {.metadata.ownerReferences[0].name} "
                + "{.metadata.ownerReferences[0].uid} {.metadata.ownerReferences[0].controller}{\"\\n\"}{end}")
            .out().trim()).isEqualTo(revision + " fluentd-v2 " + uid + " true");
        assertThat(kubectl.ok("rollout", "history", "ds/fluentd-v2").out()).containsPattern("(?m)^1\\s+<none>");
        assertThat(fluentdPods().values()).allSatisfy(v -> assertThat(v.get(1)).isEqualTo(uid));
      });
      assertThat(revisionChanges).filteredOn(c -> revision.equals(c.name())).isNotEmpty()
          .allMatch(c -> "MODIFIED".equals(c.type()));
      assertThat(revisionChanges).noneMatch(c -> "ADDED".equals(c.type()));
    } finally {
      watch.cancel().run();
    }
  }
}
