package io.daemonset.placement;

import static io.daemonset.placement.Fixtures.NODE_LABEL;
import static io.daemonset.placement.Fixtures.NODE_LABEL_2;
import static io.daemonset.placement.Fixtures.ds;
import static io.daemonset.placement.Fixtures.expressions;
import static io.daemonset.placement.Fixtures.fields;
import static io.daemonset.placement.Fixtures.node;
import static io.daemonset.placement.Fixtures.req;
import static io.daemonset.placement.Fixtures.spec;
import static io.daemonset.placement.Fixtures.toleration;
import static io.daemonset.placement.Fixtures.unschedulable;
import static io.daemonset.placement.Fixtures.withAffinity;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.model.DaemonSet;
import io.daemonset.model.Node;
import io.daemonset.model.Taint;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Upstream daemon_controller_test.go's sync-level placement tests, turned into one row per (node, DaemonSet): a test
 * that expects N creates over a set of nodes becomes a row per kind of node with shouldRun true or false. Plus the
 * automatic-toleration rules of daemonset-semantics.md that upstream only covers through whole syncs.
 */
class DaemonPlacementTest {

  record Case(String name, Node node, DaemonSet ds, boolean shouldRun, boolean shouldContinueRunning, String reason) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final Taint NO_SCHEDULE = Taint.of("dedicated", "user1", Taint.NO_SCHEDULE);
  static final Taint NO_EXECUTE = Taint.of("dedicated", "user1", Taint.NO_EXECUTE);
  static final Taint NOT_READY = Taint.of("node.kubernetes.io/not-ready", null, Taint.NO_EXECUTE);
  static final Taint UNREACHABLE = Taint.of("node.kubernetes.io/unreachable", null, Taint.NO_EXECUTE);
  static final Taint NETWORK_UNAVAILABLE = Taint.of("node.kubernetes.io/network-unavailable", null, Taint.NO_SCHEDULE);

  /** Upstream noScheduleTolerations: {Key: dedicated, Value: user1, Effect: NoSchedule} (operator empty = Equal). */
  static DaemonSet tolerating() {
    return ds(spec().withTolerations(List.of(toleration("dedicated", null, "user1", Taint.NO_SCHEDULE))));
  }

  static DaemonSet plain() {
    return ds(spec());
  }

