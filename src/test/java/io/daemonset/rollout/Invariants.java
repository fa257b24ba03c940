package io.daemonset.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

/**
 * What a rolling update promises at every step, checked around each sync of a {@link Script}.
 *
 * <p>Without surge: no node holds two live pods, and a sync never takes more nodes out of service
 * than maxUnavailable allows (counting nodes that were already unavailable). With surge: no node
 * holds more than two live pods, and a sync never deletes an available pod unless the node keeps
 * another available one (availability never drops because of the controller).
 */
record Invariants(UpdateBudget budget, boolean surge, long unavailableBefore) {

  static Invariants of(FakeCluster c) {
    RolloutInput in = c.input();
    UpdateBudget budget = UpdateBudget.of(c.strategy, in.nodes());
    boolean rolling = UpdateBudget.isRollingUpdate(c.strategy);
    return new Invariants(budget, rolling && budget.maxSurge() > 0, unavailable(c));
  }

  /** Desired nodes without an available pod. */
  static long unavailable(FakeCluster c) {
    RolloutInput in = c.input();
    return in.nodes().stream().filter(NodePods::shouldRun)
        .filter(n -> live(n).stream().noneMatch(p -> Availability.available(p, in.minReadySeconds(), in.now())))
        .count();
  }

  static List<PodInfo> live(NodePods node) {
    return node.pods().stream().filter(p -> !p.deleting()).toList();
  }

  void checkAfter(FakeCluster c) {
    for (NodePods node : c.input().nodes()) {
      assertThat(live(node).size()).as("live pods on %s", node.nodeName()).isLessThanOrEqualTo(surge ? 2 : 1);
    }
    long after = unavailable(c);
    if (surge) {
      assertThat(after).as("surge never lowers availability").isLessThanOrEqualTo(unavailableBefore);
    } else {
      assertThat(after).as("unavailable nodes after a sync")
          .isLessThanOrEqualTo(Math.max(unavailableBefore, budget.maxUnavailable()));
    }
  }
}
