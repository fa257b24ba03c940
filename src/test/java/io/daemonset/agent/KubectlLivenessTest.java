package io.daemonset.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.testing.Kubectl;
import io.daemonset.testing.TestControlPlane;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Liveness probes in the process runtime (issue 14, item 6), seen with the real kubectl: a container whose exec
 * liveness probe starts failing is killed after failureThreshold failures and restarted, counting in restartCount
 * (kubectl's RESTARTS) with its last termination; a container whose probe keeps passing is never restarted.
 */
class KubectlLivenessTest {
  static final Duration WAIT = Duration.ofSeconds(60);
  static final String DS = "/apis/apps/v1/namespaces/default/daemonsets";

  @TempDir static Path tmp;
  @AutoClose
  static TestControlPlane api;
  static NodeAgent agent;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(Kubectl.available(), "kubectl is not on the PATH");
    api = TestControlPlane.start(tmp, "daemonset.node.heartbeat-grace = 1h");
    agent = api.startAgent("live-1", "--runtime", "process", "--crash-backoff", "200ms");
  }

  static String daemonSet(String name, String command) {
    return """
        {"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"%1$s"},
         "spec":{"selector":{"matchLabels":{"app":"%1$s"}},
           "template":{"metadata":{"labels":{"app":"%1$s"}},
             "spec":{"terminationGracePeriodSeconds":1,
               "containers":[{"name":"c","image":"busybox","command":%2$s,
                 "livenessProbe":{"exec":{"command":["cat","healthy"]},"periodSeconds":1,"failureThreshold":2}}]}}}}
        """.formatted(name, command);
  }

  static JsonNode status(String app) {
    return api.pods(app).get(0).path("status").path("containerStatuses").path(0);
  }

  @Test
  void aFailingLivenessProbeRestartsTheContainerAndAPassingOneNever() {
    // healthy for two seconds after each start, then the probe's file is gone
    api.ok("POST", DS, "application/json", daemonSet("flaky",
        "[\"sh\",\"-c\",\"echo run $$$$; touch healthy; sleep 2; rm healthy; exec sleep 3600\"]"));
    api.ok("POST", DS, "application/json", daemonSet("steady", "[\"sh\",\"-c\",\"touch healthy; exec sleep 3600\"]"));
    await("the flaky container restarted by its liveness probe").atMost(WAIT)
        .until(() -> !api.pods("flaky").isEmpty() && status("flaky").path("restartCount").asInt() >= 2);
    JsonNode flaky = status("flaky");
    assertThat(flaky.path("lastState").path("terminated").path("reason").asText()).isEqualTo("Error");
    String pod = api.pods("flaky").get(0).path("metadata").path("name").asText();
    Kubectl.Result restarts = api.kubectl().run("get", "pod", pod, "-o",
        "jsonpath={.status.containerStatuses[0].restartCount}");
    assertThat(Integer.parseInt(restarts.out().trim())).isGreaterThanOrEqualTo(2);
    Kubectl.Result table = api.kubectl().run("get", "pod", pod, "--no-headers");
    assertThat(table.out().trim().split("\\s+")[3]).matches("[2-9]\\d*( \\(.*\\))?|\\d{2,}");

    // each run has its own log; --previous shows the last terminated one
    await("the current run's log").atMost(WAIT)
        .until(() -> api.kubectl().run("logs", pod).out().matches("run \\d+\n"));
    String current = api.kubectl().run("logs", pod).out();
    Kubectl.Result previous = api.kubectl().run("logs", "--previous", pod);
    assertThat(previous.exit()).as(previous.all()).isZero();
    assertThat(previous.out()).matches("run \\d+\n").isNotEqualTo(current);
    String steadyPod = api.pods("steady").get(0).path("metadata").path("name").asText();
    Kubectl.Result never = api.kubectl().run("logs", "-p", steadyPod);
    assertThat(never.exit()).isNotZero();
    assertThat(never.err()).contains("previous terminated container \"c\" in pod \"" + steadyPod + "\" not found");

    // the steady container has been probed as long as the flaky one restarted twice: never restarted
    assertThat(status("steady").path("restartCount").asInt()).isZero();
    assertThat(status("steady").path("ready").asBoolean()).isTrue();
    api.ok("DELETE", DS + "/flaky", null, null);
    api.ok("DELETE", DS + "/steady", null, null);
  }

  static String withStartupProbe(String name, String command, String file, int failureThreshold) {
    return """
        {"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"%1$s"},
         "spec":{"selector":{"matchLabels":{"app":"%1$s"}},
           "template":{"metadata":{"labels":{"app":"%1$s"}},
             "spec":{"terminationGracePeriodSeconds":1,
               "containers":[{"name":"c","image":"busybox","command":%2$s,
                 "startupProbe":{"exec":{"command":["cat","%3$s"]},"periodSeconds":1,"failureThreshold":%4$d}}]}}}}
        """.formatted(name, command, file, failureThreshold);
  }

  @Test
  void aStartupProbeHoldsReadinessUntilItSucceedsAndRestartsAContainerThatNeverStarts() {
    api.ok("POST", DS, "application/json", withStartupProbe("slowstart",
        "[\"sh\",\"-c\",\"sleep 2; touch started; exec sleep 3600\"]", "started", 10));
    api.ok("POST", DS, "application/json", withStartupProbe("neverstarts", "[\"sleep\",\"3600\"]", "nope", 2));
    await("the slow starter started and ready").atMost(WAIT).until(() -> !api.pods("slowstart").isEmpty()
        && status("slowstart").path("started").asBoolean() && status("slowstart").path("ready").asBoolean());
    await("the never-starter restarted").atMost(WAIT).until(() -> !api.pods("neverstarts").isEmpty()
        && status("neverstarts").path("restartCount").asInt() >= 1);
    assertThat(status("slowstart").path("restartCount").asInt()).isZero();
    JsonNode never = status("neverstarts");
    assertThat(never.path("ready").asBoolean()).isFalse();
    assertThat(never.path("started").asBoolean()).isFalse();
    api.ok("DELETE", DS + "/slowstart", null, null);
    api.ok("DELETE", DS + "/neverstarts", null, null);
  }
}
