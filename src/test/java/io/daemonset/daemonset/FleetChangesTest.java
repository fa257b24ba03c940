package io.daemonset.daemonset;

import static io.daemonset.daemonset.ReconcileWorld.NODE_LABEL;
import static io.daemonset.daemonset.ReconcileWorld.admitAll;
import static io.daemonset.daemonset.ReconcileWorld.deleted;
import static io.daemonset.daemonset.ReconcileWorld.node;
import static io.daemonset.daemonset.ReconcileWorld.scheduled;
import static io.daemonset.daemonset.ReconcileWorld.withPodSpec;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.model.Container;
import io.daemonset.model.DaemonSetSpec;
import io.daemonset.model.Node;
import io.daemonset.model.NodeCondition;
import io.daemonset.model.NodeStatus;
import io.daemonset.model.Quantity;
import io.daemonset.model.ResourceRequirements;
import io.daemonset.model.Taint;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Upstream's TestUpdateNode (daemon_controller_test.go, v1.32) as a table against {@link FleetChanges}: which node
 * changes reach a DaemonSet (upstream: is it enqueued), and what its reconcile then decides.
 *
 * <p>Deliberate difference, case "Node Allocatable changed": upstream does not enqueue (the node's shouldRun did not
 * change and the pod exists); here every change of a Node counts (the reconcile is level-triggered over the whole
 * fleet), and the reconcile that follows decides nothing, so the outcome is the same. Capacity is the node's own
 * decision here (NodeEntity binds a Pending pod once it fits), not the DaemonSet's.
 */
class FleetChangesTest {

  record Case(String test, Node oldNode, Node newNode, UnaryOperator<DaemonSetSpec> ds, int expectedCreates,
              boolean changed, List<String> described, int createsAfter) {
    @Override
    public String toString() {
      return test;
    }
  }

  static final Taint NO_SCHEDULE = new Taint("dedicated", "user1", "NoSchedule", null);

  static Node ready(Node node, Map<String, Quantity> allocatable) {
    return node.withStatus(new NodeStatus(null, allocatable,
        List.of(new NodeCondition("Ready", "True", null, null, null, null)), null, null));
  }

  static DaemonSetSpec requesting(DaemonSetSpec spec, String memory, String cpu) {
    return withPodSpec(spec, p -> p.withContainers(List.of(Container.of("foo", "foo/bar").withResources(
        new ResourceRequirements(null, Map.of("memory", Quantity.parse(memory), "cpu", Quantity.parse(cpu)))))));
  }

  static Stream<Case> cases() {
    Map<String, Quantity> pods = Map.of("pods", Quantity.parse("100"));
    return Stream.of(
        new Case("Nothing changed, should not enqueue", ready(node("node1", null), pods),
            ready(node("node1", null), pods), s -> withPodSpec(s, p -> p.withNodeSelector(NODE_LABEL)), 0,
            false, List.of(), 0),
        new Case("Node labels changed", ready(node("node1", null), pods), ready(node("node1", NODE_LABEL), pods),
            s -> withPodSpec(s, p -> p.withNodeSelector(NODE_LABEL)), 0,
            true, List.of("node node1: label color=blue added", "node node1: label speed=fast added"), 1),
        new Case("Node taints changed", ready(node("node1", null, NO_SCHEDULE), pods),
            ready(node("node1", null), pods), UnaryOperator.identity(), 0,
            true, List.of("node node1: taint dedicated=user1:NoSchedule removed"), 1),
        new Case("Node Allocatable changed", ready(node("node1", null), pods),
            ready(node("node1", null), Map.of("pods", Quantity.parse("100"), "memory", Quantity.parse("200M"),
                "cpu", Quantity.parse("200m"))), s -> requesting(s, "200M", "200m"), 1,
            true, List.of(), 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void updateNode(Case c) {
    ReconcileWorld w = new ReconcileWorld(c.ds()).withNodes(c.oldNode());
    ReconcileOutput first = w.round();
    assertThat(scheduled(first)).hasSize(c.expectedCreates());
    w.round(admitAll(first));
    w.round(w.allRunningReady());

    Map<String, Node> before = Map.of("node1", c.oldNode());
    Map<String, Node> after = Map.of("node1", c.newNode());
    assertThat(FleetChanges.namesChanged(before, after)).isEqualTo(c.changed() ? Set.of("node1") : Set.of());
    // the directory names node1 as a candidate whenever its entry was rewritten; the comparison still decides
    assertThat(FleetChanges.namesChanged(before, after, Set.of("node1")))
        .isEqualTo(c.changed() ? Set.of("node1") : Set.of());
    assertThat(FleetChanges.describe(before, after)).isEqualTo(c.described());

    ReconcileOutput next = w.withNodes(c.newNode()).round();
    assertThat(scheduled(next)).hasSize(c.createsAfter());
    assertThat(deleted(next)).isEmpty();
  }

  @org.junit.jupiter.api.Test
  void onlyTheCandidatesTheDirectoryNamesAreCompared() {
    Node a = node("a", Map.of());
    Node b = node("b", Map.of());
    Map<String, Node> before = Map.of("a", a, "b", b);
    Map<String, Node> after = Map.of("a", a, "b", node("b", Map.of("ssd", "true")), "c", node("c", Map.of()));

    assertThat(FleetChanges.namesChanged(before, after, Set.of("b", "c"))).containsExactly("b", "c");
    assertThat(FleetChanges.namesChanged(before, after, Set.of("c"))).containsExactly("c");
    assertThat(FleetChanges.namesChanged(before, Map.of("b", b), Set.of("a"))).containsExactly("a");
    assertThat(FleetChanges.namesChanged(before, after, null)).containsExactly("b", "c");
  }
}
