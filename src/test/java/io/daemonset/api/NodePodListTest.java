package io.daemonset.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.model.Json;
import io.daemonset.testing.Kubectl;
import io.daemonset.testing.TestControlPlane;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kubelet lists its pods with {@code fieldSelector=spec.nodeName=X}; the API reads that node's pods rather than
 * every pod of the cluster. The answers must be the ones a scan of every pod gives: per node, paged, at an exact
 * past resourceVersion (pods deleted since then included), and for a node that holds none.
 */
class NodePodListTest {
  @TempDir
  static Path tmp;
  static ApiWithAgents fixture;
  static Kubectl kubectl;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(Kubectl.available(), "kubectl is not on the PATH");
    fixture = ApiWithAgents.start(tmp, TestControlPlane.Options.DEFAULTS, "n1", "n2", "n3");
    kubectl = fixture.cluster().kubectl();
    for (String app : List.of("logs", "metrics")) {
      Path file = tmp.resolve(app + ".yaml");
      Files.writeString(file, """
          apiVersion: apps/v1
          kind: DaemonSet
          metadata: {name: %1$s, namespace: default}
          spec:
            selector: {matchLabels: {app: %1$s}}
            template:
              metadata: {labels: {app: %1$s}}
              spec: {containers: [{name: c, image: "%1$s:1"}]}
          """.formatted(app));
      kubectl.ok("apply", "-f", file.toString());
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> allPods().size() == 6);
  }

  @AfterAll
  static void stop() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
  }

  static JsonNode raw(String path) {
    return Json.read(kubectl.ok("get", "--raw", path).out(), JsonNode.class);
  }

  /** "node name" of every pod, from a list of every pod. */
  static List<String> allPods() {
    List<String> out = new ArrayList<>();
    raw("/api/v1/pods").path("items").forEach(p -> out.add(p.path("spec").path("nodeName").asText() + " "
        + p.path("metadata").path("name").asText()));
    return out;
  }

  static List<String> names(JsonNode list) {
    List<String> names = new ArrayList<>();
    list.path("items").forEach(p -> names.add(p.path("metadata").path("name").asText()));
    return names;
  }

  static List<String> onNode(String node) {
    return allPods().stream().filter(p -> p.startsWith(node + " ")).map(p -> p.substring(node.length() + 1))
        .sorted().toList();
  }

  @Test
  void aNodesListHoldsWhatAScanOfEveryPodFindsNowAndAtAnEarlierVersion() {
    for (String node : List.of("n1", "n2", "n3")) {
      assertThat(names(raw("/api/v1/pods?fieldSelector=spec.nodeName%3D" + node))).as(node)
          .hasSize(2).containsExactlyElementsOf(onNode(node));
      assertThat(kubectl.ok("get", "pods", "-n", "default", "--field-selector", "spec.nodeName=" + node,
          "--chunk-size=1", "-o", "name").out().lines().map(l -> l.substring("pod/".length())).toList())
          .as("paged by kubectl, one pod a page").containsExactlyElementsOf(onNode(node));
    }
    assertThat(names(raw("/api/v1/pods?fieldSelector=spec.nodeName%3Dnowhere"))).isEmpty();
    assertThat(names(raw("/api/v1/pods?fieldSelector=spec.nodeName%3Dn1,metadata.namespace%3Dkube-system")))
        .isEmpty();

    List<String> before = onNode("n1");
    String rv = raw("/api/v1/pods").path("metadata").path("resourceVersion").asText();
    kubectl.ok("delete", "ds", "metrics", "-n", "default");
    await().atMost(Duration.ofSeconds(60)).until(() -> allPods().size() == 3);
    assertThat(onNode("n1")).hasSize(1);

    JsonNode then = raw("/api/v1/pods?fieldSelector=spec.nodeName%3Dn1&resourceVersion=" + rv
        + "&resourceVersionMatch=Exact");
    assertThat(new TreeSet<>(names(then))).as("the deleted pod is in the list as of " + rv)
        .containsExactlyElementsOf(before);
    assertThat(names(raw("/api/v1/pods?fieldSelector=spec.nodeName%3Dn1"))).containsExactlyElementsOf(onNode("n1"));
  }
}
