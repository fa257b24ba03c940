package io.daemonset.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real control-plane JVMs in one cluster on PostgreSQL; one is killed with SIGKILL in the middle of
 * a rollout. The survivors (a majority) down it, take over its entities from the journal, and finish the
 * rollout with one pod per node.
 */
class ClusterFailoverIT {
  static final Path JAR = Path.of(System.getProperty("daemonset.jar", "target/daemonset-controller.jar"));

  @TempDir Path work;
  String schema;
  final List<Process> members = new ArrayList<>();
  final int[] clusterPorts = new int[3];
  final int[] apiPorts = new int[3];

  @BeforeEach
  void database() throws IOException {
    PostgresTestDatabase.assumeReachable();
    schema = PostgresTestDatabase.uniqueSchema();
    for (int i = 0; i < 3; i++) {
      clusterPorts[i] = freePort();
      apiPorts[i] = freePort();
    }
  }

  @AfterEach
  void stop() throws Exception {
    for (Process p : members) {
      p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    if (schema != null) {
      PostgresTestDatabase.dropSchema(schema);
    }
  }

  @Test
  void aMemberKilledMidRolloutIsReplacedAndTheRolloutFinishesWithOnePodPerNode() throws Exception {
    members.add(startMember(0, 0));
    members.add(startMember(1, 0));
    members.add(startMember(2, 5));
    waitFor(() -> kubectl("get", "nodes", "-o", "name"), out -> out.lines().count() == 5, Duration.ofMinutes(3));

    Path ds = work.resolve("ds.yaml");
    Files.writeString(ds, manifest("agent:1"));
    kubectl("apply", "-f", ds.toString());
    waitFor(() -> kubectl("rollout", "status", "ds/agent", "--timeout=5s"), out -> out.contains("successfully"),
        Duration.ofMinutes(2));

    Files.writeString(ds, manifest("agent:2"));
    kubectl("apply", "-f", ds.toString());
    waitFor(() -> images(), out -> out.contains("agent:2"), Duration.ofMinutes(1));
    members.get(1).destroyForcibly().waitFor(30, TimeUnit.SECONDS);

    List<String> violations = new CopyOnWriteArrayList<>();
    String done = waitFor(() -> {
      checkOnePodPerNode(violations);
      return kubectl("rollout", "status", "ds/agent", "--timeout=2s");
    }, out -> out.contains("successfully rolled out"), Duration.ofMinutes(3));

    assertThat(done).contains("successfully rolled out");
    assertThat(violations).isEmpty();
    assertThat(images().lines().toList()).hasSize(5).containsOnly("agent:2");
    checkOnePodPerNode(violations);
    assertThat(violations).isEmpty();
  }

  private void checkOnePodPerNode(List<String> violations) {
    String pods = kubectl("get", "pods", "-l", "app=agent", "-o",
        "jsonpath={range .items[*]}{.spec.nodeName} {.metadata.deletionTimestamp}{\"\\n\"}{end}");
    Map<String, Integer> live = new HashMap<>();
    pods.lines().map(String::trim).filter(l -> !l.isEmpty() && l.split(" ").length == 1)
        .forEach(node -> live.merge(node, 1, Integer::sum));
    live.forEach((node, count) -> {
      if (count > 1) {
        violations.add(node + " has " + count + " live pods");
      }
    });
  }

  private String images() {
    return kubectl("get", "pods", "-l", "app=agent", "-o",
        "jsonpath={range .items[*]}{.spec.containers[0].image}{\"\\n\"}{end}");
  }

  private static String manifest(String image) {
    return """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent}
        spec:
          selector: {matchLabels: {app: agent}}
          updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 1}}
          template:
            metadata: {labels: {app: agent}}
            spec:
              containers: [{name: agent, image: "%s"}]
        """.formatted(image);
  }

  private Process startMember(int i, int hollowNodes) throws IOException {
    Path dir = work.resolve("member-" + i);
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx384m", "-jar", JAR.toAbsolutePath().toString(), "serve", "--store", "postgres",
        "--data-dir", dir.toString(), "--api-port", String.valueOf(apiPorts[i]),
        "--cluster-port", String.valueOf(clusterPorts[i]), "--management-port", "0",
        "--seed-nodes", "127.0.0.1:" + clusterPorts[0] + ",127.0.0.1:" + clusterPorts[1]));
    if (hollowNodes > 0) {
      command.addAll(List.of("--hollow-nodes", String.valueOf(hollowNodes)));
    }
    Files.createDirectories(dir);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("serve.log").toFile());
    builder.environment().putAll(Map.of("DS_DB_URL", PostgresTestDatabase.URL, "DS_DB_USER", PostgresTestDatabase.USER,
        "DS_DB_PASSWORD", PostgresTestDatabase.PASSWORD, "DS_DB_SCHEMA", schema, "DS_SBR_STABLE_AFTER", "5s"));
    return builder.start();
  }

  /** kubectl against the first member, which is never killed. */
  private String kubectl(String... args) {
    List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig",
        work.resolve("member-0").resolve("kubeconfig").toString(), "--cache-dir", work.resolve("cache").toString()));
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

  private String waitFor(Supplier<String> probe, Predicate<String> done, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      if (Files.exists(work.resolve("member-0").resolve("kubeconfig"))) {
        last = probe.get();
        if (done.test(last)) {
          return last;
        }
      }
      Thread.sleep(300);
    }
    throw new AssertionError("timed out; last answer: " + last + "\nmember-0 log tail: " + tail(0));
  }

  private String tail(int i) throws IOException {
    List<String> lines = Files.readAllLines(work.resolve("member-" + i).resolve("serve.log"));
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