  static Stream<Case> selectorsAndNames() {
    DaemonSet selecting = ds(spec().withNodeSelector(NODE_LABEL));
    DaemonSet nameAndSelector = ds(spec().withNodeSelector(NODE_LABEL).withNodeName("node-6"));
    DaemonSet inconsistent = ds(spec().withNodeSelector(NODE_LABEL).withNodeName("node-0"));
    DaemonSet affinity = ds(withAffinity(spec(), expressions(req("color", "In", "blue"))));
    String noBlue = "node selector color=blue,speed=fast does not match";
    return Stream.of(
        new Case("TestSimpleDaemonSetLaunchesPods/node without labels", node("node-0", null), plain(), true, true, ""),
        new Case("TestOneNodeDaemonLaunchesPod/only-node", node("only-node", null), plain(), true, true, ""),
        new Case("TestSelectorDaemonLaunchesPods/unlabelled node", node("node-0", null), selecting, false, false, noBlue),
        new Case("TestSelectorDaemonLaunchesPods/labelled node", node("node-4", NODE_LABEL), selecting, true, true, ""),
        new Case("TestBadSelectorDaemonDoesNothing/labelled node", node("node-4", NODE_LABEL),
            ds(spec().withNodeSelector(NODE_LABEL_2)), false, false, "node selector color=red does not match"),
        new Case("TestNameDaemonSetLaunchesPods/named node", node("node-0", null),
            ds(spec().withNodeName("node-0")), true, true, ""),
        new Case("TestNameDaemonSetLaunchesPods/other node", node("node-1", null),
            ds(spec().withNodeName("node-0")), false, false, "template nodeName node-0 is another node"),
        new Case("TestBadNameDaemonSetDoesNothing/node-0", node("node-0", null),
            ds(spec().withNodeName("node-10")), false, false, "template nodeName node-10 is another node"),
        new Case("TestNameAndSelectorDaemonSetLaunchesPods/node-6", node("node-6", NODE_LABEL), nameAndSelector,
            true, true, ""),
        new Case("TestNameAndSelectorDaemonSetLaunchesPods/node-4", node("node-4", NODE_LABEL), nameAndSelector,
            false, false, "template nodeName node-6 is another node"),
        new Case("TestInconsistentNameSelectorDaemonSetDoesNothing/named but unlabelled node-0", node("node-0", null),
            inconsistent, false, false, noBlue),
        new Case("TestInconsistentNameSelectorDaemonSetDoesNothing/labelled node-4", node("node-4", NODE_LABEL),
            inconsistent, false, false, "template nodeName node-0 is another node"),
        new Case("TestNodeAffinityDaemonLaunchesPods/unlabelled node", node("node-0", null), affinity, false, false,
            "node affinity does not match"),
        new Case("TestNodeAffinityDaemonLaunchesPods/labelled node", node("node-4", NODE_LABEL), affinity, true, true,
            ""),
        new Case("TestInsufficientCapacityNodeSufficientCapacityWithNodeLabelDaemonLaunchPod/not-enough-resource",
            node("not-enough-resource", null), selecting, false, false, noBlue),
        new Case("TestInsufficientCapacityNodeSufficientCapacityWithNodeLabelDaemonLaunchPod/enough-resource",
            node("enough-resource", NODE_LABEL), selecting, true, true, ""),
        new Case("TestPodIsNotDeletedByDaemonsetWithEmptyLabelSelector/node selector foo=bar", node("node1", null),
            ds(spec().withNodeSelector(Map.of("foo", "bar"))), false, false, "node selector foo=bar does not match"),
        new Case("TestUpdateNode/Node labels changed (old node)", node("node1", null), selecting, false, false, noBlue),
        new Case("TestUpdateNode/Node labels changed (new node)", node("node1", NODE_LABEL), selecting, true, true,
            ""),
        new Case("TestSimpleDaemonSetScheduleDaemonSetPodsLaunchesPods/matchFields metadata.name In [node-0], node-0",
            node("node-0", null), ds(withAffinity(spec(), fields(req("metadata.name", "In", "node-0")))),
            true, true, ""),
        new Case("TestSimpleDaemonSetScheduleDaemonSetPodsLaunchesPods/matchFields metadata.name In [node-0], node-1",
            node("node-1", null), ds(withAffinity(spec(), fields(req("metadata.name", "In", "node-0")))),
            false, false, "node affinity does not match"),
        new Case("nodeaffinity Gt: kernel-version Gt 0204 on 0206", node("n", Map.of("kernel-version", "0206")),
            ds(withAffinity(spec(), expressions(req("kernel-version", "Gt", "0204")))), true, true, ""),
        new Case("nodeaffinity Lt: cores Lt 8 on 16", node("n", Map.of("cores", "16")),
            ds(withAffinity(spec(), expressions(req("cores", "Lt", "8")))), false, false,
            "node affinity does not match"));
  }

