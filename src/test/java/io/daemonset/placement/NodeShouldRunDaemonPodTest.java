package io.daemonset.placement;

import static io.daemonset.placement.Fixtures.DS_LABEL;
import static io.daemonset.placement.Fixtures.DS_LABEL_2;
import static io.daemonset.placement.Fixtures.ds;
import static io.daemonset.placement.Fixtures.expressions;
import static io.daemonset.placement.Fixtures.node;
import static io.daemonset.placement.Fixtures.req;
import static io.daemonset.placement.Fixtures.spec;
import static io.daemonset.placement.Fixtures.unschedulable;
import static io.daemonset.placement.Fixtures.withAffinity;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.model.Container;
import io.daemonset.model.ContainerPort;
import io.daemonset.model.DaemonSet;
import io.daemonset.model.Node;
import io.daemonset.model.PodSpec;
import io.daemonset.model.ResourceRequirements;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Upstream pkg/controller/daemon/daemon_controller_test.go, TestNodeShouldRunDaemonPod case by case. Upstream runs
 * every case under both update strategies and with "podsOnNode"; neither is an input of the decision (upstream
 * ignores both since scheduling moved to the default scheduler), so each case appears once, with what it sets.
 */
class NodeShouldRunDaemonPodTest {

  record Case(String name, Node node, DaemonSet ds, boolean shouldRun, boolean shouldContinueRunning, String reason) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** Upstream resourcePodSpec(nodeName, memory, cpu). */
  static PodSpec resourcePodSpec(String nodeName, String memory, String cpu) {
    Container c = Container.of("c", "foo/bar")
        .withResources(new ResourceRequirements(null, Fixtures.resources("memory=" + memory + ",cpu=" + cpu)));
    return PodSpec.of(List.of(c)).withNodeName(nodeName.isEmpty() ? null : nodeName);
  }

  static PodSpec hostPort666() {
    return PodSpec.of(List.of(Container.of("c", "foo/bar")
        .withPorts(List.of(new ContainerPort(null, 80, 666, null, "TCP")))));
  }

  // Upstream: newNode("test-node", simpleDaemonSetLabel) with allocatable 100M memory, 1 cpu.
  static final Node TEST_NODE = node("test-node", DS_LABEL);

  static Stream<Case> cases() {
    String t = "TestNodeShouldRunDaemonPod/";
    return Stream.of(
        new Case(t + "[0] ShouldRunDaemonPod", TEST_NODE, ds(resourcePodSpec("", "50M", "0.5")), true, true, ""),
        new Case(t + "[1] InsufficientResourceError (200M on a 100M node: not this decision's concern)", TEST_NODE,
            ds(resourcePodSpec("", "200M", "0.5")), true, true, ""),
        new Case(t + "[2] ErrPodNotMatchHostName", TEST_NODE, ds(resourcePodSpec("other-node", "50M", "0.5")),
            false, false, "template nodeName other-node is another node"),
        new Case(t + "[3] ErrPodNotFitsHostPorts (host port taken by a pod on the node)", TEST_NODE,
            ds(hostPort666()), true, true, ""),
        new Case(t + "[4] InsufficientResourceError (with a 50M pod on the node)", TEST_NODE,
            ds(resourcePodSpec("", "100M", "0.5")), true, true, ""),
        new Case(t + "[5] ShouldRunDaemonPod (with a 50M pod on the node)", TEST_NODE,
            ds(resourcePodSpec("", "50M", "0.5")), true, true, ""),
        new Case(t + "[6] ErrNodeSelectorNotMatch", TEST_NODE, ds(spec().withNodeSelector(DS_LABEL_2)),
            false, false, "node selector type=test does not match"),
        new Case(t + "[7] ShouldRunDaemonPod (node selector matches)", TEST_NODE,
            ds(spec().withNodeSelector(DS_LABEL)), true, true, ""),
        new Case(t + "[8] ErrPodAffinityNotMatch", TEST_NODE,
            ds(withAffinity(spec(), expressions(req("type", "In", "test")))),
            false, false, "node affinity does not match"),
        new Case(t + "[9] ShouldRunDaemonPod (node affinity matches)", TEST_NODE,
            ds(withAffinity(spec(), expressions(req("type", "In", "production")))), true, true, ""),
        new Case(t + "[10] ShouldRunDaemonPodOnUnschedulableNode", unschedulable(TEST_NODE),
            ds(resourcePodSpec("", "50M", "0.5")), true, true, ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void nodeShouldRunDaemonPod(Case c) {
    Eligibility e = NodeEligibility.evaluate(c.node(), c.ds());
    assertThat(e).isEqualTo(new Eligibility(c.shouldRun(), c.shouldContinueRunning(), c.reason()));
  }
}
