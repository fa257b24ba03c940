package io.daemonset.api;

import static io.daemonset.testing.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.testing.Response;
import io.daemonset.testing.TestControlPlane;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Heartbeats as kubelet sends them since node leases: a PUT of the node's Lease in kube-node-lease, kept in the Node
 * entity's memory (no journal event), which only the node itself may renew, and which brings an unreachable node
 * back. Read with the real kubectl.
 */
class NodeLeaseTest {
  static final String LEASES = "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases";
  @TempDir
  static Path tmp;
  static TestControlPlane cluster;
  static HttpAgents agents;
  @AutoClose
  static ApiWithAgents fixture;

  @BeforeAll
  static void start() throws Exception {
    // a short grace, so that a node that stops renewing becomes unreachable within the test
    fixture = ApiWithAgents.start(tmp, "daemonset.node.heartbeat-grace = 2s", "leased", "neighbour");
    cluster = fixture.cluster();
    agents = fixture.agents();
  }

  static String lease(String name) {
    return "{\"apiVersion\":\"coordination.k8s.io/v1\",\"kind\":\"Lease\",\"metadata\":{\"name\":\"" + name
        + "\",\"namespace\":\"kube-node-lease\"},\"spec\":{\"holderIdentity\":\"" + name
        + "\",\"leaseDurationSeconds\":40}}";
  }

  static Response renew(String node, String name) {
    return cluster.call("PUT", LEASES + "/" + name, cluster.nodeToken(node), "application/json", lease(name));
  }

  @Test
  void aNodeRenewsItsOwnLeaseWithoutAJournalEventAndKubectlReadsIt() {
    Response first = renew("leased", "leased");
    assertThat(first.code()).as(first.toString()).isEqualTo(200);
    String nodeVersion = cluster.get("/api/v1/nodes/leased").json().path("metadata").path("resourceVersion").asText();
    Instant before = Instant.parse(first.json().path("spec").path("renewTime").asText());
    Response second = renew("leased", "leased");
    Response third = renew("leased", "leased");
    JsonNode renewed = third.json();
    assertThat(renewed.path("spec").path("holderIdentity").asText()).isEqualTo("leased");
    assertThat(Instant.parse(renewed.path("spec").path("renewTime").asText())).isAfterOrEqualTo(before);
    assertThat(Long.parseLong(renewed.path("metadata").path("resourceVersion").asText()))
        .isGreaterThanOrEqualTo(Long.parseLong(second.json().path("metadata").path("resourceVersion").asText()));
    // the renewals wrote nothing: the Node's resourceVersion (its last journal event) did not move
    assertThat(cluster.get("/api/v1/nodes/leased").json().path("metadata").path("resourceVersion").asText())
        .isEqualTo(nodeVersion);

    String holder = cluster.kubectl().output("get", "lease", "leased", "-n", "kube-node-lease",
        "-o", "jsonpath={.spec.holderIdentity} {.spec.leaseDurationSeconds}");
    assertThat(holder).isEqualTo("leased 40");
  }

  @Test
  void onlyTheNodeItselfMayRenewItsLeaseAndOnlyForARegisteredNode() {
    Response other = renew("neighbour", "leased");
    assertThat(other.code()).as(other.toString()).isEqualTo(403);
    Response unknown = cluster.call("PUT", LEASES + "/nobody", cluster.adminToken(), "application/json",
        lease("nobody"));
    assertThat(unknown.code()).as(unknown.toString()).isEqualTo(404);
    Response elsewhere = cluster.call("PUT", "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/leased",
        cluster.adminToken(), "application/json", lease("leased"));
    assertThat(elsewhere.code()).as(elsewhere.toString()).isEqualTo(404);
    Response malformed = cluster.call("PUT", LEASES + "/leased", cluster.nodeToken("leased"), "application/json",
        "{\"spec\": {\"leaseDurationSeconds\": \"forty\"}}");
    assertThat(malformed.code()).as(malformed.toString()).isEqualTo(400);
    assertThat(malformed.json().path("message").asText()).startsWith("Lease in version \"v1\" cannot be handled");
  }

  @Test
  void aNodeThatStopsRenewingBecomesUnreachableAndARenewalBringsItBack() {
    assertThat(renew("neighbour", "neighbour").code()).isEqualTo(200);
    await("neighbour unreachable", Duration.ofSeconds(60)).until(() -> taints("neighbour")
        .contains("node.kubernetes.io/unreachable"));
    assertThat(renew("neighbour", "neighbour").code()).isEqualTo(200);
    await("neighbour reachable again", Duration.ofSeconds(30)).until(() -> !taints("neighbour")
        .contains("node.kubernetes.io/unreachable"));
    assertThat(cluster.kubectl().output("get", "node", "neighbour", "-o",
        "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}")).isEqualTo("True");
  }

  static String taints(String node) {
    return cluster.get("/api/v1/nodes/" + node).json().path("spec").path("taints").toString();
  }
}
