package io.daemonset.rollout;

import static io.daemonset.rollout.Strategies.maxSurge;
import static io.daemonset.rollout.Strategies.maxUnavailable;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.model.DaemonSetUpdateStrategy;
import io.daemonset.model.IntOrString;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** upstream update_test.go TestGetUnavailableNumbers, case by case, plus the defaults we add. */
class UpdateBudgetTest {

  record Case(DaemonSetUpdateStrategy strategy, Consumer<FakeCluster> setup,
      int maxSurge, int maxUnavailable, int desired, int emptyNodes) {}

  static Consumer<FakeCluster> readyPodsOn(int nodes, String... podNodes) {
    return c -> {
      c.addNodes(0, nodes);
      for (String n : podNodes) {
        c.addPods(n, "h1", 1);
      }
      c.markPodsReady();
    };
  }

  static Stream<Named<Case>> cases() {
    return Stream.of(
        Named.of("TestGetUnavailableNumbers/No nodes",
            new Case(maxUnavailable(0), c -> { }, 0, 0, 0, 0)),
        Named.of("TestGetUnavailableNumbers/Two nodes with ready pods",
            new Case(maxUnavailable(1), readyPodsOn(2, "node-0", "node-1"), 0, 1, 2, 0)),
        Named.of("TestGetUnavailableNumbers/Two nodes, one node without pods",
            new Case(maxUnavailable(0), readyPodsOn(2, "node-0"), 0, 1, 2, 1)),
        Named.of("TestGetUnavailableNumbers/Two nodes, one node without pods, surge",
            new Case(maxSurge(0), readyPodsOn(2, "node-0"), 0, 1, 2, 1)),
        Named.of("TestGetUnavailableNumbers/Two nodes with pods, MaxUnavailable in percents",
            new Case(maxUnavailable(IntOrString.of("50%")), readyPodsOn(2, "node-0", "node-1"), 0, 1, 2, 0)),
        Named.of("TestGetUnavailableNumbers/Two nodes with pods, MaxUnavailable in percents, surge",
            new Case(maxSurge(IntOrString.of("50%")), readyPodsOn(2, "node-0", "node-1"), 1, 0, 2, 0)),
        Named.of("TestGetUnavailableNumbers/Two nodes with pods, MaxUnavailable is 100%, surge",
            new Case(maxSurge(IntOrString.of("100%")), readyPodsOn(2, "node-0", "node-1"), 2, 0, 2, 0)),
        Named.of("TestGetUnavailableNumbers/Two nodes with pods, MaxUnavailable in percents, pod terminating",
            new Case(maxUnavailable(IntOrString.of("50%")), readyPodsOn(3, "node-0", "node-1").andThen(
                c -> c.terminating("node-1")), 0, 2, 3, 1)),
        Named.of("ours: no strategy means apps/v1 default maxUnavailable 1",
            new Case(null, readyPodsOn(3, "node-0"), 0, 1, 3, 2)),
        Named.of("ours: percents are of desiredNumberScheduled, rounded up (30% of 5 = 2)",
            new Case(maxUnavailable(IntOrString.of("30%")), readyPodsOn(5), 0, 2, 5, 5)),
        Named.of("ours: surge percent rounded up (10% of 5 = 1)",
            new Case(maxSurge(IntOrString.of("10%")), readyPodsOn(5), 1, 0, 5, 5)),
        Named.of("ours: ineligible nodes are not desired",
            new Case(maxUnavailable(IntOrString.of("50%")), c -> c.addNodes(0, 2).node("tainted", false, false, null),
                0, 1, 2, 2)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void budget(Case c) {
    FakeCluster cluster = new FakeCluster(c.strategy());
    c.setup().accept(cluster);
    RolloutInput in = cluster.input();
    assertThat(UpdateBudget.of(c.strategy(), in.nodes()))
        .isEqualTo(new UpdateBudget(c.maxSurge(), c.maxUnavailable(), c.desired()));
    // upstream counts the nodes that updatedDesiredNodeCounts had to add to nodeToDaemonPods
    assertThat(in.nodes().stream().filter(n -> n.shouldRun() && n.listedPods().isEmpty()).count())
        .isEqualTo(c.emptyNodes());
  }
}
