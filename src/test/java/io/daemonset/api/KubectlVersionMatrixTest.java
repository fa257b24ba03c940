package io.daemonset.api;

import io.daemonset.testing.TestControlPlane;
import io.daemonset.testing.Kubectl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kubectl from 1.27 to 1.33 found next to the {@code kubectl} dispatcher (as kubectl.1.27 …) runs apply, get
 * (Table), label, get -l, rollout status, explain and delete against the server. Versions missing on this machine
 * are reported; under CI=true a missing one fails the run.
 */
class KubectlVersionMatrixTest {
  static final List<String> VERSIONS = List.of("1.27", "1.28", "1.29", "1.30", "1.31", "1.32", "1.33");

  @TempDir
  static Path tmp;
  static TestControlPlane cluster;
  static HttpAgents agents;
  @AutoClose
  static ApiWithAgents fixture;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(!found().isEmpty() || "true".equals(System.getenv("CI")), "no versioned kubectl on this machine");
    fixture = ApiWithAgents.start(tmp, TestControlPlane.Options.DEFAULTS, "m1", "m2");
    cluster = fixture.cluster();
    agents = fixture.agents();
  }

  /** The directory of the kubectl on the PATH, where the versioned binaries are installed beside it. */
  static Path binDir() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, "kubectl");
      if (Files.isExecutable(candidate)) {
        try {
          return candidate.toRealPath().getParent();
        } catch (IOException e) {
          return candidate.getParent();
        }
      }
    }
    return Path.of(".");
  }

  static List<String> found() {
    return VERSIONS.stream().filter(v -> Files.isExecutable(binDir().resolve("kubectl." + v))).toList();
  }

  @Test
  void reportsTheVersionsItFound() {
    List<String> missing = new ArrayList<>(VERSIONS);
    missing.removeAll(found());
    System.out.println("kubectl version matrix: found " + found() + " in " + binDir() + ", missing " + missing);
    if ("true".equals(System.getenv("CI"))) {
      assertThat(missing).as("kubectl versions missing under CI=true").isEmpty();
    }
  }

  static Stream<String> versions() {
    return found().stream();
  }

  @ParameterizedTest(name = "kubectl {0}")
  @MethodSource("versions")
  void theDailyCommandsWork(String version) throws Exception {
    Kubectl kubectl = new Kubectl(cluster.server().kubeconfigPath(),
        Files.createDirectories(tmp.resolve("kubectl-" + version)), binDir().resolve("kubectl." + version).toString());
    String name = "m" + version.replace(".", "");
    Path manifest = Files.writeString(tmp.resolve(name + ".yaml"), """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata:
          name: %s
        spec:
          selector:
            matchLabels: {app: %s}
          updateStrategy:
            type: RollingUpdate
            rollingUpdate: {maxUnavailable: 1}
          template:
            metadata:
              labels: {app: %s}
            spec:
              containers:
              - name: main
                image: busybox:%s
                ports:
                - containerPort: 80
        """.formatted(name, name, name, version));
    kubectl.ok("apply", "-f", manifest.toString());
    kubectl.ok("apply", "-f", manifest.toString()); // the second apply patches (client-side)
    assertThat(kubectl.ok("get", "ds", name).out()).containsPattern("NAME\\s+DESIRED\\s+CURRENT")
        .contains(name);
    kubectl.ok("label", "ds", name, "matrix=" + name);
    assertThat(kubectl.ok("get", "ds", "-l", "matrix=" + name, "-o", "name").out().trim())
        .isEqualTo("daemonset.apps/" + name);
    assertThat(kubectl.ok("rollout", "status", "ds/" + name, "--timeout=60s").out())
        .contains("successfully rolled out");
    Kubectl.Result explain = kubectl.ok("explain", "daemonset.spec.updateStrategy.rollingUpdate");
    assertThat(explain.out()).contains("maxUnavailable").contains("maxSurge");
    assertThat(kubectl.ok("delete", "ds", name).out()).contains("deleted");
  }
}
