package io.daemonset.rollout;

import static io.daemonset.rollout.Script.check;
import static io.daemonset.rollout.Script.clock;
import static io.daemonset.rollout.Script.markPodsReady;
import static io.daemonset.rollout.Script.minReadySeconds;
import static io.daemonset.rollout.Script.readyCount;
import static io.daemonset.rollout.Script.strategy;
import static io.daemonset.rollout.Script.sync;
import static io.daemonset.rollout.Script.template;
import static io.daemonset.rollout.Strategies.maxUnavailable;
import static io.daemonset.rollout.Strategies.onDelete;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.model.IntOrString;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * upstream update_test.go, rolling updates without surge, replayed step by step with the same numbers
 * of creates and deletes per sync; the rollout invariants are checked around every sync.
 */
class RollingUpdateTest {

  static Stream<Named<Script>> scripts() {
    return Stream.of(
        Named.of("TestDaemonSetUpdatesPods", Script.of(onDelete(), c -> c.addNodes(0, 5),
            sync(5, 0), markPodsReady(), template("h2"), strategy(maxUnavailable(2)),
            sync(0, 2), sync(2, 0), markPodsReady(),
            sync(0, 2), sync(2, 0), markPodsReady(),
            sync(0, 1), sync(1, 0), markPodsReady(),
            sync(0, 0), allOn("h2", 5))),
        Named.of("TestDaemonSetUpdatesPods with maxUnavailable 40% (of 5, rounded up: 2)",
            Script.of(onDelete(), c -> c.addNodes(0, 5),
            sync(5, 0), markPodsReady(), template("h2"), strategy(maxUnavailable(IntOrString.of("40%"))),
            sync(0, 2), sync(2, 0), markPodsReady(),
            sync(0, 2), sync(2, 0), markPodsReady(),
            sync(0, 1), sync(1, 0), markPodsReady(),
            sync(0, 0), allOn("h2", 5))),
        Named.of("TestDaemonSetUpdatesWhenNewPodIsNotReady", Script.of(onDelete(), c -> c.addNodes(0, 5),
            sync(5, 0), markPodsReady(), template("h2"), strategy(maxUnavailable(3)),
            sync(0, 3), sync(3, 0), sync(0, 0))),
        Named.of("TestDaemonSetUpdatesSomeOldPodsNotReady", Script.of(onDelete(), c -> c.addNodes(0, 5),
            sync(5, 0), markPodsReady(), template("h2"), strategy(maxUnavailable(2)),
            sync(0, 2), sync(2, 0), sync(0, 0),
            template("h3"),
            sync(0, 2), sync(2, 0), sync(0, 0), readyCount(3))),
        Named.of("TestDaemonSetUpdatesAllOldPodsNotReady", Script.of(onDelete(), c -> c.addNodes(0, 5),
            sync(5, 0), template("h2"), strategy(maxUnavailable(3)),
            sync(0, 5), sync(5, 0), sync(0, 0))),
        Named.of("TestDaemonSetUpdatesNoTemplateChanged (changing only the strategy restarts nothing)",
            Script.of(onDelete(), c -> c.addNodes(0, 5),
            sync(5, 0), strategy(maxUnavailable(3)), sync(0, 0))),
        Named.of("TestDaemonSetUpdatesSaveOldHealthyPods (maxUnavailable 0..9 in turn instead of rand.Intn(10))",
            saveOldHealthyPods()),
        Named.of("TestDaemonSetUpdatesAllOldNotReadyPodsAndNewNotReadyPods", allOldNotReadyAndNewNotReady()),
        Named.of("OnDelete: a new template replaces no pod until one is deleted", Script.of(onDelete(), c -> c.addNodes(0, 3),
            sync(3, 0), markPodsReady(), template("h2"),
            sync(0, 0), sync(0, 0),
            check(c -> c.deletePod("node-1")),
            sync(1, 0), check(c -> assertThat(c.pods("node-1")).singleElement()
                .satisfies(p -> assertThat(p.revisionHash()).isEqualTo("h2"))),
            sync(0, 0))),
        Named.of("minReadySeconds gates each step (available only after strictly more than 10s Ready)",
            Script.of(maxUnavailable(1), c -> c.addNodes(0, 3).at(100),
            minReadySeconds(10), sync(3, 0), markPodsReady(), clock(111), template("h2"),
            sync(0, 1), sync(1, 0), markPodsReady(),
            clock(115), sync(0, 0), requeueAt(121),
            clock(121), sync(0, 0),
            clock(122), sync(0, 1), sync(1, 0))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scripts")
  void replays(Script script) {
    script.run();
  }

  static Script.Step allOn(String hash, int nodes) {
    return c -> assertThat(c.allPods()).hasSize(nodes).allSatisfy(p -> assertThat(p.revisionHash()).isEqualTo(hash));
  }

  static Script.Step requeueAt(long epochSecond) {
    return c -> assertThat(c.lastPlan.requeueAt()).contains(Instant.ofEpochSecond(epochSecond).plusNanos(1));
  }

  /** Ten updates with maxUnavailable below the ten unready pods never touch the ten ready ones. */
  static Script saveOldHealthyPods() {
    List<Script.Step> steps = new ArrayList<>(List.of(sync(20, 0), markPodsReady(), template("h2"),
        strategy(maxUnavailable(10)), sync(0, 10), sync(10, 0), sync(0, 0)));
    Set<String> oldReady = new HashSet<>();
    steps.add(c -> c.allPods().stream().filter(PodInfo::ready).forEach(p -> oldReady.add(p.name())));
    for (int i = 0; i < 10; i++) {
      steps.addAll(List.of(strategy(maxUnavailable(i)), template("h3-" + i), sync(0, 10), sync(10, 0), sync(0, 0),
          check(c -> assertThat(c.allPods().stream().filter(PodInfo::ready).map(PodInfo::name)).containsAll(oldReady))));
    }
    steps.addAll(List.of(strategy(maxUnavailable(11)), template("h4"), sync(0, 11), sync(11, 0), sync(0, 0), readyCount(9)));
    return new Script(onDelete(), c -> c.addNodes(0, 20), steps);
  }

  /** 100 nodes: 88 unavailable new pods, 2 unavailable old, 10 available old; only the 2 are replaced. */
  static Script allOldNotReadyAndNewNotReady() {
    List<Script.Step> steps = new ArrayList<>(List.of(sync(100, 0), markPodsReady(), template("h2"),
        strategy(maxUnavailable(10))));
    for (int i = 0; i < 10; i++) {
      steps.addAll(List.of(sync(0, 10), sync(10, 0), markPodsReady()));
    }
    steps.add(sync(0, 0));
    Set<String> oldUnavailable = new HashSet<>();
    steps.add(c -> c.rewritePods((i, p) -> {
      PodInfo pod = i >= 10 ? p.withReadiness(false, null) : p;
      if (i < 12) {
        pod = new PodInfo(pod.name(), "h1", pod.createdAt(), pod.ready(), pod.readySince(), pod.deleting(), pod.phase());
        if (i >= 10) {
          oldUnavailable.add(pod.name());
        }
      }
      return pod;
    }));
    steps.addAll(List.of(sync(0, 2), sync(2, 0), sync(0, 0),
        check(c -> assertThat(c.allPods()).extracting(PodInfo::name).doesNotContainAnyElementsOf(oldUnavailable))));
    return new Script(onDelete(), c -> c.addNodes(0, 100), steps);
  }
}
