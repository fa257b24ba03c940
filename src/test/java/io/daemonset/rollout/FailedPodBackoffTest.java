package io.daemonset.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.model.DaemonSetUpdateStrategy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** upstream TestDaemonKillFailedPodsBackoff and the failedPodsBackoff (1 s doubling to 15 min) it relies on. */
class FailedPodBackoffTest {

  static Stream<DaemonSetUpdateStrategy> strategies() {
    return Strategies.both().stream();
  }

  /** A node whose daemon pod keeps failing: after each sync a failed pod is back on it. */
  static FakeCluster crashLooping(DaemonSetUpdateStrategy strategy) {
    return new FakeCluster(strategy).addNodes(0, 1).addPods("node-0", "h1", 1).phase("node-0", PodInfo.FAILED);
  }

  static void failAgain(FakeCluster c) {
    c.addPods("node-0", "h1", 1).phase("node-0", PodInfo.FAILED);
  }

  @ParameterizedTest(name = "TestDaemonKillFailedPodsBackoff [{0}]")
  @MethodSource("strategies")
  void testDaemonKillFailedPodsBackoff(DaemonSetUpdateStrategy strategy) {
    FakeCluster c = crashLooping(strategy);
    // First sync deletes the pod, initialising the backoff.
    RolloutPlan first = c.expectSync(0, 1);
    Backoff initial = first.backoffs().get("node-0");
    assertThat(initial.delay()).isEqualTo(Duration.ofSeconds(1));
    failAgain(c);
    // An immediate second sync is held back, the delay not raised while waiting, and it says when to look again.
    RolloutPlan held = c.expectSync(0, 0);
    assertThat(held.backoffs().get("node-0")).isEqualTo(initial);
    assertThat(held.requeueAt()).contains(initial.nextAllowedAt());
    // Just before the end of the delay it is still held back; at the end it is not.
    c.now = initial.nextAllowedAt().minusNanos(1);
    c.expectSync(0, 0);
    c.now = initial.nextAllowedAt();
    RolloutPlan after = c.expectSync(0, 1);
    assertThat(after.deletions()).singleElement().satisfies(d -> assertThat(d.reason().kind()).isEqualTo(Reason.Kind.FAILED_POD_REPLACED));
  }

  @Test
  void delayDoublesFromOneSecondToFifteenMinutes() {
    FakeCluster c = crashLooping(Strategies.maxUnavailable(1));
    List<Long> delays = new ArrayList<>();
    for (int i = 0; i < 13; i++) {
      RolloutPlan plan = c.expectSync(0, 1);
      Backoff b = plan.backoffs().get("node-0");
      delays.add(b.delay().toSeconds());
      failAgain(c);
      c.now = b.nextAllowedAt();
    }
    assertThat(delays).containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 64L, 128L, 256L, 512L, 900L, 900L, 900L);
  }

  @Test
  void quietForTwiceTheMaximumStartsAgainAtOneSecondAndIsForgotten() {
    FakeCluster c = crashLooping(Strategies.maxUnavailable(1));
    c.expectSync(0, 1);
    failAgain(c);
    c.now = c.now.plusSeconds(1);
    Backoff second = c.expectSync(0, 1).backoffs().get("node-0");
    assertThat(second.delay()).isEqualTo(Duration.ofSeconds(2));
    // Healthy for over 30 minutes: the entry is dropped from the state...
    c.now = second.lastUpdate().plus(Duration.ofMinutes(30)).plusNanos(1);
    assertThat(c.sync().backoffs()).isEmpty();
    // ...and the next failure starts again at 1 s.
    failAgain(c);
    assertThat(c.expectSync(0, 1).backoffs().get("node-0").delay()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void oneFailedPodPerNodePerStepAndNodesAreIndependent() {
    FakeCluster c = new FakeCluster(Strategies.onDelete()).addNodes(0, 2)
        .addPods("node-0", "h1", 2).phase("node-0", PodInfo.FAILED)
        .addPods("node-1", "h1", 1).phase("node-1", PodInfo.FAILED);
    RolloutPlan plan = c.expectSync(0, 2);
    assertThat(plan.deletions()).extracting(PodDeletion::nodeName).containsExactly("node-0", "node-1");
    assertThat(plan.backoffs()).containsOnlyKeys("node-0", "node-1");
    assertThat(plan.requeueAt()).contains(c.now.plusSeconds(1));
  }

  @Test
  void backoffArithmeticMatchesFlowcontrol() {
    Instant t = FakeCluster.T0;
    Backoff first = Backoff.next(null, t);
    assertThat(first).isEqualTo(new Backoff(t.plusSeconds(1), Duration.ofSeconds(1)));
    assertThat(first.holdsAt(t)).isTrue();
    assertThat(first.holdsAt(t.plusSeconds(1))).isFalse();
    assertThat(Backoff.next(first, t.plusSeconds(1)).delay()).isEqualTo(Duration.ofSeconds(2));
  }
}
