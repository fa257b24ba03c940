package io.daemonset.rollout;

import static io.daemonset.rollout.Strategies.maxSurge;
import static io.daemonset.rollout.Strategies.maxUnavailable;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.model.DaemonSetStatus;
import io.daemonset.model.DaemonSetUpdateStrategy;
import io.daemonset.model.IntOrString;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whole rollouts, simulated: plan, apply, pods created one step go Ready the next, the clock moves to
 * the plan's requeueAt (or one second on). At every step the {@link Invariants} hold; at the end
 * every node runs exactly one available pod of the new revision and the status says so.
 */
class RolloutSimulationTest {

  record Run(DaemonSetUpdateStrategy strategy, int nodes, int minReadySeconds, int maxStepsPerNode) {}

  static Stream<Named<Run>> runs() {
    return Stream.of(
        Named.of("maxUnavailable 1: one node at a time", new Run(maxUnavailable(1), 7, 0, 3)),
        Named.of("maxUnavailable 2", new Run(maxUnavailable(2), 7, 0, 3)),
        Named.of("maxUnavailable 34% of 7 = 3", new Run(maxUnavailable(IntOrString.of("34%")), 7, 0, 3)),
        Named.of("maxUnavailable 1, minReadySeconds 5", new Run(maxUnavailable(1), 5, 5, 12)),
        Named.of("maxSurge 1", new Run(maxSurge(1), 7, 0, 3)),
        Named.of("maxSurge 50% of 7 = 4, minReadySeconds 3", new Run(maxSurge(IntOrString.of("50%")), 7, 3, 10)),
        Named.of("maxUnavailable 0 and maxSurge 0 behave as maxUnavailable 1", new Run(maxUnavailable(0), 4, 0, 3)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runs")
  void rollsOutToCompletion(Run run) {
    FakeCluster c = new FakeCluster(run.strategy()).addNodes(0, run.nodes());
    c.minReadySeconds = run.minReadySeconds();
    c.sync();
    c.markPodsReady();
    c.at(10_000);
    c.hash = "h2";
    int steps = 0;
    while (!done(c)) {
      assertThat(++steps).as("steps to roll out").isLessThanOrEqualTo(run.nodes() * run.maxStepsPerNode());
      Invariants before = Invariants.of(c);
      RolloutPlan plan = c.sync();
      before.checkAfter(c);
      plan.requeueAt().ifPresent(at -> assertThat(at).isAfter(c.now));
      Instant next = plan.requeueAt().filter(at -> at.isBefore(c.now.plusSeconds(1))).orElse(c.now.plusSeconds(1));
      c.markPodsReady();
      c.now = next;
    }
    DaemonSetStatus status = StatusCalculator.compute(c.input());
    assertThat(status.updatedNumberScheduled()).isEqualTo(run.nodes());
    assertThat(status.numberAvailable()).isEqualTo(run.nodes());
    assertThat(RolloutPlanner.plan(c.input()).isEmpty()).isTrue();
  }

  /** Every node runs exactly one pod, of the new revision, available. */
  static boolean done(FakeCluster c) {
    RolloutInput in = c.input();
    return in.nodes().stream().allMatch(n -> n.pods().size() == 1
        && c.isNew(n.pods().get(0)) && Availability.available(n.pods().get(0), in.minReadySeconds(), in.now()));
  }
}
