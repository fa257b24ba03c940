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
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A machine joins as the README says: the built jar's {@code serve}, then on the "machine" the jar's {@code agent}
 * with nothing but the server URL, serve's CA certificate and serve's {@code node-token}; the agent exchanges the
 * token for its node's credential, registers, runs a DaemonSet's pod as a host process, and {@code kubectl logs}
 * prints what the pod wrote.
 */
class AgentJoinIT {
  static final Path JAR = Path.of(System.getProperty("daemonset.jar", "target/daemonset-controller.jar"));

  @TempDir Path dataDir;
  @TempDir Path workDir;
  @TempDir Path scratch;
  Process server;
  Process agent;

  @AfterEach
  void stop() throws Exception {
    if (agent != null && server != null && server.isAlive()) {
      kubectl("delete", "daemonset", "hello", "--ignore-not-found", "--wait=true", "--timeout=30s");
    }
    stop(agent);
    stop(server);
  }

  @Test
  void anAgentJoinsWithServesNodeTokenRunsAPodAndKubectlLogsPrintsItsOutput() throws Exception {
    int port = freePort();
    server = start(dataDir.resolve("serve.log"), "serve", "--data-dir", dataDir.toString(), "--api-port",
        String.valueOf(port), "--cluster-port", "0");
    waitFor(server, dataDir.resolve("serve.log"),
        () -> Files.exists(dataDir.resolve("node-token")) ? kubectl("get", "--raw", "/readyz") : "",
        out -> out.contains("ok"));
    assertThat(Files.readString(dataDir.resolve("serve.log"))).contains("node bootstrap token: ");

    agent = start(scratch.resolve("agent.log"), "agent", "--server", "https://127.0.0.1:" + port,
        "--ca-file", dataDir.resolve("ca.crt").toString(), "--token-file", dataDir.resolve("node-token").toString(),
        "--node-name", "worker-1", "--work-dir", workDir.toString(), "--labels", "role=worker",
        "--heartbeat-period", "2s", "--stop-pods-on-exit");
    String nodes = waitFor(agent, scratch.resolve("agent.log"), () -> kubectl("get", "nodes", "--no-headers"),
        out -> out.contains("worker-1") && out.contains(" Ready "));
    assertThat(nodes).startsWith("worker-1");
    assertThat(workDir.resolve("node-credential")).exists();

    Path manifest = scratch.resolve("hello.yaml");
    Files.writeString(manifest, """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata:
          name: hello
        spec:
          selector:
            matchLabels: {app: hello}
          template:
            metadata:
              labels: {app: hello}
            spec:
              nodeSelector: {role: worker}
              terminationGracePeriodSeconds: 2
              containers:
              - name: hello
                image: busybox
                command: ["sh", "-c", "echo hello from $(hostname) on the process runtime; exec sleep 3600"]
        """);
    assertThat(kubectl("apply", "-f", manifest.toString())).contains("daemonset.apps/hello created");
    String pod = waitFor(agent, scratch.resolve("agent.log"), () -> kubectl("get", "pods", "-l", "app=hello", "-o",
        "jsonpath={range .items[*]}{.metadata.name} {.status.phase}{end}"), out -> out.endsWith(" Running"))
        .split(" ")[0];
    String logs = waitFor(agent, scratch.resolve("agent.log"), () -> kubectl("logs", pod),
        out -> out.contains("on the process runtime"));
    assertThat(logs).startsWith("hello from ");
  }

  private Process start(Path log, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", JAR.toAbsolutePath().toString()));
    command.addAll(Arrays.asList(args));
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  private static void stop(Process process) throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }

  private String kubectl(String... args) {
    List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", dataDir.resolve("kubeconfig").toString(),
        "--cache-dir", scratch.resolve("cache").toString()));
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

  private String waitFor(Process watched, Path log, Supplier<String> probe, Predicate<String> done) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      for (Process p : new Process[] {server, watched}) {
        if (p != null && !p.isAlive()) {
          throw new AssertionError("a process exited: " + Files.readString(p == server ? dataDir.resolve("serve.log")
              : log));
        }
      }
      last = probe.get();
      if (done.test(last)) {
        return last;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("timed out; last answer: " + last + "\nlog: " + Files.readString(log));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
