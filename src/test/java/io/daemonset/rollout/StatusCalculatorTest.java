package io.daemonset.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.model.DaemonSetStatus;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** upstream updateDaemonSetStatus, through its tests (TestNumberReadyStatus, …) and the rules they rest on. */
class StatusCalculatorTest {

  /** Expected counters, in DaemonSetStatus order without the caller's fields. */
  record Counters(int current, int misscheduled, int desired, int ready, int updated, int available, int unavailable) {
    static Counters of(DaemonSetStatus s) {
      return new Counters(s.currentNumberScheduled(), s.numberMisscheduled(), s.desiredNumberScheduled(), s.numberReady(),
          s.updatedNumberScheduled(), s.numberAvailable(), s.numberUnavailable());
    }
  }

  record Case(Consumer<FakeCluster> setup, Counters expected) {}

  static Stream<Named<Case>> cases() {
    return Stream.of(
        Named.of("TestNumberReadyStatus: pods not ready",
            new Case(c -> c.addNodes(0, 2).addPods("node-0", "h1", 1).addPods("node-1", "h1", 1),
                new Counters(2, 0, 2, 0, 2, 0, 2))),
        Named.of("TestNumberReadyStatus: pods ready",
            new Case(c -> c.addNodes(0, 2).addPods("node-0", "h1", 1).addPods("node-1", "h1", 1).markPodsReady(),
                new Counters(2, 0, 2, 2, 2, 2, 0))),
        Named.of("TestSimpleDaemonSetUpdatesStatusAfterLaunchingPods", new Case(c -> {
          c.addNodes(0, 5);
          c.expectSync(5, 0);
        }, new Counters(5, 0, 5, 0, 5, 0, 5))),
        Named.of("TestSimpleDaemonSetPodCreateErrors (status after 10 of 100 creates succeeded)", new Case(c -> {
          c.addNodes(0, 100);
          for (int i = 0; i < 10; i++) {
            c.addPods("node-" + i, "h1", 1);
          }
        }, new Counters(10, 0, 100, 0, 10, 0, 100))),
        Named.of("misscheduled: a pod on a node that should not run one (NoSchedule taint) is not desired",
            new Case(c -> c.addNodes(0, 1).node("tainted", false, true, null).addPods("tainted", "h1", 1),
                new Counters(0, 1, 1, 0, 0, 0, 1))),
        Named.of("available needs Ready for longer than minReadySeconds", new Case(c -> {
          c.addNodes(0, 2).addPods("node-0", "h1", 1).addPods("node-1", "h1", 1);
          c.at(100).setReadiness(true, 1, p -> p.name().startsWith("node-0"));
          c.at(101).setReadiness(true, 1, p -> p.name().startsWith("node-1"));
          c.minReadySeconds = 10;
          c.at(111);
        }, new Counters(2, 0, 2, 2, 2, 1, 1))),
        Named.of("counted on the oldest pod: a surging node is not updated yet", new Case(c -> {
          c.addNodes(0, 2).addPods("node-0", "h1", 1).addPods("node-1", "h1", 1).markPodsReady();
          c.hash = "h2";
          c.at(2_000).addPods("node-0", "h2", 1);
        }, new Counters(2, 0, 2, 2, 0, 2, 0))),
        Named.of("getNodesToDaemonPods: a terminating pod still counts, a terminated deleted one does not", new Case(c -> c
            .addNodes(0, 2).addPods("node-0", "h1", 1).addPods("node-1", "h1", 1).markPodsReady()
            .terminating("node-0").terminating("node-1").phase("node-1", PodInfo.SUCCEEDED),
            new Counters(1, 0, 2, 1, 1, 1, 1))),
        Named.of("nodes that left the cluster are not counted",
            new Case(c -> c.addNodes(0, 1).addPods("node-0", "h1", 1).addPods("node-9", "h1", 1).removeNode("node-9"),
                new Counters(1, 0, 1, 0, 1, 0, 1))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void counts(Case c) {
    FakeCluster cluster = new FakeCluster(Strategies.maxUnavailable(1));
    c.setup().accept(cluster);
    DaemonSetStatus status = StatusCalculator.compute(cluster.input());
    assertThat(Counters.of(status)).isEqualTo(c.expected());
    assertThat(status.observedGeneration()).isNull();
    assertThat(status.collisionCount()).isNull();
  }
}
