package io.daemonset.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.daemonset.testing.TestControlPlane;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code subPath} mounts in the process runtime, as log shippers use them: one key of a ConfigMap mounted as a single
 * file beside others (fluent-bit's chart mounts its configuration this way), and a subdirectory of an emptyDir that
 * the runtime creates when it does not exist yet. Seen through the container's own output with the real kubectl.
 */
class KubectlSubPathTest {
  static final Duration WAIT = Duration.ofSeconds(60);
  @TempDir static Path tmp;
  @AutoClose
  static TestControlPlane api;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(io.daemonset.testing.Kubectl.available(), "kubectl is not on the PATH");
    api = TestControlPlane.start(tmp, "daemonset.node.heartbeat-grace = 1h");
    api.startAgent("sub-1", "--runtime", "process");
  }

  @Test
  void aConfigMapKeyMountsAsOneFileAndAnEmptyDirSubdirectoryIsCreated() {
    api.ok("POST", "/api/v1/namespaces/default/configmaps", "application/json", """
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"shipper"},
         "data":{"shipper.conf":"[INPUT] tail","other.conf":"not mounted"}}
        """);
    api.ok("POST", "/apis/apps/v1/namespaces/default/daemonsets", "application/json", """
        {"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"shipper"},
         "spec":{"selector":{"matchLabels":{"app":"shipper"}},
           "template":{"metadata":{"labels":{"app":"shipper"}},
             "spec":{"terminationGracePeriodSeconds":1,
               "volumes":[{"name":"config","configMap":{"name":"shipper"}},{"name":"state","emptyDir":{}}],
               "containers":[{"name":"c","image":"fluent-bit",
                 "command":["sh","-c","cat etc/shipper/shipper.conf; echo; ls etc/shipper; echo pos > var/lib/shipper/pos; cat var/lib/shipper/pos; exec sleep 3600"],
                 "volumeMounts":[
                   {"name":"config","mountPath":"/etc/shipper/shipper.conf","subPath":"shipper.conf"},
                   {"name":"state","mountPath":"/var/lib/shipper","subPath":"positions"}]}]}}}}
        """);
    await("the shipper running").atMost(WAIT).until(() -> api.pods("shipper").stream().anyMatch(TestControlPlane::ready));
    String pod = api.pods("shipper").get(0).path("metadata").path("name").asText();

    String out = await("its output").atMost(WAIT)
        .until(() -> api.kubectl().run("logs", pod).out(), o -> o.contains("pos"));
    assertThat(out.lines().toList()).containsExactly("[INPUT] tail", "shipper.conf", "pos");
  }
}
