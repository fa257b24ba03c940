package io.daemonset.daemonset;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.model.Node;
import io.daemonset.model.NodeCondition;
import io.daemonset.model.NodeStatus;
import io.daemonset.node.Fleet;
import io.daemonset.placement.Eligibility;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The node views a reconcile carries to the next are built again exactly where a binding, a node object or an
 * eligibility answer changed, and read the same as a full build.
 */
class NodeViewsTest {

  @Test
  void onlyTheNodesThatChangedAreBuiltAgainAndTheViewsReadAsAFullBuild() {
    ReconcileWorld world = new ReconcileWorld(s -> ReconcilerTest.nodeSelector(s, ReconcileWorld.NODE_LABEL))
        .withNodes(ReconcileWorld.nodes(0, 5, ReconcileWorld.NODE_LABEL)).converged();
    Eligibilities judged = Eligibilities.of(world.state.daemonSet(), world.fleet, Eligibilities.NONE);
    NodeViews first = NodeViews.NONE.withBindings(world.state, world.fleet).judged(judged.byNode(), world.fleet);
    assertThat(first.nodes()).isEqualTo(NodeViews.of(world.state, judged.byNode(), world.fleet));

    Map<String, Node> nodes = new TreeMap<>(world.fleet.nodes());
    nodes.put("node-1", notReady(nodes.get("node-1"))); // same labels: the same answer, another object
    nodes.put("node-5", ReconcileWorld.node("node-5", ReconcileWorld.NODE_LABEL)); // joins
    nodes.put("node-4", ReconcileWorld.node("node-4", Map.of())); // no longer eligible
    Fleet fleet = new Fleet(nodes, true);
    String onTwo = world.podOn("node-2").podName();
    DaemonSetState state = world.state.apply(new DaemonSetEntity.PodObserved(onTwo, "Running", null, false,
        ReconcileWorld.NODE));
    Map<String, Eligibility> answers = Eligibilities.of(state.daemonSet(), fleet, judged).byNode();

    NodeViews second = first.withBindings(state, fleet).judged(answers, fleet);

    assertThat(second.nodes()).isEqualTo(NodeViews.of(state, answers, fleet));
    assertThat(second.byNode().get("node-0")).as("nothing changed there: not built again")
        .isSameAs(first.byNode().get("node-0"));
    assertThat(second.byNode().get("node-3")).isSameAs(first.byNode().get("node-3"));
    assertThat(second.byNode().get("node-1").nodeReady()).isFalse();
    assertThat(second.byNode().get("node-2").pods().get(0).ready()).isFalse();
    assertThat(second.byNode().get("node-4").shouldContinueRunning()).isFalse();
    assertThat(second.byNode().get("node-5").pods()).isEmpty();
    assertThat(second.withBindings(state, fleet).judged(answers, fleet)).as("nothing new: the same views")
        .isSameAs(second);
  }

  @Test
  void aNodeWithPodsThatTheFleetDoesNotListLeavesTheFleetIncomplete() {
    ReconcileWorld world = new ReconcileWorld().withNodes(ReconcileWorld.nodes(0, 3, ReconcileWorld.NODE_LABEL))
        .converged();
    NodeViews all = NodeViews.NONE.withBindings(world.state, world.fleet);
    assertThat(all.bindingsAllListed()).isTrue();

    Map<String, Node> nodes = new TreeMap<>(world.fleet.nodes());
    nodes.remove("node-2");
    Fleet without = new Fleet(nodes, true);
    NodeViews gone = all.withBindings(world.state, without);
    assertThat(gone.bindingsAllListed()).isFalse();
    assertThat(gone.bindingsAllListed()).isEqualTo(Reconciler.fleetComplete(world.state, without));

    String onTwo = world.podOn("node-2").podName();
    DaemonSetState released = world.state.apply(new DaemonSetEntity.PodGone(onTwo, ReconcileWorld.NODE));
    assertThat(gone.withBindings(released, without).bindingsAllListed()).as("its last pod gone").isTrue();
    assertThat(gone.withBindings(world.state, world.fleet).bindingsAllListed()).as("listed again").isTrue();
  }

  private static Node notReady(Node node) {
    return new Node(node.apiVersion(), node.kind(), node.metadata(), node.spec(), new NodeStatus(Map.of(), null,
        List.of(new NodeCondition("Ready", "False", null, null, "KubeletNotReady", "down")), null, null));
  }
}
