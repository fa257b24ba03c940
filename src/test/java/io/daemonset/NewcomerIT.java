package io.daemonset;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.model.Json;
import io.daemonset.testing.JarProcess;
import io.daemonset.testing.Kubectl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A newcomer's first minutes, exactly as the README tells them: the built jar's {@code serve --hollow-nodes 3},
 * then the real kubectl with the kubeconfig serve wrote, applying the seed document's fluentd manifest.
 * Then the JVM is stopped and started again on the same data directory: same nodes, same pods.
 */
class NewcomerIT {
  static final Path FLUENTD = Path.of("examples/fluentd.yaml");

  @TempDir Path dataDir;
  @TempDir Path scratch;
  JarProcess server;
  int apiPort;
  Kubectl kubectl;

  @AfterEach
  void stop() {
    stopServer();
  }

  @Test
  void serveWithThreeHollowNodesRunsOneFluentdPodOnEachAndKeepsThemAcrossARestart() throws Exception {
    apiPort = JarProcess.freePort();
    kubectl = new Kubectl(dataDir.resolve("kubeconfig"), scratch);
    startServer();
    assertThat(waitFor("three nodes", () -> kubectl.output("get", "nodes", "-o", "name"),
        out -> out.lines().count() == 3))
        .contains("node/node-1", "node/node-2", "node/node-3");

    assertThat(kubectl.output("apply", "-f", FLUENTD.toString())).contains("daemonset.extensions/fluentd created");
    String placed = waitFor("three Running pods", () -> kubectl.output("get", "pods", "-l", "app=fluentd", "-o",
        "jsonpath={range .items[*]}{.spec.nodeName} {.status.phase}{\"\\n\"}{end}"),
        out -> out.lines().filter(l -> l.endsWith("Running")).count() == 3);
    assertThat(placed.lines().map(l -> l.split(" ")[0]).sorted().toList())
        .containsExactly("node-1", "node-2", "node-3");
    String podsBefore = kubectl.output("get", "pods", "-l", "app=fluentd", "-o", "name");
    // the list's own resourceVersion: kubectl's -o jsonpath prints an empty one for a list, so read the raw list
    String beforeRestart = Json.mapper().readTree(kubectl.output("get", "--raw",
        "/api/v1/namespaces/default/pods?labelSelector=app%3Dfluentd")).path("metadata").path("resourceVersion")
        .asText();
    assertThat(beforeRestart).isNotEmpty();

    stopServer();
    startServer();
    String ds = waitFor("3/3 ready after the restart", () -> kubectl.output("get", "ds", "fluentd", "-o",
        "jsonpath={.status.numberReady}/{.status.desiredNumberScheduled}"), out -> out.equals("3/3"));
    assertThat(ds).isEqualTo("3/3");
    List<JsonNode> events = podEventsBeforeAMarker(beforeRestart, podsBefore.lines().findFirst().orElseThrow());
    assertThat(events)
        .as("from before the restart up to a marker written after it, no pod came, went or was deleted: " + events)
        .noneMatch(e -> !e.path("type").asText().equals("MODIFIED")
            || !e.path("object").path("metadata").path("deletionTimestamp").isMissingNode());
    assertThat(kubectl.output("get", "pods", "-l", "app=fluentd", "-o", "name")).isEqualTo(podsBefore);
  }

  /**
   * The fluentd pods' watch events after resourceVersion up to a marker: a condition patched into the status of
   * pod (as {@code pod/NAME}) after them, so that the journal orders it after anything that happened before.
   */
  private List<JsonNode> podEventsBeforeAMarker(String resourceVersion, String pod) {
    String marker = UUID.randomUUID().toString();
    try (Kubectl.Running watch = kubectl.start("get", "--raw", "/api/v1/namespaces/default/pods?labelSelector=app%3D"
        + "fluentd&watch=true&timeoutSeconds=60&resourceVersion=" + resourceVersion)) {
      assertThat(kubectl.output("patch", pod, "--subresource=status", "--type=strategic", "-p",
          "{\"status\":{\"conditions\":[{\"type\":\"daemonset.io/TestMarker\",\"status\":\"True\","
              + "\"message\":\"" + marker + "\"}]}}")).contains("patched");
      String events = waitFor("the marker in the watch", watch::out, out -> out.contains(marker));
      return events.lines().takeWhile(l -> !l.contains(marker)).map(l -> Json.read(l, JsonNode.class)).toList();
    }
  }

  private void startServer() {
    server = JarProcess.start(dataDir.resolve("serve.log"), "serve", "--hollow-nodes", "3", "--data-dir",
        dataDir.toString(), "--api-port", String.valueOf(apiPort), "--cluster-port", "0", "--management-port", "0");
    waitFor("the API ready", () -> Files.exists(dataDir.resolve("kubeconfig"))
        ? kubectl.output("get", "--raw", "/readyz") : "", out -> out.contains("ok"));
  }

  private void stopServer() {
    if (server != null) {
      server.close();
    }
    server = null;
  }

  private String waitFor(String what, Supplier<String> probe, Predicate<String> done) {
    return JarProcess.await(what, Duration.ofSeconds(90), probe, done, server);
  }
}