  static Stream<Case> taintsAndTolerations() {
    return Stream.of(
        new Case("TestNoScheduleTaintedDoesntEvicitRunningIntolerantPod", node("tainted", null, NO_SCHEDULE), plain(),
            false, true, "untolerated taint dedicated=user1:NoSchedule"),
        new Case("TestNoExecuteTaintedDoesEvicitRunningIntolerantPod", node("tainted", null, NO_EXECUTE), plain(),
            false, false, "untolerated taint dedicated=user1:NoExecute"),
        new Case("TestTaintedNodeDaemonDoesNotLaunchIntolerantPod", node("tainted", null, NO_SCHEDULE), plain(),
            false, true, "untolerated taint dedicated=user1:NoSchedule"),
        new Case("TestTaintedNodeDaemonLaunchesToleratePod", node("tainted", null, NO_SCHEDULE), tolerating(),
            true, true, ""),
        new Case("TestNodeDaemonLaunchesToleratePod (untainted node)", node("untainted", null), tolerating(),
            true, true, ""),
        new Case("TestNotReadyNodeDaemonLaunchesPod (not-ready:NoExecute)", node("tainted", null, NOT_READY), plain(),
            true, true, ""),
        new Case("TestUnreachableNodeDaemonLaunchesPod (unreachable:NoExecute)", node("tainted", null, UNREACHABLE),
            plain(), true, true, ""),
        new Case("TestTaintPressureNodeDaemonLaunchesPod (disk, memory, pid pressure)", node("resources-pressure", null,
            Taint.of("node.kubernetes.io/disk-pressure", null, Taint.NO_SCHEDULE),
            Taint.of("node.kubernetes.io/memory-pressure", null, Taint.NO_SCHEDULE),
            Taint.of("node.kubernetes.io/pid-pressure", null, Taint.NO_SCHEDULE)), plain(), true, true, ""),
        new Case("TestUpdateNode/Node taints changed (old node)", node("node1", null, NO_SCHEDULE), plain(),
            false, true, "untolerated taint dedicated=user1:NoSchedule"),
        new Case("TestUpdateNode/Node taints changed (new node)", node("node1", null), plain(), true, true, ""),
        new Case("semantics: cordoned node (unschedulable + its taint) still runs daemon pods",
            unschedulable(node("n", null, Taint.of("node.kubernetes.io/unschedulable", null, Taint.NO_SCHEDULE))),
            plain(), true, true, ""),
        new Case("semantics: network-unavailable:NoSchedule not tolerated without hostNetwork",
            node("n", null, NETWORK_UNAVAILABLE), plain(), false, true,
            "untolerated taint node.kubernetes.io/network-unavailable:NoSchedule"),
        new Case("semantics: network-unavailable:NoSchedule tolerated with hostNetwork",
            node("n", null, NETWORK_UNAVAILABLE), ds(spec().withHostNetwork(true)), true, true, ""),
        new Case("semantics: PreferNoSchedule is ignored", node("n", null,
            Taint.of("dedicated", "user1", Taint.PREFER_NO_SCHEDULE)), plain(), true, true, ""),
        new Case("semantics: Exists with empty key and effect tolerates every taint",
            node("n", null, NO_SCHEDULE, NO_EXECUTE),
            ds(spec().withTolerations(List.of(toleration(null, "Exists", null, null)))), true, true, ""),
        new Case("semantics: empty effect tolerates NoExecute of that key",
            node("n", null, NO_EXECUTE),
            ds(spec().withTolerations(List.of(toleration("dedicated", "Equal", "user1", null)))), true, true, ""),
        new Case("semantics: NoSchedule toleration does not cover NoExecute", node("n", null, NO_SCHEDULE, NO_EXECUTE),
            tolerating(), false, false, "untolerated taint dedicated=user1:NoExecute"),
        new Case("semantics: all untolerated taints are named", node("n", null,
            Taint.of("a", null, Taint.NO_SCHEDULE), Taint.of("b", "c", Taint.NO_EXECUTE)), plain(), false, false,
            "untolerated taints a:NoSchedule, b=c:NoExecute"),
        new Case("semantics: nodeName is checked before node selector", node("n1", null),
            ds(spec().withNodeName("n2").withNodeSelector(Map.of("ssd", "true"))), false, false,
            "template nodeName n2 is another node"),
        new Case("semantics: node selector is checked before taints", node("n1", null, NO_EXECUTE),
            ds(spec().withNodeSelector(Map.of("ssd", "true"))), false, false, "node selector ssd=true does not match"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("selectorsAndNames")
  void nodeSelectorNodeNameAndAffinity(Case c) {
    check(c);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("taintsAndTolerations")
  void taintsAndTolerations(Case c) {
    check(c);
  }

  private static void check(Case c) {
    assertThat(NodeEligibility.evaluate(c.node(), c.ds()))
        .isEqualTo(new Eligibility(c.shouldRun(), c.shouldContinueRunning(), c.reason()));
  }
}
