package io.daemonset;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.testing.JarProcess;
import io.daemonset.testing.Kubectl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
  @TempDir Path dataDir;
  @TempDir Path workDir;
  @TempDir Path scratch;
  JarProcess server;
  JarProcess agent;

  @AfterEach
  void stop() {
    if (agent != null && server != null && server.alive()) {
      kubectl("delete", "daemonset", "hello", "--ignore-not-found", "--wait=true", "--timeout=30s");
    }
    for (JarProcess p : new JarProcess[] {agent, server}) {
      if (p != null) {
        p.close();
      }
    }
  }

  @Test
  void anAgentJoinsWithServesNodeTokenRunsAPodAndKubectlLogsPrintsItsOutput() throws Exception {
    int port = JarProcess.freePort();
    server = JarProcess.start(dataDir.resolve("serve.log"), "serve", "--data-dir", dataDir.toString(), "--api-port",
        String.valueOf(port), "--cluster-port", "0", "--management-port", "0");
    waitFor("the API ready", () -> Files.exists(dataDir.resolve("node-token")) ? kubectl("get", "--raw",
        "/readyz") : "",
        out -> out.contains("ok"));
    assertThat(Files.readString(dataDir.resolve("serve.log"))).contains("node bootstrap token: ");

    agent = JarProcess.start(scratch.resolve("agent.log"), "agent", "--server", "https://127.0.0.1:" + port,
        "--ca-file", dataDir.resolve("ca.crt").toString(), "--token-file", dataDir.resolve("node-token").toString(),
        "--node-name", "worker-1", "--work-dir", workDir.toString(), "--labels", "role=worker",
        "--heartbeat-period", "2s", "--stop-pods-on-exit");
    String nodes = waitFor("worker-1 Ready", () -> kubectl("get", "nodes", "--no-headers"),
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
    String pod = waitFor("the pod Running", () -> kubectl("get", "pods", "-l", "app=hello", "-o",
        "jsonpath={range .items[*]}{.metadata.name} {.status.phase}{end}"), out -> out.endsWith(" Running"))
        .split(" ")[0];
    String logs = waitFor("the pod's output", () -> kubectl("logs", pod),
        out -> out.contains("on the process runtime"));
    assertThat(logs).startsWith("hello from ");
  }

  private String kubectl(String... args) {
    return new Kubectl(dataDir.resolve("kubeconfig"), scratch.resolve("kubectl")).output(args);
  }

  private String waitFor(String what, Supplier<String> probe, Predicate<String> done) {
    JarProcess[] watched = agent == null ? new JarProcess[] {server} : new JarProcess[] {server, agent};
    return JarProcess.await(what, Duration.ofSeconds(90), probe, done, watched);
  }
}
