package io.daemonset.rollout;

import static io.daemonset.rollout.Strategies.maxSurge;
import static io.daemonset.rollout.Strategies.maxUnavailable;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.model.UnavailableCounts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Failure detection (progress deadline, crash loops), the unavailable breakdown, and the plan before apply. */
class RolloutHealthTest {
  private static final Instant T = Instant.ofEpochSecond(50_000);

  private static PodInfo ready(String name, String hash) {
    return new PodInfo(name, hash, T.minusSeconds(900), true, T.minusSeconds(600), false, PodInfo.RUNNING);
  }

  private static PodInfo waiting(String name, String hash, String reason) {
    return new PodInfo(name, hash, T.minusSeconds(60), false, null, false,
        PodInfo.UNSCHEDULABLE.equals(reason) ? PodInfo.PENDING : PodInfo.RUNNING, reason);
  }

  private static NodePods node(String name, PodInfo... pods) {
    return new NodePods(name, true, true, List.of(pods));
  }

  private static RolloutProgress.Input input(List<NodePods> nodes, Integer deadline, int previous, Instant lastProgress,
                                             Instant now) {
    return new RolloutProgress.Input(nodes, "new", 0, nodes.size(), deadline, 3, previous, lastProgress, now);
  }

  @Test
  void progressRestartsTheDeadlineEachTimeAnotherUpdatedPodIsAvailable() {
    List<NodePods> nodes = List.of(node("a", ready("a1", "new")), node("b", ready("b1", "old")));
    var first = RolloutProgress.evaluate(input(nodes, 60, 0, T.minusSeconds(50), T));
    assertThat(first.state()).isEqualTo(RolloutProgress.State.PROGRESSING);
    assertThat(first.lastProgressAt()).isEqualTo(T);
    assertThat(first.checkAgainAt()).contains(T.plusSeconds(60));
    var stalled = RolloutProgress.evaluate(input(nodes, 60, 1, T, T.plusSeconds(60)));
    assertThat(stalled.state()).isEqualTo(RolloutProgress.State.FAILED);
    assertThat(stalled.reason()).isEqualTo(RolloutProgress.DEADLINE_EXCEEDED);
    var noDeadline = RolloutProgress.evaluate(input(nodes, null, 1, T, T.plusSeconds(6000)));
    assertThat(noDeadline.state()).isEqualTo(RolloutProgress.State.PROGRESSING);
  }

  @Test
  void aRolloutThatReachedItsTargetNeverFails() {
    List<NodePods> nodes = List.of(node("a", ready("a1", "new")), node("b", ready("b1", "new")));
    var done = RolloutProgress.evaluate(input(nodes, 10, 2, T.minusSeconds(3600), T));
    assertThat(done.state()).isEqualTo(RolloutProgress.State.COMPLETE);
  }

  @Test
  void threeCrashLoopingUpdatedPodsFailTheRolloutOrAllWhenFewerAreUpdated() {
    List<NodePods> nodes = new ArrayList<>();
    IntStream.range(0, 3).forEach(i -> nodes.add(node("n" + i, waiting("p" + i, "new", PodInfo.CRASH_LOOP_BACK_OFF))));
    IntStream.range(3, 10).forEach(i -> nodes.add(node("n" + i, ready("p" + i, "old"))));
    var failed = RolloutProgress.evaluate(input(nodes, null, 0, T, T));
    assertThat(failed.state()).isEqualTo(RolloutProgress.State.FAILED);
    assertThat(failed.reason()).isEqualTo(RolloutProgress.CRASH_LOOPING);
    assertThat(failed.failing()).containsExactly("n0/p0", "n1/p1", "n2/p2");

    List<NodePods> one = List.of(node("a", waiting("a1", "new", PodInfo.CRASH_LOOP_BACK_OFF)), node("b", ready("b1", "old")));
    assertThat(RolloutProgress.evaluate(input(one, null, 0, T, T)).state()).isEqualTo(RolloutProgress.State.FAILED);

    List<NodePods> twoOfThree = List.of(node("a", waiting("a1", "new", PodInfo.CRASH_LOOP_BACK_OFF)),
        node("b", waiting("b1", "new", "ContainerCreating")), node("c", ready("c1", "old")));
    assertThat(RolloutProgress.evaluate(input(twoOfThree, null, 0, T, T)).state())
        .isEqualTo(RolloutProgress.State.PROGRESSING);
  }

  @Test
  void podsOnNotReadyNodesDoNotCountAsCrashLooping() {
    List<NodePods> nodes = List.of(
        node("a", waiting("a1", "new", PodInfo.CRASH_LOOP_BACK_OFF)).withNodeReady(false),
        node("b", ready("b1", "new")), node("c", ready("c1", "old")));
    assertThat(RolloutProgress.evaluate(input(nodes, null, 1, T, T)).state())
        .isEqualTo(RolloutProgress.State.PROGRESSING);
  }

  @Test
  void unavailablePodsAreCountedByCause() {
    List<NodePods> nodes = List.of(
        node("a", ready("a1", "new")),
        node("b", waiting("b1", "new", "ContainerCreating")),
        node("c"),
        node("d", waiting("d1", "new", PodInfo.CRASH_LOOP_BACK_OFF)),
        node("e", waiting("e1", "old", PodInfo.UNSCHEDULABLE)),
        node("f", ready("f1", "old")).withNodeReady(true),
        node("g", waiting("g1", "new", "ContainerCreating")).withNodeReady(false));
    assertThat(UnavailableBreakdown.of(nodes, 0, T)).isEqualTo(new UnavailableCounts(2, 1, 1, 1));
  }

  @Test
  void thePlanOfAnUpdateListsEveryStepUnderMaxUnavailable() {
    List<NodePods> nodes = IntStream.range(0, 5).mapToObj(i -> node("n" + i, ready("p" + i, "old"))).toList();
    var sim = RolloutSimulator.simulate(new RolloutInput("new", maxUnavailable(2), 0, T, nodes, null), 50);
    assertThat(sim.finished()).isTrue();
    // delete 2; create 2; delete 2; create 2; delete 1; create 1 (a replacement follows its deletion)
    assertThat(sim.steps()).hasSize(6);
    assertThat(sim.steps().stream().mapToInt(s -> s.deletions().size()).sum()).isEqualTo(5);
    assertThat(sim.steps().stream().mapToInt(s -> s.creations().size()).sum()).isEqualTo(5);
    assertThat(sim.steps().stream().flatMap(s -> s.creations().stream()).map(PodCreation::revisionHash))
        .containsOnly("new");
  }

  @Test
  void thePlanStopsWhereThePartitionHoldsAndWithSurge() {
    List<NodePods> nodes = IntStream.range(0, 10).mapToObj(i -> node("n" + i, ready("p" + i, "old"))).toList();
    var held = RolloutSimulator.simulate(new RolloutInput("new", maxUnavailable(3), 0, T, nodes, null,
        new RolloutControls(false, false, 7, null, null)), 50);
    assertThat(held.finished()).isTrue();
    assertThat(held.steps().stream().mapToInt(s -> s.creations().size()).sum()).isEqualTo(3);
    var surge = RolloutSimulator.simulate(new RolloutInput("new", maxSurge(5), 0, T, nodes, null), 50);
    assertThat(surge.finished()).isTrue();
    assertThat(surge.steps().stream().mapToInt(s -> s.creations().size()).sum()).isEqualTo(10);
    assertThat(surge.steps().stream().mapToInt(s -> s.deletions().size()).sum()).isEqualTo(10);
  }
}
