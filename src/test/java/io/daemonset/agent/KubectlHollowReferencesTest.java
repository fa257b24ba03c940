package io.daemonset.agent;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.daemonset.testing.Kubectl;
import io.daemonset.testing.TestControlPlane;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, item 4, with the real kubectl and a hollow agent: a DaemonSet whose pods mount a ConfigMap that does not
 * exist yet shows CreateContainerConfigError in {@code kubectl get pods}, as on a process node, and its pod becomes
 * Running once {@code kubectl create configmap} made it.
 */
class KubectlHollowReferencesTest {
  static final Duration WAIT = Duration.ofSeconds(30);
  static final String DS = "/apis/apps/v1/namespaces/default/daemonsets";

  @TempDir static Path tmp;
  @AutoClose
  static TestControlPlane api;
  static NodeAgent agent;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(Kubectl.available(), "kubectl is not on the PATH");
    api = TestControlPlane.start(tmp, "daemonset.node.heartbeat-grace = 1h");
    agent = api.startAgent("hollow-1", "--runtime", "hollow");
  }

  @Test
  void aHollowPodWaitsForItsConfigMapAndStartsWhenItIsCreated() throws Exception {
    Path manifest = tmp.resolve("shipper.yaml");
    Files.writeString(manifest, """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: shipper}
        spec:
          selector: {matchLabels: {app: shipper}}
          template:
            metadata: {labels: {app: shipper}}
            spec:
              volumes: [{name: conf, configMap: {name: shipper-config}}]
              containers:
              - name: c
                image: fluent-bit
                volumeMounts: [{name: conf, mountPath: /etc/shipper}]
        """);
    Kubectl.Result applied = api.kubectl().run("apply", "-f", manifest.toString());
    assertThat(applied.exit()).as(applied.all()).isZero();
    await("the pod").atMost(WAIT).until(() -> !api.pods("shipper").isEmpty());
    String pod = api.pods("shipper").get(0).path("metadata").path("name").asText();
    await("waiting for its ConfigMap").atMost(WAIT).until(() -> api.kubectl().podStatus(pod),
        "CreateContainerConfigError"::equals);
    assertThat(api.pods("shipper").get(0).path("status").path("containerStatuses").path(0).path("state")
        .path("waiting").path("message").asText()).isEqualTo("configmap \"shipper-config\" not found");

    Kubectl.Result created = api.kubectl().run("create", "configmap", "shipper-config", "--from-literal=a=b");
    assertThat(created.exit()).as(created.all()).isZero();
    await("running once the ConfigMap exists").atMost(WAIT).until(() -> api.kubectl().podStatus(pod),
        "Running"::equals);
  }
}
