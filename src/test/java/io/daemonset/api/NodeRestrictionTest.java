package io.daemonset.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.testing.Response;
import io.daemonset.testing.TestControlPlane;
import java.nio.file.Path;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Issue 14 item 6b: a node's own credential may set only kubelet labels on its Node and may not touch taints. */
class NodeRestrictionTest {
  @TempDir
  static Path tmp;
  static TestControlPlane cluster;
  static HttpAgents agents;
  @AutoClose
  static ApiWithAgents fixture;

  @BeforeAll
  static void start() throws Exception {
    fixture = ApiWithAgents.start(tmp, HttpAgents.CONFIG, "self");
    cluster = fixture.cluster();
    agents = fixture.agents();
  }

  @ParameterizedTest
  @CsvSource({
      "ssd, true", "example.com/rack, true", "kubernetes.io/hostname, true", "topology.kubernetes.io/zone, true",
      "node.kubernetes.io/exclude-from-external-load-balancers, true", "kubelet.kubernetes.io/x, true",
      "node-role.kubernetes.io/control-plane, false", "node-restriction.kubernetes.io/secure, false",
      "kubernetes.io/custom, false", "x.k8s.io/y, false", "foo.node-restriction.kubernetes.io/z, false"})
  void whichLabelsAKubeletMaySet(String key, boolean allowed) {
    assertThat(NodeRestriction.kubeletMaySet(key)).isEqualTo(allowed);
  }

  @Test
  void theNodeMaySetItsOwnLabelsButNotRestrictedOnesNorTaints() {
    String token = cluster.nodeToken("self");
    String path = "/api/v1/nodes/self";
    String merge = "application/merge-patch+json";
    Response own = cluster.call("PATCH", path, token, merge, "{\"metadata\":{\"labels\":{\"ssd\":\"true\"}}}");
    assertThat(own.code()).as(own.toString()).isEqualTo(200);
    Response restricted = cluster.call("PATCH", path, token, merge,
        "{\"metadata\":{\"labels\":{\"node-restriction.kubernetes.io/secure\":\"true\"}}}");
    assertThat(restricted.code()).as(restricted.toString()).isEqualTo(403);
    assertThat(restricted.json().path("message").asText()).isEqualTo("nodes \"self\" is forbidden: node \"self\" is "
        + "not allowed to modify labels: node-restriction.kubernetes.io/secure");
    Response role = cluster.call("PATCH", path, token, merge,
        "{\"metadata\":{\"labels\":{\"node-role.kubernetes.io/control-plane\":\"\"}}}");
    assertThat(role.code()).as(role.toString()).isEqualTo(403);
    Response taint = cluster.call("PATCH", path, token, merge,
        "{\"spec\":{\"taints\":[{\"key\":\"k\",\"value\":\"v\",\"effect\":\"NoSchedule\"}]}}");
    assertThat(taint.code()).as(taint.toString()).isEqualTo(403);
    assertThat(taint.json().path("message").asText()).endsWith("is not allowed to modify taints");
    // the admin may do both, and the node may not undo them
    assertThat(cluster.patch(path, merge, "{\"metadata\":{\"labels\":{\"node-restriction.kubernetes.io/secure\":"
        + "\"true\"}},\"spec\":{\"taints\":[{\"key\":\"k\",\"value\":\"v\",\"effect\":\"NoSchedule\"}]}}").code())
        .isEqualTo(200);
    Response untaint = cluster.call("PATCH", path, token, merge, "{\"spec\":{\"taints\":null}}");
    assertThat(untaint.code()).as(untaint.toString()).isEqualTo(403);
    Response unlabel = cluster.call("PATCH", path, token, merge,
        "{\"metadata\":{\"labels\":{\"node-restriction.kubernetes.io/secure\":null}}}");
    assertThat(unlabel.code()).as(unlabel.toString()).isEqualTo(403);
    assertThat(cluster.get(path).json().path("metadata").path("labels").path("ssd").asText()).isEqualTo("true");
  }

  @Test
  void aNodeMayNotRegisterWithRestrictedLabels() {
    Response create = cluster.call("POST", "/api/v1/nodes", cluster.nodeToken("other"),
        "application/json", "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"other\",\"labels\":"
            + "{\"node-restriction.kubernetes.io/a\":\"b\",\"ok\":\"yes\"}}}");
    assertThat(create.code()).as(create.toString()).isEqualTo(403);
    assertThat(create.json().path("message").asText())
        .endsWith("is not allowed to set the following labels: node-restriction.kubernetes.io/a");
    assertThat(cluster.get("/api/v1/nodes/other").code()).isEqualTo(404);
  }
}
