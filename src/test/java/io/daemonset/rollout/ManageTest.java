package io.daemonset.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.model.DaemonSetUpdateStrategy;
import io.daemonset.rollout.Reason.Kind;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * upstream daemon_controller_test.go cases of manage/podsShouldBeOnNode, each run under both update
 * strategies as upstream's updateStrategies() loop does. Pods upstream adds with a label the
 * selector does not match are not the DaemonSet's and are simply left out here.
 */
class ManageTest {

  record Case(Consumer<FakeCluster> setup, int creates, int deletes, List<Kind> deleteKinds) {
    Case(Consumer<FakeCluster> setup, int creates, int deletes) {
      this(setup, creates, deletes, null);
    }
  }

  static Consumer<FakeCluster> ineligible(int from, int count, boolean mayContinue) {
    return c -> {
      for (int i = from; i < from + count; i++) {
        c.node("node-" + i, false, mayContinue, "node selector does not match");
      }
    };
  }

  static Stream<Named<Case>> table() {
    return Stream.of(
        Named.of("TestSimpleDaemonSetLaunchesPods", new Case(c -> c.addNodes(0, 5), 5, 0)),
        Named.of("TestNoNodesDoesNothing", new Case(c -> { }, 0, 0)),
        Named.of("TestOneNodeDaemonLaunchesPod", new Case(c -> c.addNodes(0, 1), 1, 0)),
        Named.of("TestDealsWithExistingPods", new Case(c -> c.addNodes(0, 5)
            .addPods("node-1", "h1", 1).addPods("node-2", "h1", 2).addPods("node-3", "h1", 5), 2, 5,
            List.of(Kind.DUPLICATE_POD))),
        Named.of("TestSelectorDaemonLaunchesPods", new Case(ineligible(0, 4, false).andThen(c -> c.addNodes(4, 3)), 3, 0)),
        Named.of("TestSelectorDaemonDeletesUnselectedPods", new Case(ineligible(0, 5, false).andThen(c -> c.addNodes(5, 5)
            .addPods("node-1", "h1", 3).addPods("node-4", "h1", 1)), 5, 4, List.of(Kind.NODE_NO_LONGER_ELIGIBLE))),
        Named.of("TestSelectorDaemonDealsWithExistingPods", new Case(ineligible(0, 5, false).andThen(c -> c.addNodes(5, 5)
            .addPods("node-0", "h1", 1).addPods("node-1", "h1", 3).addPods("node-2", "h1", 4)
            .addPods("node-6", "h1", 13).addPods("node-9", "h1", 1)), 3, 20)),
        Named.of("TestBadSelectorDaemonDoesNothing", new Case(ineligible(0, 7, false), 0, 0)),
        Named.of("TestNoScheduleTaintedDoesntEvicitRunningIntolerantPod", new Case(c -> c
            .node("tainted", false, true, "untolerated taint dedicated=user1:NoSchedule").addPods("tainted", "h1", 1), 0, 0)),
        Named.of("TestNoExecuteTaintedDoesEvicitRunningIntolerantPod", new Case(c -> c
            .node("tainted", false, false, "untolerated taint dedicated=user1:NoExecute").addPods("tainted", "h1", 1), 0, 1,
            List.of(Kind.NODE_NO_LONGER_ELIGIBLE))),
        Named.of("TestTaintedNodeDaemonDoesNotLaunchIntolerantPod", new Case(c -> c.node("tainted", false, true, null), 0, 0)),
        Named.of("TestDaemonSetRespectsTermination", new Case(c -> c.addNodes(0, 1).addPods("node-0", "h1", 1)
            .terminating("node-0"), 0, 0)),
        Named.of("TestDaemonKillFailedPods/normal (do nothing)", new Case(c -> c.addNodes(0, 1).addPods("node-0", "h1", 1), 0, 0)),
        Named.of("TestDaemonKillFailedPods/no pods (create 1)", new Case(c -> c.addNodes(0, 1), 1, 0)),
        Named.of("TestDaemonKillFailedPods/1 failed pod (kill 1), 0 normal pod (create 0; will create in the next sync)",
            new Case(c -> c.addNodes(0, 1).addPods("node-0", "h1", 1).phase("node-0", PodInfo.FAILED), 0, 1,
                List.of(Kind.FAILED_POD_REPLACED))),
        Named.of("TestDaemonKillFailedPods/1 failed pod (kill 1), 3 normal pods (kill 2)",
            new Case(c -> c.addNodes(0, 1).addPods("node-0", "h1", 1).phase("node-0", PodInfo.FAILED)
                .addPods("node-0", "h1", 3), 0, 3, List.of(Kind.FAILED_POD_REPLACED, Kind.DUPLICATE_POD))),
        Named.of("podsShouldBeOnNode: succeeded pod deleted, replaced next sync",
            new Case(c -> c.addNodes(0, 1).addPods("node-0", "h1", 1).phase("node-0", PodInfo.SUCCEEDED), 0, 1,
                List.of(Kind.SUCCEEDED_POD_REMOVED))),
        Named.of("getNodesToDaemonPods: a deleted terminal pod is not listed, the node gets a new pod",
            new Case(c -> c.addNodes(0, 1).addPods("node-0", "h1", 1).phase("node-0", PodInfo.FAILED)
                .terminating("node-0"), 1, 0)),
        Named.of("TestDeleteUnscheduledPodForNotExistingNode (deviation: no pod GC here, bound pods of gone nodes go too)",
            new Case(c -> c.addNodes(0, 1).addPods("node-0", "h1", 1).addPods("node-1", "h1", 1).addPods("node-2", "h1", 1)
                .removeNode("node-1").removeNode("node-2"), 0, 2, List.of(Kind.NODE_GONE))));
  }

  static Stream<Named<Object[]>> cases() {
    return table().flatMap(c -> Strategies.both().stream().map(s ->
        Named.of(c.getName() + " [" + s.type() + "]", new Object[] {c.getPayload(), s})));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void manage(Object[] args) {
    Case c = (Case) args[0];
    FakeCluster cluster = new FakeCluster((DaemonSetUpdateStrategy) args[1]);
    c.setup().accept(cluster);
    RolloutPlan plan = cluster.expectSync(c.creates(), c.deletes());
    assertThat(plan.creations()).allSatisfy(p -> assertThat(p.reason().kind()).isEqualTo(Kind.NODE_NEEDS_POD));
    if (c.deleteKinds() != null) {
      assertThat(plan.deletions()).extracting(d -> d.reason().kind()).isSubsetOf(c.deleteKinds());
    }
  }
}
