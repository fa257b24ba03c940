package io.daemonset.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.testing.Kubectl;
import io.daemonset.testing.TestControlPlane;
import io.daemonset.model.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Namespaces, ConfigMaps, Secrets and ServiceAccounts with the real kubectl against a real control plane (H2) and
 * API server, with two node agents speaking the API: the objects and their API machinery, the namespace lifecycle
 * (admission, cascade), Secret data encrypted at rest, viewers kept from Secrets.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubectlObjectsTest {
  static final String SECRET_VALUE = "s3cr3t-Value-that-must-not-leak";
  static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir
  static Path tmp;
  static TestControlPlane cluster;
  static HttpAgents agents;
  @AutoClose
  static ApiWithAgents fixture;
  static Kubectl kubectl;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(Kubectl.available(), "kubectl is not on the PATH");
    fixture = ApiWithAgents.start(tmp, HttpAgents.CONFIG, "n1", "n2");
    cluster = fixture.cluster();
    agents = fixture.agents();
    kubectl = cluster.kubectl();
  }

  static Path manifest(String name, String yaml) throws Exception {
    return Files.writeString(tmp.resolve(name), yaml);
  }

  @Test
  @Order(1)
  void defaultAndKubeSystemExistFromTheStart() {
    await().atMost(WAIT).until(() -> kubectl.run("get", "ns").out().contains("kube-system"));
    Kubectl.Result ns = kubectl.ok("get", "namespaces");
    assertThat(ns.out()).containsPattern("(?m)^NAME\\s+STATUS\\s+AGE").containsPattern("(?m)^default\\s+Active")
        .containsPattern("(?m)^kube-system\\s+Active");
    assertThat(kubectl.ok("get", "ns", "default", "-o", "jsonpath={.spec.finalizers[0]} {.metadata.labels}").out())
        .contains("kubernetes").contains("kubernetes.io/metadata.name");
  }

  @Test
  @Order(2)
  void createNamespaceConfigMapSecretServiceAccount() throws Exception {
    assertThat(kubectl.ok("create", "namespace", "logging").out()).contains("namespace/logging created");
    assertThat(kubectl.ok("-n", "logging", "create", "configmap", "fluent", "--from-literal=fluent.conf=level info",
        "--from-literal=mode=fast").out()).contains("configmap/fluent created");
    assertThat(kubectl.ok("-n", "logging", "create", "secret", "generic", "api",
        "--from-literal=key=" + SECRET_VALUE).out())
        .contains("secret/api created");
    assertThat(kubectl.ok("-n", "logging", "create", "serviceaccount", "shipper").out())
        .contains("serviceaccount/shipper created");

    assertThat(kubectl.ok("-n", "logging", "get", "cm").out()).containsPattern("(?m)^fluent\\s+2\\s+");
    assertThat(kubectl.ok("-n", "logging", "get", "secrets").out()).containsPattern("(?m)^api\\s+Opaque\\s+1\\s+");
    assertThat(kubectl.ok("-n", "logging", "get", "sa").out()).containsPattern("(?m)^shipper\\s+0\\s+");
    String key = kubectl.ok("-n", "logging", "get", "secret", "api", "-o", "jsonpath={.data.key}").out();
    assertThat(new String(Base64.getDecoder().decode(key), StandardCharsets.UTF_8)).isEqualTo(SECRET_VALUE);

    // stringData is folded into data and never served
    kubectl.ok("-n", "logging", "apply", "-f", manifest("string-data.yaml", """
        apiVersion: v1
        kind: Secret
        metadata: {name: plain}
        stringData: {user: admin}
        """).toString());
    JsonNode plain = Json.read(kubectl.ok("-n", "logging", "get", "secret", "plain", "-o",
        "json").out(), JsonNode.class);
    assertThat(plain.path("data").path("user").asText()).isEqualTo(Base64.getEncoder().encodeToString(
        "admin".getBytes(StandardCharsets.UTF_8)));
    assertThat(plain.has("stringData")).isFalse();

    // a DaemonSet in the namespace (its pods are deleted with the namespace, last test); made early, while the
    // test's agents, which send no heartbeats, are still Ready
    kubectl.ok("-n", "logging", "apply", "-f", manifest("ds.yaml", """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: shipper}
        spec:
          selector: {matchLabels: {app: shipper}}
          template:
            metadata: {labels: {app: shipper}}
            spec:
              serviceAccountName: shipper
              containers:
              - name: shipper
                image: fluent-bit:3
                envFrom: [{configMapRef: {name: fluent}}]
        """).toString());
    try {
      await().atMost(WAIT).until(() -> kubectl.run("-n", "logging", "get", "pods", "-o", "name").out().lines()
          .count() == 2);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("no pods: " + kubectl.run("get", "nodes").all() + kubectl.run("-n", "logging",
          "describe", "ds", "shipper").all(), e);
    }
  }

  @Test
  @Order(3)
  void applyPatchesAndServerSideApply() throws Exception {
    Path cm = manifest("cm.yaml", """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: app, namespace: logging}
        data: {a: "1"}
        """);
    assertThat(kubectl.ok("apply", "-f", cm.toString()).out()).contains("configmap/app created");
    Files.writeString(cm, Files.readString(cm).replace("a: \"1\"", "a: \"2\", b: \"3\""));
    assertThat(kubectl.ok("apply", "-f", cm.toString()).out()).contains("configmap/app configured");
    assertThat(kubectl.ok("-n", "logging", "get", "cm", "app", "-o",
        "jsonpath={.data.a}{.data.b}").out()).isEqualTo("23");
    kubectl.ok("-n", "logging", "patch", "cm", "app", "--type=merge", "-p", "{\"data\":{\"c\":\"4\"}}");
    kubectl.ok("-n", "logging", "patch", "cm", "app", "--type=json", "-p",
        "[{\"op\":\"remove\",\"path\":\"/data/a\"}]");
    kubectl.ok("-n", "logging", "patch", "cm", "app", "-p", "{\"data\":{\"d\":\"5\"}}");
    assertThat(kubectl.ok("-n", "logging", "get", "cm", "app", "-o", "json").out()).doesNotContain("\"a\":")
        .contains("\"c\": \"4\"").contains("\"d\": \"5\"");
    Path ssa = manifest("ssa.yaml", """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: ssa, namespace: logging}
        data: {x: "1"}
        """);
    assertThat(kubectl.ok("apply", "--server-side",
        "-f", ssa.toString()).out()).contains("configmap/ssa serverside-applied");
    assertThat(kubectl.ok("-n", "logging", "get", "cm", "ssa", "-o",
        "jsonpath={.metadata.managedFields[0].manager}").out())
        .isEqualTo("kubectl");
    assertThat(kubectl.ok("apply", "--dry-run=server", "-f", manifest("dry.yaml", """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: dry, namespace: logging}
        """).toString()).out()).contains("(server dry run)");
    kubectl.fails("-n", "logging", "get", "cm", "dry");
    // field validation and Status errors with the field at fault
    Kubectl.Result unknown = kubectl.fails("apply", "-f", manifest("unknown.yaml", """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: bad, namespace: logging}
        dataa: {x: "1"}
        """).toString());
    assertThat(unknown.err()).contains("unknown field \"dataa\"");
    Kubectl.Result badKey = kubectl.fails("apply", "-f", manifest("badkey.yaml", """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: badkey, namespace: logging}
        data: {"no/slash": "1"}
        """).toString());
    assertThat(badKey.err()).contains("data[no/slash]").contains("a valid config key");
    // immutable
    kubectl.ok("apply", "-f", manifest("frozen.yaml", """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: frozen, namespace: logging}
        immutable: true
        data: {x: "1"}
        """).toString());
    Kubectl.Result frozen = kubectl.fails("-n", "logging", "patch", "cm", "frozen", "--type=merge", "-p",
        "{\"data\":{\"x\":\"2\"}}");
    assertThat(frozen.err()).contains("field is immutable when `immutable` is set");
  }

  @Test
  @Order(4)
  void watchSeesConfigMapChanges() {
    String rv = kubectl.ok("-n", "logging", "get", "cm", "app", "-o", "jsonpath={.metadata.resourceVersion}").out();
    kubectl.ok("-n", "logging", "patch", "cm", "app", "--type=merge", "-p", "{\"data\":{\"e\":\"6\"}}");
    io.daemonset.testing.Response watched = cluster.get("/api/v1/namespaces/logging/configmaps?watch=true&resourceVersion="
        + rv + "&timeoutSeconds=2&fieldSelector=metadata.name%3Dapp");
    assertThat(watched.body().lines().map(l -> Json.read(l, JsonNode.class))
        .map(e -> e.path("type").asText() + " " + e.path("object").path("data").path("e").asText()))
        .containsExactly("MODIFIED 6");
  }

  @Test
  @Order(5)
  void creatingInAMissingNamespaceIsNotFound() {
    Kubectl.Result missing = kubectl.fails("-n", "nowhere", "create", "configmap", "x", "--from-literal=a=b");
    assertThat(missing.err()).contains("namespaces \"nowhere\" not found");
  }

  @Test
  @Order(6)
  void viewersMayNotReadSecrets() {
    Kubectl.Result secret = kubectl.fails("--token", cluster.viewerToken(), "-n", "logging", "get", "secret", "api");
    assertThat(secret.err()).contains("Forbidden").contains("cannot get resource \"secrets\"");
    assertThat(kubectl.fails("--token", cluster.viewerToken(), "-n", "logging", "get",
        "secrets").err()).contains("Forbidden");
    assertThat(kubectl.ok("--token", cluster.viewerToken(), "-n", "logging", "get", "cm").out()).contains("fluent");
  }

  @Test
  @Order(7)
  void secretValueIsNowhereInTheDatabaseFilesNorTheAudit() throws Exception {
    List<String> forms = List.of(SECRET_VALUE, Base64.getEncoder().encodeToString(
        SECRET_VALUE.getBytes(StandardCharsets.UTF_8)));
    cluster.plane().system().log().info("journal files checked for the secret");
    try (Stream<Path> files = Files.walk(tmp.resolve("plane"))) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        for (String form : forms) {
          assertThat(content).as(file + " holds the secret as " + form).doesNotContain(form);
        }
      }
    }
    java.util.List<io.daemonset.audit.AuditRecord> records = new java.util.ArrayList<>();
    new io.daemonset.audit.AuditReader(io.daemonset.cluster.JournalDatabases.of(cluster.plane().member().config()),
        io.daemonset.audit.EventCodec.of(cluster.plane().system())).replay(null, records::add);
    String audit = records.stream().map(r -> r.entity() + " " + r.event() + " " + r.changes())
        .collect(java.util.stream.Collectors.joining("\n"));
    assertThat(audit).contains("Object secrets/logging/api").contains("ObjectWritten");
    forms.forEach(form -> assertThat(audit).doesNotContain(form));
  }

  @Test
  @Order(8)
  void deletingANamespaceRemovesEverythingInIt() throws Exception {
    Kubectl.Result deleted = kubectl.ok("delete", "namespace", "logging");
    assertThat(deleted.out()).contains("namespace \"logging\" deleted");
    await().atMost(WAIT).until(() -> kubectl.run("get", "ns", "logging").err().contains("not found"));
    Kubectl.Result terminating = kubectl.fails("-n", "logging", "create", "configmap", "late");
    assertThat(terminating.err()).containsAnyOf("not found", "being terminated");
    for (String kind : List.of("ds", "pods", "cm", "secrets", "sa", "controllerrevisions", "events")) {
      assertThat(kubectl.ok("-n", "logging", "get", kind, "-o", "name").out()).as(kind).isBlank();
    }
    // a namespace of the same name can be made again, empty
    kubectl.ok("create", "namespace", "logging");
    assertThat(kubectl.ok("-n", "logging", "get", "cm", "-o", "name").out()).isBlank();
  }
}
