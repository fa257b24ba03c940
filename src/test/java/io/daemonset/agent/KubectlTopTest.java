package io.daemonset.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.testing.Kubectl;
import io.daemonset.testing.Response;
import io.daemonset.testing.TestControlPlane;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kubectl top node|pod} (issue 14, item 5) with the real kubectl against metrics.k8s.io/v1beta1, served from a
 * real process agent's measurements: a container spinning a CPU shows hundreds of millicores, one that sleeps next
 * to nothing, each with its resident memory; the node shows the machine's usage; a hollow node and its pods show
 * simulated usage within their requests.
 */
class KubectlTopTest {
  static final Duration WAIT = Duration.ofSeconds(60);
  static final String DS = "/apis/apps/v1/namespaces/default/daemonsets";
  static final String METRICS = "/apis/metrics.k8s.io/v1beta1";

  @TempDir static Path tmp;
  @AutoClose
  static TestControlPlane api;
  static Kubectl kubectl;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(Kubectl.available(), "kubectl is not on the PATH");
    api = TestControlPlane.start(tmp, "daemonset.node.heartbeat-grace = 1h");
    kubectl = api.kubectl();
    agent("top-1", "process");
    agent("top-2", "hollow");
  }

  static void agent(String name, String runtime) throws Exception {
    api.startAgent(name, "--runtime", runtime, "--labels", "runtime=" + runtime);
  }

  static String daemonSet(String name, String command) {
    return """
        {"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"%1$s"},
         "spec":{"selector":{"matchLabels":{"app":"%1$s"}},
           "template":{"metadata":{"labels":{"app":"%1$s"}},
             "spec":{"nodeSelector":{"runtime":"process"},"terminationGracePeriodSeconds":1,
               "containers":[{"name":"main","image":"busybox","command":%2$s}]}}}}
        """.formatted(name, command);
  }

  static long millicores(String cpu) {
    return cpu.endsWith("n") ? Long.parseLong(cpu.substring(0, cpu.length() - 1)) / 1_000_000
        : cpu.endsWith("m") ? Long.parseLong(cpu.substring(0, cpu.length() - 1)) : Long.parseLong(cpu) * 1000;
  }

  @Test
  void topShowsMeasuredCpuAndMemoryOfPodsAndNodes() {
    api.ok("POST", DS, "application/json", daemonSet("spinner", "[\"sh\",\"-c\",\"while :; do :; done\"]"));
    api.ok("POST", DS, "application/json", daemonSet("sleeper", "[\"sleep\",\"3600\"]"));
    await("both pods running").atMost(WAIT).until(() -> api.pods("spinner").stream().anyMatch(TestControlPlane::ready)
        && api.pods("sleeper").stream().anyMatch(TestControlPlane::ready));
    String spinner = api.pods("spinner").get(0).path("metadata").path("name").asText();
    String sleeper = api.pods("sleeper").get(0).path("metadata").path("name").asText();

    try {
      // the agent measures every 5 s; a pod has figures from its second measurement on, and a full window of
      // spinning once a whole window lies after its start
      await("metrics for both pods, the spinner's over a whole window").atMost(WAIT).until(() -> {
        Response spin = api.call("GET", METRICS + "/namespaces/default/pods/" + spinner, api.adminToken(), null, null);
        return spin.code() == 200
            && millicores(spin.json().path("containers").get(0).path("usage").path("cpu").asText()) > 200
            && api.call("GET", METRICS + "/namespaces/default/pods/" + sleeper, api.adminToken(), null, null)
                .code() == 200;
      });
      JsonNode spinning = api.read(METRICS + "/namespaces/default/pods/" + spinner);
      assertThat(spinning.path("kind").asText()).isEqualTo("PodMetrics");
      JsonNode container = spinning.path("containers").get(0);
      assertThat(container.path("name").asText()).isEqualTo("main");
      assertThat(millicores(container.path("usage").path("cpu").asText())).isGreaterThan(200);
      assertThat(container.path("usage").path("memory").asText()).matches("[1-9]\\d*Ki");
      JsonNode sleeping = api.read(METRICS + "/namespaces/default/pods/" + sleeper).path("containers").get(0);
      assertThat(millicores(sleeping.path("usage").path("cpu").asText())).isLessThan(50);

      Kubectl.Result pods = kubectl.run("top", "pod", "--no-headers");
      assertThat(pods.exit()).as(pods.all()).isZero();
      String spinnerLine = pods.out().lines().filter(l -> l.startsWith(spinner)).findFirst().orElseThrow();
      String[] columns = spinnerLine.trim().split("\\s+");
      assertThat(Long.parseLong(columns[1].replace("m", ""))).isGreaterThan(200);
      assertThat(columns[2]).matches("\\d+Mi");
      assertThat(pods.out()).contains(sleeper);
      Kubectl.Result selected = kubectl.run("top", "pod", "-l", "app=sleeper", "--containers");
      assertThat(selected.out()).contains(sleeper).contains("main").doesNotContain(spinner);

      Kubectl.Result nodes = kubectl.run("top", "node");
      assertThat(nodes.exit()).as(nodes.all()).isZero();
      String node = nodes.out().lines().filter(l -> l.startsWith("top-1")).findFirst().orElseThrow();
      assertThat(node).matches("top-1\\s+\\d+m\\s+\\d+%\\s+\\d+Mi\\s+\\d+%\\s*");
      Response missing = api.call("GET", METRICS + "/nodes/no-such-node", api.adminToken(), null, null);
      assertThat(missing.code()).isEqualTo(404);
      assertThat(missing.json().path("message").asText())
          .isEqualTo("nodemetrics.metrics.k8s.io \"no-such-node\" not found");
    } finally {
      api.ok("DELETE", DS + "/spinner", null, null);
      api.ok("DELETE", DS + "/sleeper", null, null);
    }
  }

  @Test
  void aHollowNodeAndItsPodsShowSimulatedUsageWithinTheirRequests() {
    api.ok("POST", DS, "application/json", """
        {"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"pretender"},
         "spec":{"selector":{"matchLabels":{"app":"pretender"}},
           "template":{"metadata":{"labels":{"app":"pretender"}},
             "spec":{"nodeSelector":{"runtime":"hollow"},"terminationGracePeriodSeconds":1,
               "containers":[{"name":"main","image":"busybox",
                 "resources":{"requests":{"cpu":"200m","memory":"64Mi"}}}]}}}}
        """);
    try {
      await("the hollow pod running").atMost(WAIT)
          .until(() -> api.pods("pretender").stream().anyMatch(TestControlPlane::ready));
      String pod = api.pods("pretender").get(0).path("metadata").path("name").asText();

      Kubectl.Result pods = kubectl.run("top", "pod", pod, "--no-headers");
      assertThat(pods.exit()).as(pods.all()).isZero();
      String[] columns = pods.out().trim().split("\\s+");
      assertThat(Long.parseLong(columns[1].replace("m", ""))).isBetween(60L, 160L);
      assertThat(Long.parseLong(columns[2].replace("Mi", ""))).isBetween(32L, 64L);

      Kubectl.Result nodes = kubectl.run("top", "node", "top-2", "--no-headers");
      assertThat(nodes.exit()).as(nodes.all()).isZero();
      String[] node = nodes.out().trim().split("\\s+");
      assertThat(node[0]).isEqualTo("top-2");
      // the simulated system baseline (100m, 512Mi) plus the pod
      assertThat(Long.parseLong(node[1].replace("m", ""))).isBetween(160L, 260L);
      assertThat(Long.parseLong(node[3].replace("Mi", ""))).isBetween(544L, 576L);
    } finally {
      api.ok("DELETE", DS + "/pretender", null, null);
    }
  }
}
