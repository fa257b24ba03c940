package io.daemonset.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.daemonset.testing.Kubectl;
import io.daemonset.testing.TestControlPlane;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Issue 13's acceptance, from the real kubectl with a real agent (process runtime, joined with the node token): a
 * namespace, a ConfigMap and a Secret; a DaemonSet whose process prints a mounted file and two variables taken from
 * them; an edited ConfigMap reaches the process within 10 s; the Secret's value is nowhere in the database files;
 * deleting the namespace removes the DaemonSet, its pods (the process stops) and the configuration; a viewer may not
 * read the Secret.
 */
class ConfigAcceptanceTest {
  static final String SECRET = "Acc3ptance-secret-value";
  @TempDir static Path tmp;
  static TestControlPlane api;
  static NodeAgent agent;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(Kubectl.available(), "kubectl is not on the PATH");
    api = TestControlPlane.start(tmp);
    List<String> args = api.agentFlags(api.nodeTokenFile());
    args.addAll(List.of("--node-name", "acc-1", "--work-dir", tmp.resolve("acc-1").toString(), "--runtime",
        "process", "--node-ip", "127.0.0.1", "--heartbeat-period", "1s"));
    AgentCommand command = new AgentCommand();
    new CommandLine(command).parseArgs(args.toArray(String[]::new));
    agent = NodeAgent.start(command.settings(), Clock.systemUTC());
    agent.registered().get(60, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    if (agent != null) {
      agent.close(true);
    }
    if (api != null) {
      api.close();
    }
  }

  static String logs() throws Exception {
    return api.kubectl().run("-n", "logging", "logs", "-l", "app=shipper", "--tail=-1").out();
  }

  static String fluentConfig(String level) {
    return """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: fluent, namespace: logging}
        data:
          fluent.conf: "%s"
          MODE: fast
        """.formatted(level);
  }

  @Test
  void configurationReachesTheProcessAndGoesWithTheNamespace() throws Exception {
    api.kubectl().ok("create", "namespace", "logging");
    Path configMap = tmp.resolve("fluent.yaml");
    Files.writeString(configMap, fluentConfig("level info"));
    api.kubectl().ok("apply", "-f", configMap.toString());
    api.kubectl().ok("-n", "logging", "create", "secret", "generic", "api", "--from-literal=key=" + SECRET);
    Path ds = Files.writeString(tmp.resolve("ds.yaml"), """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: shipper, namespace: logging}
        spec:
          selector: {matchLabels: {app: shipper}}
          template:
            metadata: {labels: {app: shipper}}
            spec:
              containers:
              - name: shipper
                image: busybox
                command: ["sh", "-c", "while true; do echo \\"conf=$(cat etc/fluent/fluent.conf) mode=$MODE key=$API_KEY\\"; sleep 1; done"]
                env:
                - {name: MODE, valueFrom: {configMapKeyRef: {name: fluent, key: MODE}}}
                - {name: API_KEY, valueFrom: {secretKeyRef: {name: api, key: key}}}
                volumeMounts: [{name: conf, mountPath: /etc/fluent}]
              volumes:
              - {name: conf, configMap: {name: fluent}}
        """);
    api.kubectl().ok("apply", "-f", ds.toString());
    await().atMost(Duration.ofSeconds(60)).until(() -> logs().contains("conf=level info mode=fast key=" + SECRET));

    Files.writeString(configMap, fluentConfig("level debug"));
    api.kubectl().ok("apply", "-f", configMap.toString());
    await().atMost(Duration.ofSeconds(10)).until(() -> logs().contains("conf=level debug mode=fast"));

    List<String> forms = List.of(SECRET, Base64.getEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8)));
    try (Stream<Path> files = Files.walk(api.dir().resolve("plane"))) {
      for (Path file : files.filter(Files::isRegularFile).filter(f -> !f.toString().contains("kubectl")).toList()) {
        String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        forms.forEach(form -> assertThat(content).as(file + " holds the secret").doesNotContain(form));
      }
    }

    Kubectl.Result viewer = api.kubectl().run("--token", api.viewerToken(), "-n", "logging", "get", "secret", "api");
    assertThat(viewer.exit()).isNotZero();
    assertThat(viewer.err()).contains("Forbidden");

    api.kubectl().ok("delete", "namespace", "logging");
    await().atMost(Duration.ofSeconds(60)).until(() -> api.kubectl().run("get", "namespace", "logging").err()
        .contains("not found"));
    await().atMost(Duration.ofSeconds(30)).until(() -> agent.runtime().pods().isEmpty());
    for (String kind : List.of("ds", "pods", "configmaps", "secrets")) {
      assertThat(api.kubectl().ok("-n", "logging", "get", kind, "-o", "name").out()).as(kind).isBlank();
    }
  }
}
