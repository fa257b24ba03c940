package io.daemonset.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.testing.JarProcess;
import io.daemonset.testing.Kubectl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
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
  @TempDir Path work;
  String schema;
  final List<JarProcess> members = new ArrayList<>();
  /** The members not killed on purpose: a wait fails at once, with its log, if one of them exits. */
  final List<JarProcess> running = new CopyOnWriteArrayList<>();
  final int[] clusterPorts = new int[3];
  final int[] apiPorts = new int[3];

  @BeforeEach
  void database() {
    PostgresTestDatabase.assumeReachable();
    schema = PostgresTestDatabase.uniqueSchema();
    for (int i = 0; i < 3; i++) {
      clusterPorts[i] = JarProcess.freePort();
      apiPorts[i] = JarProcess.freePort();
    }
  }

  @AfterEach
  void stop() throws Exception {
    for (JarProcess p : members) {
      p.kill();
    }
    if (schema != null) {
      PostgresTestDatabase.dropSchema(schema);
    }
  }

  @Test
  void aMemberKilledMidRolloutIsReplacedAndTheRolloutFinishesWithOnePodPerNode() throws Exception {
    startMember(0, 0);
    startMember(1, 0);
    startMember(2, 5);
    waitFor("five nodes", () -> kubectl("get", "nodes", "-o", "name"), out -> out.lines().count() == 5,
        Duration.ofMinutes(3));

    Path ds = work.resolve("ds.yaml");
    Files.writeString(ds, manifest("agent:1"));
    kubectl("apply", "-f", ds.toString());
    waitFor("agent:1 rolled out", () -> kubectl("rollout", "status", "ds/agent", "--timeout=5s"),
        out -> out.contains("successfully"), Duration.ofMinutes(2));

    Files.writeString(ds, manifest("agent:2"));
    kubectl("apply", "-f", ds.toString());
    waitFor("a first agent:2 pod", () -> images(), out -> out.contains("agent:2"), Duration.ofMinutes(1));
    running.remove(members.get(1));
    members.get(1).kill();

    List<String> violations = new CopyOnWriteArrayList<>();
    String done = waitFor("agent:2 rolled out on the survivors", () -> {
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

  private void startMember(int i, int hollowNodes) {
    Path dir = work.resolve("member-" + i);
    List<String> args = new ArrayList<>(List.of("serve", "--store", "postgres",
        "--data-dir", dir.toString(), "--api-port", String.valueOf(apiPorts[i]),
        "--cluster-port", String.valueOf(clusterPorts[i]), "--management-port", "0",
        "--seed-nodes", "127.0.0.1:" + clusterPorts[0] + ",127.0.0.1:" + clusterPorts[1]));
    if (hollowNodes > 0) {
      args.addAll(List.of("--hollow-nodes", String.valueOf(hollowNodes)));
    }
    JarProcess member = JarProcess.start(dir.resolve("serve.log"), List.of("-Xmx384m"),
        Map.of("DS_DB_URL", PostgresTestDatabase.URL, "DS_DB_USER", PostgresTestDatabase.USER,
            "DS_DB_PASSWORD", PostgresTestDatabase.PASSWORD, "DS_DB_SCHEMA", schema, "DS_SBR_STABLE_AFTER", "5s"),
        args);
    members.add(member);
    running.add(member);
  }

  /** kubectl against the first member, which is never killed (its output and errors, as the probes read them). */
  private String kubectl(String... args) {
    return new Kubectl(work.resolve("member-0").resolve("kubeconfig"), work.resolve("kubectl")).output(args);
  }

  /** Polls probe (once member 0 has written its kubeconfig) until done accepts its answer. */
  private String waitFor(String what, Supplier<String> probe, Predicate<String> done, Duration timeout) {
    Path kubeconfig = work.resolve("member-0").resolve("kubeconfig");
    return JarProcess.await(what, timeout, () -> Files.exists(kubeconfig) ? probe.get() : "", done,
        running.toArray(JarProcess[]::new));
  }
}
