package io.daemonset.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.model.Container;
import io.daemonset.model.ContainerState;
import io.daemonset.model.ContainerStatus;
import io.daemonset.model.DaemonSet;
import io.daemonset.model.DaemonSetSpec;
import io.daemonset.model.DaemonSetUpdateStrategy;
import io.daemonset.model.IntOrString;
import io.daemonset.model.LabelSelector;
import io.daemonset.model.Node;
import io.daemonset.model.NodeCondition;
import io.daemonset.model.NodeSpec;
import io.daemonset.model.NodeStatus;
import io.daemonset.model.ObjectMeta;
import io.daemonset.model.Pod;
import io.daemonset.model.PodCondition;
import io.daemonset.model.PodSpec;
import io.daemonset.model.PodStatus;
import io.daemonset.model.PodTemplateSpec;
import io.daemonset.model.RollingUpdateDaemonSet;
import io.daemonset.model.Taint;
import io.daemonset.rollout.Revisions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The fleet map's cell for each kind of node and pod: a table, as upstream tests NodeShouldRunDaemonPod. */
class FleetCellsTest {
  static final Instant T = Instant.parse("2026-12-01T10:00:00Z");
  static final DaemonSet DS = daemonSet(Map.of("disk", "ssd"));
  static final String CURRENT = FleetCells.currentHash(DS);
  static final String OLD = "0ld0ld0ld";

  static Stream<Arguments> cases() {
    Node ssd = node(Map.of("disk", "ssd"), "True", List.of());
    return Stream.of(
        Arguments.of("no pod, eligible node", ssd, null, CellState.MISSING),
        Arguments.of("no pod, label missing", node(Map.of(), "True", List.of()), null, CellState.NOT_ELIGIBLE),
        Arguments.of("no pod, untolerated NoSchedule taint",
            node(Map.of("disk", "ssd"), "True", List.of(Taint.of("dedicated", "db", Taint.NO_SCHEDULE))), null,
            CellState.NOT_ELIGIBLE),
        Arguments.of("current revision, ready", ssd, pod(CURRENT, true, 0, null, false), CellState.UPDATED),
        Arguments.of("old revision, ready", ssd, pod(OLD, true, 0, null, false), CellState.OLD),
        Arguments.of("current revision, not ready yet", ssd, pod(CURRENT, false, 0, null, false), CellState.STARTING),
        Arguments.of("old revision, not ready", ssd, pod(OLD, false, 0, null, false), CellState.UNAVAILABLE),
        Arguments.of("being deleted", ssd, pod(CURRENT, true, 0, null, true), CellState.UNAVAILABLE),
        Arguments.of("ready pod on a node whose Ready is Unknown", node(Map.of("disk", "ssd"), "Unknown", List.of()),
            pod(CURRENT, true, 0, null, false), CellState.UNAVAILABLE),
        Arguments.of("CrashLoopBackOff", ssd, pod(CURRENT, false, 1, "CrashLoopBackOff", false), CellState.CRASH_LOOP),
        Arguments.of("restarted 3 times, not ready", ssd, pod(CURRENT, false, 3, null, false), CellState.CRASH_LOOP),
        Arguments.of("restarted 3 times, ready again", ssd, pod(CURRENT, true, 3, null, false), CellState.UPDATED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void cellState(String name, Node node, Pod pod, CellState expected) {
    assertThat(FleetCells.state(node, DS, CURRENT, pod)).isEqualTo(expected);
  }

  static Node node(Map<String, String> labels, String ready, List<Taint> taints) {
    return new Node("v1", "Node", ObjectMeta.named(null, "n1").withLabels(labels), new NodeSpec(null, null, null, taints),
        new NodeStatus(null, null, List.of(new NodeCondition("Ready", ready, T, T, "r", "m")), null, null));
  }

  static Pod pod(String hash, boolean ready, int restarts, String waiting, boolean deleting) {
    ObjectMeta meta = ObjectMeta.named("default", "p").withLabels(Map.of(Revisions.HASH_LABEL, hash));
    if (deleting) {
      meta = meta.withDeletionTimestamp(T);
    }
    ContainerState state = new ContainerState(waiting == null ? null : new ContainerState.Waiting(waiting, ""),
        waiting == null ? new ContainerState.Running(T) : null, null);
    ContainerStatus status = new ContainerStatus("c", state, null, ready, restarts, "img", "", "", true);
    return new Pod("v1", "Pod", meta, PodSpec.of(List.of(Container.of("c", "img"))).withNodeName("n1"),
        new PodStatus("Running", List.of(new PodCondition("Ready", ready ? "True" : "False", null, T, null, null)),
            null, null, null, null, T, List.of(status)));
  }

  static DaemonSet daemonSet(Map<String, String> nodeSelector) {
    Map<String, String> labels = Map.of("app", "agent");
    PodSpec spec = PodSpec.of(List.of(Container.of("c", "agent:1"))).withNodeSelector(nodeSelector);
    return new DaemonSet("apps/v1", "DaemonSet", ObjectMeta.named("default", "agent").withUid("u1"),
        new DaemonSetSpec(LabelSelector.ofLabels(labels), new PodTemplateSpec(ObjectMeta.named(null, null)
            .withLabels(labels), spec), new DaemonSetUpdateStrategy(DaemonSetUpdateStrategy.ROLLING_UPDATE,
            new RollingUpdateDaemonSet(IntOrString.of(1), IntOrString.of(0))), 0, 10, null), null);
  }
}
