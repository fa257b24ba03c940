package io.daemonset.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.testing.Kubectl;
import io.daemonset.testing.Response;
import io.daemonset.testing.TestControlPlane;
import io.daemonset.testing.Kubectl;
import io.daemonset.testing.Response;
import io.daemonset.testing.TestControlPlane;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 item 0 with the real kubectl: patches without a resourceVersion precondition are re-applied to the
 * latest object (as kube-apiserver's GuaranteedUpdate does), even while the node's agent keeps writing its
 * status; a write that names a stale resourceVersion still gets 409.
 */
class ConcurrentWritesTest {
  @TempDir
  static Path tmp;
  static TestControlPlane cluster;
  static HttpAgents agents;
  @AutoClose
  static ApiWithAgents fixture;
  static Kubectl kubectl;
  static ExecutorService pool;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(Kubectl.available(), "kubectl is not on the PATH");
    fixture = ApiWithAgents.start(tmp, HttpAgents.CONFIG, "busy");
    cluster = fixture.cluster();
    agents = fixture.agents();
    kubectl = cluster.kubectl();
    pool = Executors.newFixedThreadPool(40);
  }

  @AfterAll
  static void stop() throws Exception {
    if (pool != null) {
      pool.shutdownNow();
    }
  }

  @Test
  void fortyConcurrentLabelsOnANodeWhileItsAgentReportsStatus() throws Exception {
    AtomicBoolean reporting = new AtomicBoolean(true);
    AtomicInteger reports = new AtomicInteger();
    String nodeToken = cluster.nodeToken("busy");
    CompletableFuture<Void> agent = CompletableFuture.runAsync(() -> {
      while (reporting.get()) {
        // a condition message that changes each time: every report is persisted and moves the node's version
        String now = Instant.now().toString();
        String patch = "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":"
            + "\"KubeletReady\",\"message\":\"report " + reports.incrementAndGet() + "\",\"lastHeartbeatTime\":\""
            + now + "\",\"lastTransitionTime\":\"" + now + "\"}]}}";
        Response r = cluster.call("PATCH", "/api/v1/nodes/busy/status", nodeToken,
            "application/strategic-merge-patch+json", patch);
        assertThat(r.code()).as("status report %s", r).isEqualTo(200);
      }
    }, pool);
    List<CompletableFuture<Kubectl.Result>> labels = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String label = "k" + i + "=v" + i;
      labels.add(CompletableFuture.supplyAsync(() -> kubectl.run("label", "node", "busy", label), pool));
    }
    for (CompletableFuture<Kubectl.Result> label : labels) {
      Kubectl.Result result = label.get();
      assertThat(result.exit()).as(result.all()).isZero();
      assertThat(result.out()).contains("node/busy labeled");
    }
    reporting.set(false);
    agent.get();
    assertThat(reports.get()).isGreaterThan(1);
    JsonNode node = cluster.get("/api/v1/nodes/busy").json();
    for (int i = 0; i < 40; i++) {
      assertThat(node.path("metadata").path("labels").path("k" + i).asText()).as("label k" + i).isEqualTo("v" + i);
    }
  }

  @Test
  void twentyConcurrentAnnotationsOnADaemonSetThenAStaleReplaceIsRefused() throws Exception {
    Kubectl.Result created = kubectl.run("apply", "-f", "examples/fluentd.yaml");
    assertThat(created.exit()).as(created.all()).isZero();
    Path stale = Files.writeString(tmp.resolve("stale.json"), kubectl.run("get", "ds", "fluentd", "-o", "json").out());

    List<CompletableFuture<Kubectl.Result>> annotations = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String annotation = "a" + i + "=v" + i;
      annotations.add(CompletableFuture.supplyAsync(() -> kubectl.run("annotate", "ds", "fluentd", annotation),
          pool));
    }
    for (CompletableFuture<Kubectl.Result> annotation : annotations) {
      Kubectl.Result result = annotation.get();
      assertThat(result.exit()).as(result.all()).isZero();
      assertThat(result.out()).contains("annotated");
    }
    JsonNode ds = cluster.get("/apis/apps/v1/namespaces/default/daemonsets/fluentd").json();
    for (int i = 0; i < 20; i++) {
      assertThat(ds.path("metadata").path("annotations").path("a" + i).asText()).as("annotation a" + i)
          .isEqualTo("v" + i);
    }

    Kubectl.Result replace = kubectl.run("replace", "-f", stale.toString());
    assertThat(replace.exit()).isNotZero();
    assertThat(replace.err()).contains("Error from server (Conflict)")
        .contains("the object has been modified; please apply your changes to the latest version and try again");
  }
}
