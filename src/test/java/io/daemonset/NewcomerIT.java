package io.daemonset;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A newcomer's first minutes, exactly as the README tells them: the built jar's {@code serve --hollow-nodes 3},
 * then the real kubectl with the kubeconfig serve wrote, applying the seed document's fluentd manifest.
 * Then the JVM is stopped and started again on the same data directory: same nodes, same pods.
 */
class NewcomerIT {
  static final Path JAR = Path.of(System.getProperty("daemonset.jar", "target/daemonset-controller.jar"));
  static final Path FLUENTD = Path.of("examples/fluentd.yaml");

  @TempDir Path dataDir;
  @TempDir Path cacheDir;
  Process server;
  int apiPort;

  @AfterEach
  void stop() throws Exception {
    stopServer();
  }

  @Test
  void serveWithThreeHollowNodesRunsOneFluentdPodOnEachAndKeepsThemAcrossARestart() throws Exception {
    apiPort = freePort();
    startServer();
    assertThat(waitFor(() -> kubectl("get", "nodes", "-o", "name"), out -> out.lines().count() == 3))
        .contains("node/node-1", "node/node-2", "node/node-3");

    assertThat(kubectl("apply", "-f", FLUENTD.toString())).contains("daemonset.extensions/fluentd created");
    String placed = waitFor(() -> kubectl("get", "pods", "-l", "app=fluentd", "-o",
        "jsonpath={range .items[*]}{.spec.nodeName} {.status.phase}{\"\\n\"}{end}"),
        out -> out.lines().filter(l -> l.endsWith("Running")).count() == 3);
    assertThat(placed.lines().map(l -> l.split(" ")[0]).sorted().toList())
        .containsExactly("node-1", "node-2", "node-3");
    String podsBefore = kubectl("get", "pods", "-l", "app=fluentd", "-o", "name");

    stopServer();
    startServer();
    String ds = waitFor(() -> kubectl("get", "ds", "fluentd", "-o",
        "jsonpath={.status.numberReady}/{.status.desiredNumberScheduled}"), out -> out.equals("3/3"));
    assertThat(ds).isEqualTo("3/3");
    Thread.sleep(2000);
    assertThat(kubectl("get", "pods", "-l", "app=fluentd", "-o", "name")).isEqualTo(podsBefore);
  }

  private void startServer() throws Exception {
    List<String> command = new ArrayList<>(List.of(javaBinary(), "-jar", JAR.toAbsolutePath().toString(), "serve",
        "--hollow-nodes", "3", "--data-dir", dataDir.toString(), "--api-port", String.valueOf(apiPort),
        "--cluster-port", "0"));
    server = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dataDir.resolve("serve.log").toFile()).start();
    waitFor(() -> Files.exists(dataDir.resolve("kubeconfig")) ? kubectl("get", "--raw", "/readyz") : "",
        out -> out.contains("ok"));
  }

  private void stopServer() throws Exception {
    if (server != null && server.isAlive()) {
      server.destroy();
      if (!server.waitFor(30, TimeUnit.SECONDS)) {
        server.destroyForcibly().waitFor();
      }
    }
    server = null;
  }

  private String kubectl(String... args) {
    List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", dataDir.resolve("kubeconfig").toString(),
        "--cache-dir", cacheDir.toString()));
    command.addAll(Arrays.asList(args));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      p.waitFor(60, TimeUnit.SECONDS);
      return out;
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private String waitFor(java.util.function.Supplier<String> probe, Predicate<String> done) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      if (server != null && !server.isAlive()) {
        throw new AssertionError("serve exited: " + Files.readString(dataDir.resolve("serve.log")));
      }
      last = probe.get();
      if (done.test(last)) {
        return last;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("timed out; last answer: " + last + "\nserve.log tail: " + tail());
  }

  private String tail() throws IOException {
    List<String> lines = Files.readAllLines(dataDir.resolve("serve.log"));
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
