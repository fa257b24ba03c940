package io.daemonset.api;

import static io.daemonset.testing.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.testing.Response;
import io.daemonset.testing.TestControlPlane;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nodes and pods over HTTPS, as users and as node agents (system:node:NAME) use them. */
class NodeAndPodRoutesTest {
  static final String PODS = "/api/v1/namespaces/default/pods";

  @TempDir
  static Path tmp;
  static TestControlPlane cluster;
  static HttpAgents agents;
  @AutoClose
  static ApiWithAgents fixture;

  @BeforeAll
  static void start() throws Exception {
    fixture = ApiWithAgents.start(tmp, HttpAgents.CONFIG, "p1", "p2");
    cluster = fixture.cluster();
    agents = fixture.agents();
    cluster.post(DaemonSetRoutesTest.DS, DaemonSetRoutesTest.daemonSet("pp", "nginx:1"));
    await("two running pods").until(() -> pods().size() == 2 && pods().stream()
        .allMatch(p -> p.at("/status/phase").asText().equals("Running")));
  }

  static java.util.List<JsonNode> pods() {
    java.util.List<JsonNode> out = new java.util.ArrayList<>();
    cluster.get(PODS + "?labelSelector=app%3Dpp").json().path("items").forEach(out::add);
    return out;
  }

  static JsonNode podOn(String node) {
    return pods().stream().filter(p -> p.at("/spec/nodeName").asText().equals(node)).findFirst().orElseThrow();
  }

