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
 * Init containers in the process runtime (issue 14, item 6), seen with the real kubectl and a real process agent:
 * they run one at a time, in order, to completion, before the container starts (the first writes a file into an
 * emptyDir the container prints); a failing one is restarted with the crash backoff, the container never starts,
 * and {@code kubectl get pods} says Init:Error / Init:CrashLoopBackOff as upstream's printer does.
 */
class KubectlInitContainersTest {
  static final Duration WAIT = Duration.ofSeconds(20);
  static final String DS = "/apis/apps/v1/namespaces/default/daemonsets";

  @TempDir static Path tmp;
  @AutoClose
  static TestControlPlane api;
  static NodeAgent agent;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(Kubectl.available(), "kubectl is not on the PATH");
    api = TestControlPlane.start(tmp, "daemonset.node.heartbeat-grace = 1h");
    agent = api.startAgent("init-1", "--runtime", "process", "--crash-backoff", "3s");
  }

  static String daemonSet(String name, String firstInit, String secondInit) {
    return """
        {"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"%1$s"},
         "spec":{"selector":{"matchLabels":{"app":"%1$s"}},
           "template":{"metadata":{"labels":{"app":"%1$s"}},
             "spec":{"terminationGracePeriodSeconds":1,
               "volumes":[{"name":"work","emptyDir":{}}],
               "initContainers":[
                 {"name":"prepare","image":"busybox","command":%2$s,"volumeMounts":[{"name":"work","mountPath":"/work"}]},
                 {"name":"check","image":"busybox","command":%3$s,"volumeMounts":[{"name":"work","mountPath":"/work"}]}],
               "containers":[{"name":"c","image":"busybox",
                 "command":["sh","-c","cat work/greeting; exec sleep 3600"],
                 "volumeMounts":[{"name":"work","mountPath":"/work"}]}]}}}}
        """.formatted(name, firstInit, secondInit);
  }

  static String podOf(String app) {
    await(app + "'s pod").atMost(WAIT).until(() -> !api.pods(app).isEmpty());
    return api.pods(app).get(0).path("metadata").path("name").asText();
  }

  @Test
  void initContainersRunInOrderToCompletionBeforeTheContainer() {
    // the second init container waits for a file the test writes, so the pod is seen half initialized
    Path gate = tmp.resolve("gate");
    api.ok("POST", DS, "application/json", daemonSet("prepared",
        "[\"sh\",\"-c\",\"echo hello from init > work/greeting; echo prepared\"]",
        "[\"sh\",\"-c\",\"while [ ! -e '" + gate + "' ]; do sleep 0.1; done; grep -q hello work/greeting\"]"));
    String pod = podOf("prepared");
    await("the second init container running").atMost(WAIT).until(() -> api.kubectl().podStatus(pod),
        "Init:1/2"::equals);
    JsonNode waiting = api.pods("prepared").get(0).path("status");
    assertThat(waiting.path("containerStatuses").path(0).path("state").path("waiting").path("reason").asText())
        .isEqualTo("PodInitializing");
    assertThat(waiting.path("initContainerStatuses").path(0).path("state").path("terminated").path("reason")
        .asText()).isEqualTo("Completed");
    assertThat(condition(waiting, "Initialized")).isEqualTo("False");
    assertThat(api.kubectl().run("logs", pod, "-c", "prepare").out()).isEqualTo("prepared\n");

    assertThat(tmp.resolve("gate").toFile().mkdir()).isTrue();
    await("the container running").atMost(WAIT).until(() -> api.kubectl().podStatus(pod), "Running"::equals);
    await("the file the init container wrote, printed by the container").atMost(WAIT)
        .until(() -> api.kubectl().run("logs", pod).out().equals("hello from init\n"));
    JsonNode running = api.pods("prepared").get(0).path("status");
    assertThat(condition(running, "Initialized")).isEqualTo("True");
    assertThat(running.path("initContainerStatuses").findValuesAsText("name")).containsExactly("prepare", "check");
    assertThat(running.path("initContainerStatuses").path(1).path("state").path("terminated").path("exitCode")
        .asInt(-1)).isZero();
    api.ok("DELETE", DS + "/prepared", null, null);
  }

  @Test
  void aFailingInitContainerIsRestartedWithBackoffAndTheContainerNeverStarts() throws Exception {
    try (Kubectl.Running watch = api.kubectl().start("get", "pods", "-l", "app=broken", "-w", "--no-headers")) {
      api.ok("POST", DS, "application/json", daemonSet("broken",
          "[\"sh\",\"-c\",\"echo trying; exit 3\"]", "[\"true\"]"));
      await("Init:Error, then Init:CrashLoopBackOff").atMost(WAIT).until(watch::out,
          out -> out.contains(" Init:Error ") && out.indexOf(" Init:CrashLoopBackOff ") > out.indexOf(" Init:Error "));
    }
    String pod = podOf("broken");
    await("restarted").atMost(WAIT).until(() -> api.pods("broken").get(0).path("status")
        .path("initContainerStatuses").path(0).path("restartCount").asInt() >= 2);
    JsonNode status = api.pods("broken").get(0).path("status");
    assertThat(status.path("phase").asText()).isEqualTo("Pending");
    assertThat(status.path("initContainerStatuses").path(0).path("lastState").path("terminated").path("exitCode")
        .asInt()).isEqualTo(3);
    assertThat(status.path("initContainerStatuses").path(1).path("state").path("waiting").path("reason").asText())
        .isEqualTo("PodInitializing");
    assertThat(status.path("containerStatuses").path(0).path("restartCount").asInt()).isZero();
    assertThat(status.path("containerStatuses").path(0).path("state").path("waiting").path("reason").asText())
        .isEqualTo("PodInitializing");
    Kubectl.Result row = api.kubectl().run("get", "pod", pod, "--no-headers");
    assertThat(row.out().trim().split("\\s+")[1]).isEqualTo("0/1");
    assertThat(Integer.parseInt(row.out().trim().split("\\s+")[3])).isGreaterThanOrEqualTo(2);
    api.ok("DELETE", DS + "/broken", null, null);
  }

  static String condition(JsonNode status, String type) {
    for (JsonNode c : status.path("conditions")) {
      if (c.path("type").asText().equals(type)) {
        return c.path("status").asText();
      }
    }
    return "";
  }
}
