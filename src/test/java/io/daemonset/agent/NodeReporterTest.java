package io.daemonset.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.model.Node;
import io.daemonset.model.NodeCondition;
import io.daemonset.model.NodeSpec;
import io.daemonset.model.NodeStatus;
import io.daemonset.model.ObjectMeta;
import io.daemonset.model.Quantity;
import io.daemonset.model.Taint;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the agent says about its node, and how a re-registration treats what others added. */
class NodeReporterTest {
  private final NodeReporter reporter = new NodeReporter(null, new NodeReporter.NodeDescription("n1",
      Map.of("zone", "a"), Map.of(NodeReporter.ENDPOINT_ANNOTATION, "http://127.0.0.1:1234"),
      List.of(Taint.of("dedicated", "gpu", "NoSchedule")), Flags.capacity("cpu=4,memory=8Gi,pods=110"), "10.1.2.3",
      NodeReporter.systemInfo("process")), Clock.systemUTC());

  @Test
  void statusHasCapacityAddressesNodeInfoAndTheKubeletsConditions() {
    NodeStatus status = reporter.status();
    assertThat(status.capacity()).containsEntry("memory", Quantity.parse("8Gi"));
    assertThat(status.allocatable()).isEqualTo(status.capacity());
    assertThat(status.addresses()).extracting(a -> a.type() + "=" + a.address())
        .containsExactly("InternalIP=10.1.2.3", "Hostname=n1");
    assertThat(status.nodeInfo().kubeletVersion()).isEqualTo("v1.32.0");
    assertThat(status.nodeInfo().operatingSystem()).isEqualTo("linux");
    assertThat(status.nodeInfo().architecture()).isIn("amd64", "arm64");
    assertThat(status.nodeInfo().kernelVersion()).isNotBlank();
    assertThat(status.nodeInfo().containerRuntimeVersion()).isEqualTo("process://0.1.0");
    NodeCondition ready = status.conditions().stream().filter(c -> c.type().equals("Ready")).findFirst().orElseThrow();
    assertThat(ready.status()).isEqualTo("True");
    assertThat(ready.reason()).isEqualTo("KubeletReady");
    assertThat(ready.lastHeartbeatTime()).isAfterOrEqualTo(ready.lastTransitionTime());
    assertThat(status.conditions()).extracting(NodeCondition::type)
        .containsExactly("MemoryPressure", "DiskPressure", "PIDPressure", "Ready");
  }

  @Test
  void reRegistrationAddsTheAgentsLabelsAndTaintsAndKeepsEveryoneElses() {
    Node existing = new Node("v1", "Node", ObjectMeta.named(null, "n1").withResourceVersion("42")
        .withLabels(Map.of("zone", "old", "team", "blue")).withAnnotations(Map.of("note", "x")),
        new NodeSpec(null, null, true, List.of(Taint.of("node.kubernetes.io/unreachable", null, "NoExecute"),
            Taint.of("dedicated", "other", "NoSchedule"))), null);
    Node merged = reporter.merge(existing);
    assertThat(merged.metadata().resourceVersion()).isEqualTo("42");
    assertThat(merged.metadata().labels()).containsEntry("zone", "a").containsEntry("team", "blue")
        .containsEntry("kubernetes.io/hostname", "n1").containsKey("kubernetes.io/arch");
    assertThat(merged.metadata().annotations()).containsEntry("note", "x")
        .containsEntry(NodeReporter.ENDPOINT_ANNOTATION, "http://127.0.0.1:1234");
    // a taint with the same key and effect is the user's to change: kept as they set it
    assertThat(merged.spec().taints()).containsExactly(Taint.of("node.kubernetes.io/unreachable", null, "NoExecute"),
        Taint.of("dedicated", "other", "NoSchedule"));
    assertThat(merged.spec().unschedulable()).isTrue();
  }
}
