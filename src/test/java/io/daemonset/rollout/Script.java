package io.daemonset.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.model.DaemonSetUpdateStrategy;
import java.util.List;
import java.util.function.Consumer;

/**
 * A replay of one of upstream's step-by-step controller tests: a setup, then steps, each a sync with
 * the expected numbers of creates and deletes, or a change to the world (pods go ready, the template
 * or the clock changes). Every sync also checks the rollout invariants of {@link Invariants}.
 */
record Script(DaemonSetUpdateStrategy initial, Consumer<FakeCluster> setup, List<Step> steps) {

  interface Step extends Consumer<FakeCluster> {}

  static Script of(DaemonSetUpdateStrategy initial, Consumer<FakeCluster> setup, Step... steps) {
    return new Script(initial, setup, List.of(steps));
  }

  FakeCluster run() {
    FakeCluster cluster = new FakeCluster(initial);
    setup.accept(cluster);
    steps.forEach(step -> step.accept(cluster));
    return cluster;
  }

  /** upstream expectSyncDaemonSets(creates, deletes). */
  static Step sync(int creates, int deletes) {
    return c -> {
      Invariants before = Invariants.of(c);
      c.expectSync(creates, deletes);
      before.checkAfter(c);
    };
  }

  /** upstream markPodsReady. */
  static Step markPodsReady() {
    return FakeCluster::markPodsReady;
  }

  /** A template change: the current revision becomes {@code hash}. */
  static Step template(String hash) {
    return c -> c.hash = hash;
  }

  static Step strategy(DaemonSetUpdateStrategy value) {
    return c -> c.strategy = value;
  }

  static Step minReadySeconds(int value) {
    return c -> c.minReadySeconds = value;
  }

  /** upstream's fake clock: failedPodsBackoff.Clock = NewFakeClock(time.Unix(s, 0)). */
  static Step clock(long epochSecond) {
    return c -> c.at(epochSecond);
  }

  static Step check(Consumer<FakeCluster> assertion) {
    return assertion::accept;
  }

  static Step readyCount(int expected) {
    return c -> assertThat(c.allPods().stream().filter(PodInfo::ready).count()).as("ready pods").isEqualTo(expected);
  }
}