  static String node(String name, String labels) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"" + name + "\",\"labels\":" + labels
        + "}}";
  }

  @Test
  void nodesAreCreatedLabelledTaintedAndDeleted() {
    Response created = cluster.post("/api/v1/nodes", node("u1", "{\"a\":\"b\"}"));
    assertThat(created.code()).as(created.body()).isEqualTo(201);
    assertThat(created.json().at("/metadata/uid").asText()).isNotEmpty();
    Response again = cluster.post("/api/v1/nodes", node("u1", "{}"));
    assertThat(again.code()).isEqualTo(409);
    assertThat(again.json().path("message").asText()).isEqualTo("nodes \"u1\" already exists");

    Response tainted = cluster.patch("/api/v1/nodes/u1", "application/strategic-merge-patch+json",
        "{\"spec\":{\"unschedulable\":true,\"taints\":[{\"key\":\"k\",\"value\":\"v\",\"effect\":\"NoSchedule\"}]}}");
    assertThat(tainted.code()).as(tainted.body()).isEqualTo(200);
    assertThat(tainted.json().at("/spec/taints/0/key").asText()).isEqualTo("k");
    JsonNode selected = cluster.get("/api/v1/nodes?fieldSelector=spec.unschedulable%3Dtrue").json();
    assertThat(selected.path("items")).extracting(n -> n.at("/metadata/name").asText()).containsExactly("u1");

    String rv = tainted.json().at("/metadata/resourceVersion").asText();
    Response put = cluster.put("/api/v1/nodes/u1", "{\"apiVersion\":\"v1\",\"kind\":\"Node\","
        + "\"metadata\":{\"name\":\"u1\",\"resourceVersion\":\"" + rv + "\",\"labels\":{\"c\":\"d\"}}}");
    assertThat(put.code()).as(put.body()).isEqualTo(200);
    assertThat(put.json().at("/metadata/labels")).hasSize(1);
    Response stale = cluster.put("/api/v1/nodes/u1", "{\"apiVersion\":\"v1\",\"kind\":\"Node\","
        + "\"metadata\":{\"name\":\"u1\",\"resourceVersion\":\"" + rv + "\"}}");
    assertThat(stale.code()).isEqualTo(409);

    Response invalid = cluster.patch("/api/v1/nodes/u1", "application/merge-patch+json",
        "{\"metadata\":{\"labels\":{\"bad key!\":\"x\"}}}");
    assertThat(invalid.code()).isEqualTo(422);

    assertThat(cluster.delete("/api/v1/nodes/u1", null).code()).isEqualTo(200);
    assertThat(cluster.get("/api/v1/nodes/u1").code()).isEqualTo(404);
    assertThat(cluster.get("/api/v1/nodes/u1").json().path("message").asText()).isEqualTo("nodes \"u1\" not found");
  }

  @Test
  void podsAreNotCreatedDirectlyAndOnlyTheirLabelsAndAnnotationsChange() {
    Response create = cluster.post(PODS, "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":"
        + "{\"name\":\"x\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}}");
    assertThat(create.code()).isEqualTo(405);
    assertThat(create.json().path("reason").asText()).isEqualTo("MethodNotAllowed");
    assertThat(create.json().path("message").asText()).contains("this control plane runs DaemonSet pods only");
    String name = podOn("p1").at("/metadata/name").asText();
    String uid = podOn("p1").at("/metadata/uid").asText();
    Response label = cluster.patch(PODS + "/" + name, "application/merge-patch+json",
        "{\"metadata\":{\"labels\":{\"x\":\"y\"},\"annotations\":{\"note\":\"kept\"}}}");
    assertThat(label.code()).as(label.body()).isEqualTo(200);
    assertThat(label.json().at("/metadata/labels/x").asText()).isEqualTo("y");
    assertThat(podOn("p1").at("/metadata/annotations/note").asText()).isEqualTo("kept");
    assertThat(podOn("p1").at("/metadata/uid").asText()).as("still matches its selector: kept").isEqualTo(uid);
    Response spec = cluster.patch(PODS + "/" + name, "application/strategic-merge-patch+json",
        "{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx:2\"}]}}");
    assertThat(spec.code()).isEqualTo(422);
    assertThat(spec.json().at("/details/causes/0/field").asText()).isEqualTo("spec");
    assertThat(podOn("p1").at("/spec/containers/0/image").asText()).isEqualTo("nginx:1");
    Response log = cluster.get(PODS + "/" + name + "/log");
    // p1 has no agent log endpoint (a hollow or simulated node): a clear 400, as PodLogs answers.
    assertThat(log.code()).isEqualTo(400);
    assertThat(log.json().path("kind").asText()).isEqualTo("Status");
  }

  @Test
  void nodeAgentsWriteOnlyTheirOwnNodeAndPods() {
    String p1 = cluster.nodeToken("p1");
    JsonNode onP2 = podOn("p2");
    String p2Pod = PODS + "/" + onP2.at("/metadata/name").asText();

    Response otherStatus = cluster.call("PATCH", p2Pod + "/status", p1, "application/merge-patch+json",
        "{\"status\":{\"phase\":\"Failed\"}}");
    assertThat(otherStatus.code()).isEqualTo(403);
    assertThat(otherStatus.json().path("message").asText()).isEqualTo("pods \"" + onP2.at("/metadata/name").asText()
        + "\" is forbidden: node \"p1\" can only update pod status for pods with spec.nodeName set to itself");
    assertThat(cluster.call("DELETE", p2Pod, p1, null, null).code()).isEqualTo(403);

    Response otherNode = cluster.call("PATCH", "/api/v1/nodes/p2", p1, "application/merge-patch+json",
        "{\"metadata\":{\"labels\":{\"x\":\"y\"}}}");
    assertThat(otherNode.code()).isEqualTo(403);
    assertThat(otherNode.json().path("message").asText()).isEqualTo("nodes \"p2\" is forbidden: User "
        + "\"system:node:p1\" cannot patch resource \"nodes\" in API group \"\" at the cluster scope");
    Response registerOther = cluster.call("POST", "/api/v1/nodes", p1, "application/json",
        node("p9", "{}"));
    assertThat(registerOther.code()).isEqualTo(403);
    assertThat(cluster.call("GET", "/apis/apps/v1/daemonsets", p1, null, null).code()).isEqualTo(403);
    assertThat(cluster.call("DELETE", "/api/v1/nodes/p1", p1, null, null).code()).isEqualTo(403);

    Response reRegister = cluster.call("POST", "/api/v1/nodes", p1, "application/json",
        node("p1", "{\"agent\":\"v2\"}"));
    assertThat(reRegister.code()).as(reRegister.body()).isEqualTo(200);
    assertThat(reRegister.json().at("/metadata/labels/agent").asText()).isEqualTo("v2");
    Response ownStatus = cluster.call("PATCH", "/api/v1/nodes/p1/status", p1,
        "application/merge-patch+json", "{\"status\":{\"nodeInfo\":{\"kubeletVersion\":\"v1.32.1\"}}}");
    assertThat(ownStatus.code()).as(ownStatus.body()).isEqualTo(200);
    assertThat(ownStatus.json().at("/status/nodeInfo/kubeletVersion").asText()).isEqualTo("v1.32.1");
    assertThat(cluster.call("GET", PODS, p1, null, null).code()).isEqualTo(200);
  }

  @Test
  void deletingAPodIsGracefulUntilItsAgentConfirms() {
    JsonNode pod = podOn("p1");
    String name = pod.at("/metadata/name").asText();
    Response deleted = cluster.delete(PODS + "/" + name, "{\"gracePeriodSeconds\":30}");
    assertThat(deleted.code()).as(deleted.body()).isEqualTo(200);
    assertThat(deleted.json().path("kind").asText()).isEqualTo("Pod");
    await("the agent confirmed the termination").until(() -> cluster.get(PODS + "/" + name).code() == 404);
    await("the DaemonSet replaced the pod").until(() -> pods().size() == 2 && pods().stream()
        .noneMatch(p -> p.at("/metadata/name").asText().equals(name)));
    assertThat(cluster.delete(PODS + "/" + name, null).code()).isEqualTo(404);
  }

  static String ready(String status, String networkUnavailable) {
    return "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"" + status + "\"},"
        + "{\"type\":\"NetworkUnavailable\",\"status\":\"" + networkUnavailable + "\"}]}}";
  }

  static String taintsOf(String node) {
    return cluster.kubectl().output("get", "node", node, "-o",
        "jsonpath={range .spec.taints[*]}{.key}:{.effect} {end}").trim();
  }

  /**
   * Issue 10 item 7, as upstream's node lifecycle controller does it: a node reporting Ready=False gets the not-ready
   * taints (NoSchedule and NoExecute), NetworkUnavailable=True the network-unavailable one; the DaemonSet's desired
   * count follows (its pod there stays: daemon pods tolerate not-ready NoExecute); all lifted when the node recovers.
   */
  @Test
  void aNotReadyNodeIsTaintedAndDesiredCountsFollowUntilItRecovers() {
    agents.join("sick", Map.of());
    String ds = DaemonSetRoutesTest.DS + "/pp";
    await("a pod on sick").until(() -> cluster.get(ds).json().at("/status/numberReady").asInt() == 3);
    String pod = podOn("sick").at("/metadata/name").asText();
    String token = cluster.nodeToken("sick");
    try {
      Response notReady = cluster.call("PATCH", "/api/v1/nodes/sick/status", token, "application/merge-patch+json",
          ready("False", "True"));
      assertThat(notReady.code()).as(notReady.body()).isEqualTo(200);
      assertThat(taintsOf("sick")).isEqualTo("node.kubernetes.io/not-ready:NoSchedule "
          + "node.kubernetes.io/not-ready:NoExecute node.kubernetes.io/network-unavailable:NoSchedule");
      await("desired count follows").until(() -> cluster.get(ds).json().at("/status/desiredNumberScheduled").asInt()
          == 2);
      assertThat(podOn("sick").at("/metadata/name").asText()).as("its pod stays").isEqualTo(pod);
      assertThat(podOn("sick").at("/metadata/deletionTimestamp").isMissingNode()).isTrue();

      Response recovered = cluster.call("PATCH", "/api/v1/nodes/sick/status", token,
          "application/merge-patch+json", ready("True", "False"));
      assertThat(recovered.code()).as(recovered.body()).isEqualTo(200);
      assertThat(taintsOf("sick")).isEmpty();
      await("desired count back").until(() -> cluster.get(ds).json().at("/status/desiredNumberScheduled").asInt()
          == 3);
    } finally {
      cluster.delete("/api/v1/nodes/sick", null);
      await("back to two pods").until(() -> pods().size() == 2);
    }
  }
}
