package io.daemonset.rollout;

import static io.daemonset.rollout.Script.clock;
import static io.daemonset.rollout.Script.markPodsReady;
import static io.daemonset.rollout.Script.minReadySeconds;
import static io.daemonset.rollout.Script.strategy;
import static io.daemonset.rollout.Script.sync;
import static io.daemonset.rollout.Script.template;
import static io.daemonset.rollout.Strategies.maxSurge;
import static io.daemonset.rollout.Strategies.onDelete;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.model.IntOrString;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** upstream update_test.go rolling updates with maxSurge, replayed step by step. */
class SurgeTest {

  static Stream<Named<Script>> scripts() {
    return Stream.of(
        Named.of("TestDaemonSetUpdatesPodsWithMaxSurge", Script.of(onDelete(), c -> c.addNodes(0, 5),
            sync(5, 0), markPodsReady(), template("h2"), strategy(maxSurge(2)),
            sync(2, 0), sync(0, 0), markPodsReady(),
            sync(2, 2), sync(0, 0), markPodsReady(),
            sync(5 % 2, 2), sync(0, 0), markPodsReady(),
            sync(0, 5 % 2), sync(0, 0), RollingUpdateTest.allOn("h2", 5))),
        Named.of("TestDaemonSetUpdatesPodsWithMaxSurge with maxSurge 40% (of 5, rounded up: 2)",
            Script.of(onDelete(), c -> c.addNodes(0, 5),
            sync(5, 0), markPodsReady(), template("h2"), strategy(maxSurge(IntOrString.of("40%"))),
            sync(2, 0), sync(0, 0), markPodsReady(),
            sync(2, 2), sync(0, 0), markPodsReady(),
            sync(1, 2), sync(0, 0), markPodsReady(),
            sync(0, 1), sync(0, 0), RollingUpdateTest.allOn("h2", 5))),
        Named.of("TestDaemonSetUpdatesPodsNotMatchTainstWithMaxSurge", Script.of(maxSurge(1), c -> c.addNodes(0, 5),
            sync(5, 0), markPodsReady(),
            template("h2"), c -> c.node("node-0", false, true, "untolerated taint node-role.kubernetes.io/control-plane:NoSchedule"),
            sync(1, 1), sync(0, 0), markPodsReady(),
            sync(1, 1), sync(0, 0), markPodsReady(),
            sync(1, 1), sync(0, 0), markPodsReady(),
            sync(1, 1), sync(0, 0), markPodsReady(),
            sync(0, 1), sync(0, 0),
            c -> assertThat(c.pods("node-0")).isEmpty())),
        Named.of("TestDaemonSetUpdatesAllOldPodsNotReadyMaxSurge", Script.of(onDelete(), c -> c.addNodes(0, 5),
            sync(5, 0), template("h2"), strategy(maxSurge(3)),
            clock(100), sync(5, 0),
            clock(200), sync(0, 5),
            c -> c.setReadiness(true, 5, p -> true), minReadySeconds(15), template("h3"),
            clock(300), sync(3, 0),
            c -> c.setReadiness(true, 2, c::isNew),
            c -> c.setReadiness(false, 1, (node, p) -> !c.isNew(p) && c.pods(node).stream().noneMatch(c::isNew)),
            clock(310), sync(1, 0),
            clock(320), sync(1, 3),
            c -> c.setReadiness(true, 3, c::isNew),
            clock(340), sync(0, 2),
            clock(350), sync(0, 0), RollingUpdateTest.allOn("h3", 5))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scripts")
  void replays(Script script) {
    script.run();
  }

  record Shot(FakeCluster cluster, int creates, int deletes, String... deleted) {}

  static PodInfo pod(String name, String hash, long created, Boolean ready, Long readySince) {
    boolean isReady = Boolean.TRUE.equals(ready);
    return new PodInfo(name, hash, java.time.Instant.ofEpochSecond(created), isReady,
        readySince == null ? null : java.time.Instant.ofEpochSecond(readySince), false, PodInfo.RUNNING);
  }

  static FakeCluster surge1() {
    FakeCluster c = new FakeCluster(maxSurge(1)).addNodes(0, 5);
    c.hash = "new";
    return c;
  }

  static Stream<Named<Shot>> shots() {
    return Stream.of(
        Named.of("TestSurgeDealsWithExistingPods", new Shot(surge1()
            .addPods("node-1", "new", 1).addPods("node-2", "new", 2).addPods("node-3", "new", 5), 2, 5)),
        Named.of("TestSurgePreservesReadyOldPods", new Shot(surge1()
            .addPod("node-1", pod("node-1-new", "new", 100, false, null))
            .addPod("node-1", pod("node-1-old", "old", 50, true, null))
            .addPod("node-1", pod("node-1-delete", "old", 60, true, null))
            .addPods("node-2", "new", 1), 3, 1, "node-1-delete")),
        Named.of("TestSurgeCreatesNewPodWhenAtMaxSurgeAndOldPodDeleted", new Shot(surgeAtMaxWithDeletedOld(), 1, 0)),
        Named.of("TestSurgeDeletesUnreadyOldPods", new Shot(surge1()
            .addPod("node-1", pod("node-1-new", "new", 100, null, null))
            .addPod("node-1", pod("node-1-old-unready", "old", 50, false, null))
            .addPod("node-1", pod("node-1-delete", "old", 60, true, null))
            .addPods("node-2", "new", 1), 3, 2, "node-1-old-unready", "node-1-delete")),
        Named.of("TestSurgePreservesOldReadyWithUnsatisfiedMinReady", new Shot(minReady15(60), 3, 1, "node-1-delete")),
        Named.of("TestSurgeDeletesOldReadyWithUnsatisfiedMinReady", new Shot(minReady15(70), 3, 2,
            "node-1-delete", "node-1-old-ready")));
  }

  static FakeCluster surgeAtMaxWithDeletedOld() {
    FakeCluster c = surge1()
        .addPod("node-0", pod("node-0-new", "new", 100, false, null))
        .addPod("node-0", pod("node-0-old-ready", "old", 50, true, null));
    for (int i = 1; i < 5; i++) {
      PodInfo old = pod("node-" + i + "-preserve", "old", 1, true, null);
      c.addPod("node-" + i, i == 4 ? old.markedDeleting() : old);
    }
    return c;
  }

  static FakeCluster minReady15(long now) {
    FakeCluster c = surge1().at(now)
        .addPod("node-1", pod("node-1-new", "new", 100, true, 50L))
        .addPod("node-1", pod("node-1-old-ready", "old", 50, true, null))
        .addPod("node-1", pod("node-1-delete", "old", 60, true, null))
        .addPods("node-2", "new", 1);
    c.minReadySeconds = 15;
    return c;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("shots")
  void singleSync(Shot shot) {
    RolloutPlan plan = shot.cluster().expectSync(shot.creates(), shot.deletes());
    if (shot.deleted().length > 0) {
      assertThat(plan.deletions()).extracting(PodDeletion::podName).containsExactlyInAnyOrder(shot.deleted());
    }
  }
}
