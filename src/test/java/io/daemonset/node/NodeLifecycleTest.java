package io.daemonset.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.model.Container;
import io.daemonset.model.Node;
import io.daemonset.model.NodeCondition;
import io.daemonset.model.NodeSpec;
import io.daemonset.model.NodeStatus;
import io.daemonset.model.ObjectMeta;
import io.daemonset.model.Pod;
import io.daemonset.model.PodCondition;
import io.daemonset.model.PodSpec;
import io.daemonset.model.PodStatus;
import io.daemonset.model.Taint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * {@link NodeLifecycle} as a table, after upstream's node lifecycle controller tests (TestTaintsNodeByCondition,
 * TestApplyNoExecuteTaints, TestMarkPodsNotReady in pkg/controller/nodelifecycle and pkg/controller/util/node): a
 * node's conditions in, the lifecycle taints out ("key:effect").
 */
class NodeLifecycleTest {
  static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
  static final Instant T1 = T0.plusSeconds(60);

  static NodeCondition condition(String type, String status) {
    return new NodeCondition(type, status, T0, T0, null, null);
  }

  static Node node(List<Taint> taints, NodeCondition... conditions) {
    return new Node("v1", Node.KIND, ObjectMeta.named(null, "n1"), new NodeSpec(null, null, null, taints),
        new NodeStatus(null, null, List.of(conditions), null, null));
  }

  static List<String> taints(Node node) {
    return node.spec().taintsOrEmpty().stream().map(t -> t.key() + ":" + t.effect()).toList();
  }

  static Stream<Arguments> conditionsToTaints() {
    String notReady = NodeLifecycle.NOT_READY;
    String unreachable = NodeLifecycle.UNREACHABLE;
    return Stream.of(
        Arguments.of("ready", List.of(condition("Ready", "True")), List.of()),
        Arguments.of("not ready", List.of(condition("Ready", "False")),
            List.of(notReady + ":NoSchedule", notReady + ":NoExecute")),
        Arguments.of("unknown", List.of(condition("Ready", "Unknown")),
            List.of(unreachable + ":NoSchedule", unreachable + ":NoExecute")),
        Arguments.of("network unavailable", List.of(condition("Ready", "True"),
            condition("NetworkUnavailable", "True")), List.of(NodeLifecycle.NETWORK_UNAVAILABLE + ":NoSchedule")),
        Arguments.of("network available", List.of(condition("Ready", "True"),
            condition("NetworkUnavailable", "False")), List.of()),
        Arguments.of("pressure", List.of(condition("Ready", "True"), condition("MemoryPressure", "True"),
            condition("DiskPressure", "True"), condition("PIDPressure", "True")),
            List.of(NodeLifecycle.MEMORY_PRESSURE + ":NoSchedule", NodeLifecycle.DISK_PRESSURE + ":NoSchedule",
                NodeLifecycle.PID_PRESSURE + ":NoSchedule")),
        Arguments.of("not ready and network unavailable", List.of(condition("NetworkUnavailable", "True"),
            condition("Ready", "False")), List.of(NodeLifecycle.NETWORK_UNAVAILABLE + ":NoSchedule",
            notReady + ":NoSchedule", notReady + ":NoExecute")),
        Arguments.of("no conditions (no agent)", List.of(), List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void conditionsToTaints(String name, List<NodeCondition> conditions, List<String> expected) {
    Node out = NodeLifecycle.withConditionTaints(node(null, conditions.toArray(NodeCondition[]::new)), T1);
    assertThat(out.spec().taintsOrEmpty()).allSatisfy(t -> assertThat(t.timeAdded()).isEqualTo(T1));
    assertThat(taints(out)).containsExactlyElementsOf(expected);
  }

  @Test
  void recoveryLiftsTheTaintsAndOtherTaintsKeepTheirPlace() {
    Taint user = Taint.of("dedicated", "infra", Taint.NO_SCHEDULE);
    Node notReady = NodeLifecycle.withConditionTaints(node(List.of(user), condition("Ready", "False")), T0);
    assertThat(taints(notReady)).containsExactly("dedicated:NoSchedule", NodeLifecycle.NOT_READY + ":NoSchedule",
        NodeLifecycle.NOT_READY + ":NoExecute");

    Node recovered = NodeLifecycle.withConditionTaints(
        notReady.withStatus(new NodeStatus(null, null, List.of(condition("Ready", "True")), null, null)), T1);
    assertThat(recovered.spec().taintsOrEmpty()).containsExactly(user);

    Node unknown = NodeLifecycle.withConditionTaints(
        notReady.withStatus(new NodeStatus(null, null, List.of(condition("Ready", "Unknown")), null, null)), T1);
    assertThat(taints(unknown)).as("not-ready gives way to unreachable").containsExactly("dedicated:NoSchedule",
        NodeLifecycle.UNREACHABLE + ":NoSchedule", NodeLifecycle.UNREACHABLE + ":NoExecute");
  }

  @Test
  void aTaintThatStaysKeepsItsTimeAddedSoAnUnchangedReportChangesNothing() {
    Node once = NodeLifecycle.withConditionTaints(node(null, condition("Ready", "False")), T0);
    Node twice = NodeLifecycle.withConditionTaints(once, T1);
    assertThat(twice).isSameAs(once);
    assertThat(twice.spec().taintsOrEmpty()).allSatisfy(t -> assertThat(t.timeAdded()).isEqualTo(T0));
  }

  @Test
  void unreachableAndRenewedRoundTrip() {
    Node ready = node(null, condition("Ready", "True"));
    Node silent = NodeLifecycle.unreachable(ready, T1);
    assertThat(silent.status().conditions().get(0).status()).isEqualTo("Unknown");
    assertThat(NodeLifecycle.isUnreachable(silent)).isTrue();
    Node back = NodeLifecycle.renewed(silent, T1);
    assertThat(back.status().conditions().get(0).status()).isEqualTo("True");
    assertThat(back.spec().taintsOrEmpty()).isEmpty();
  }

  static Pod pod(String name, String node, String ready) {
    List<PodCondition> conditions = new ArrayList<>();
    conditions.add(new PodCondition("PodScheduled", "True", null, T0, null, null));
    if (ready != null) {
      conditions.add(new PodCondition("Ready", ready, null, T0, "r", "m"));
    }
    return new Pod("v1", Pod.KIND, ObjectMeta.named("default", name),
        PodSpec.of(List.of(Container.of("c", "busybox"))).withNodeName(node),
        new PodStatus("Running", conditions, null, null, null, null, null, null));
  }

  /** Upstream TestMarkPodsNotReady: Ready pods of the node turn False; others, and other nodes' pods, stay. */
  @Test
  void markPodsNotReady() {
    Map<String, Pod> pods = Map.of(
        "default/ready", pod("ready", "n1", "True"),
        "default/already", pod("already", "n1", "False"),
        "default/no-condition", pod("no-condition", "n1", null),
        "default/elsewhere", pod("elsewhere", "n2", "True"));

    Map<String, PodStatus> changed = NodeLifecycle.podsNotReady(pods, "n1", T1);

    assertThat(changed).containsOnlyKeys("default/ready");
    List<PodCondition> conditions = changed.get("default/ready").conditions();
    assertThat(conditions.get(0)).as("other conditions unchanged").isEqualTo(pods.get("default/ready").status()
        .conditions().get(0));
    assertThat(conditions.get(1)).isEqualTo(new PodCondition("Ready", "False", null, T1, "r", "m"));
  }
}
