package io.daemonset.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A DaemonSet with every field set survives JSON and YAML and strict decoding unchanged. */
class JsonRoundTripTest {
  static final Instant T = Instant.parse("2026-01-02T03:04:05Z");

  static DaemonSet full() {
    JsonNode free = Json.tree(Map.of("runAsUser", 1000));
    ObjectMeta meta = new ObjectMeta("agent", "agent-", "ops", "uid-1", 3L, "42", T, T, 30L,
        Map.of("app", "agent"), Map.of("kubernetes.io/change-cause", "v2"),
        List.of(OwnerReference.controlledBy("v1", "Node", "n1", "uid-n")), List.of("orphan"), List.of(free));
    Probe probe = new Probe(null, new HttpGetAction("/healthz", IntOrString.of("metrics"), "localhost", "HTTP",
        List.of(new HttpHeader("X-A", "b"))), null, 1, 10, 1, 1, 3, null);
    Probe tcp = new Probe(null, null, new TcpSocketAction(IntOrString.of(9100), null), 0, 5, 2, 1, 4, 15L);
    Container c = new Container("agent", "example.com/agent:1.0", List.of("/agent"), List.of("--v=2"), "/", List.of(
        EnvVar.of("A", "b"), new EnvVar("N", null, Json.tree(Map.of("fieldRef", Map.of("fieldPath", "spec.nodeName"))))),
        null, List.of(new ContainerPort("metrics", 9100, 9100, "0.0.0.0", "TCP")),
        new ResourceRequirements(Map.of("cpu", Quantity.parse("200m")), Map.of("memory", Quantity.parse("1.5Gi"))),
        probe, tcp, Probe.exec(List.of("true")), List.of(new VolumeMount("logs", "/var/log", true, "sub", "None")),
        "IfNotPresent", free, null, "/dev/termination-log", "File", false, false);
    PodSpec pod = PodSpec.of(List.of(c)).withNodeSelector(Map.of("disk", "ssd"))
        .withAffinity(new Affinity(new NodeAffinity(new NodeSelector(List.of(new NodeSelectorTerm(
            List.of(new NodeSelectorRequirement("kubernetes.io/os", "In", List.of("linux"))),
            List.of(new NodeSelectorRequirement("metadata.name", "NotIn", List.of("n2")))))), null), null, null))
        .withHostNetwork(true).withRestartPolicy("Always").withTerminationGracePeriodSeconds(30L)
        .withDnsPolicy("ClusterFirstWithHostNet").withSchedulerName("default-scheduler");
    pod = new PodSpec(pod.containers(), List.of(Container.of("init", "busybox:1")), List.of(Volume.hostPath("logs",
        "/var/log")), pod.nodeSelector(), pod.affinity(), List.of(Toleration.exists("node.kubernetes.io/not-ready",
        "NoExecute"), new Toleration("k", "Equal", "v", "NoSchedule", null)), null, true, false, false, 30L, null,
        "Always", "ClusterFirstWithHostNet", "agent", null, true, "default-scheduler", "system-node-critical", 2000,
        null, null, free, null, null, null, null, null, null, false, false, "PreemptLowerPriority", null);
    DaemonSetSpec spec = new DaemonSetSpec(new LabelSelector(Map.of("app", "agent"),
        List.of(new LabelSelectorRequirement("tier", "NotIn", List.of("db")))),
        new PodTemplateSpec(ObjectMeta.named(null, null).withLabels(Map.of("app", "agent")), pod),
        new DaemonSetUpdateStrategy("RollingUpdate", new RollingUpdateDaemonSet(IntOrString.of("10%"),
            IntOrString.of(0))), 5, 10, 2L);
    DaemonSetStatus status = new DaemonSetStatus(3, 1, 3, 2, 7L, 2, 2, 1, 0,
        List.of(new Condition("Progressing", "True", T, "Updated", "rolled out")));
    return new DaemonSet("apps/v1", "DaemonSet", meta, spec, status);
  }

  @Test
  void jsonRoundTripIsLossless() {
    DaemonSet ds = full();

    assertThat(Json.read(Json.write(ds), DaemonSet.class)).isEqualTo(ds);
  }

  @Test
  void yamlAndStrictDecodingRoundTripWithoutProblems() {
    DaemonSet ds = full();

    Decoded<DaemonSet> decoded = Manifests.read(Json.writeYaml(ds), DaemonSet.class, FieldValidation.STRICT);

    assertThat(decoded.problems()).isEmpty();
    assertThat(decoded.value()).isEqualTo(ds);
  }

  @Test
  void timesAreRfc3339WithSecondPrecision() {
    DaemonSet ds = full().withMetadata(full().metadata().withCreationTimestamp(T.plusMillis(789)));

    String json = Json.write(ds);

    assertThat(json).contains("\"creationTimestamp\":\"2026-01-02T03:04:05Z\"")
        .contains("\"lastTransitionTime\":\"2026-01-02T03:04:05Z\"");
  }

  @Test
  void helperMethodsAreNotWrittenAsFields() {
    String json = Json.write(full());

    assertThat(json).doesNotContain("\"empty\"").doesNotContain("\"rollingUpdate\":true")
        .doesNotContain("\"unschedulable\"").contains("\"controller\":true");
  }
}
