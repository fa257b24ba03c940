package io.daemonset.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.model.CanaryStrategy;
import io.daemonset.model.IntOrString;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CanaryGateTest {
  private static final Instant T = Instant.ofEpochSecond(10_000);

  private static NodePods node(String name, PodInfo... pods) {
    return new NodePods(name, true, true, List.of(pods));
  }

  private static PodInfo pod(String name, String hash, Instant readySince) {
    return new PodInfo(name, hash, T.minusSeconds(600), readySince != null, readySince, false, PodInfo.RUNNING);
  }

  private static CanaryStrategy canary(IntOrString nodes, int soak, boolean manual) {
    return new CanaryStrategy(nodes, null, soak, manual, null);
  }

  @Test
  void picksTheNodesAlreadyOnTheNewRevisionFirstThenByName() {
    List<NodePods> nodes = List.of(node("c", pod("c1", "old", T)), node("a", pod("a1", "old", T)),
        node("b", pod("b1", "new", null)), node("d"));
    var d = CanaryGate.decide(canary(IntOrString.of(2), 0, false), nodes, null, "new", 0, false, T);
    assertThat(d.canaryNodes()).containsExactly("b", "a");
    assertThat(d.holding()).isTrue();
  }

  @Test
  void aPercentageOfDesiredRoundsUpAndIsAtLeastOne() {
    List<NodePods> nodes = List.of(node("a"), node("b"), node("c"), node("d"), node("e"));
    assertThat(CanaryGate.decide(canary(IntOrString.of("10%"), 0, false), nodes, null, "new", 0, false, T)
        .canaryNodes()).containsExactly("a");
    assertThat(CanaryGate.decide(canary(IntOrString.of("50%"), 0, false), nodes, null, "new", 0, false, T)
        .canaryNodes()).containsExactly("a", "b", "c");
  }

  @Test
  void aSelectorLimitsTheCanaryToMatchingNodes() {
    List<NodePods> nodes = List.of(node("a"), node("b"), node("c"));
    var d = CanaryGate.decide(new CanaryStrategy(null, null, 0, false, null), nodes, Set.of("b", "c"), "new", 0,
        false, T);
    assertThat(d.canaryNodes()).containsExactlyInAnyOrder("b", "c");
  }

  @Test
  void holdsUntilEveryCanaryPodHasBeenAvailableForTheSoak() {
    CanaryStrategy c = canary(IntOrString.of(2), 60, false);
    List<NodePods> oneReady = List.of(node("a", pod("a1", "new", T.minusSeconds(100))), node("b", pod("b1", "new", null)),
        node("c", pod("c1", "old", T)));
    var notYet = CanaryGate.decide(c, oneReady, null, "new", 0, false, T);
    assertThat(notYet.holding()).isTrue();
    assertThat(notYet.soakEndsAt()).isEmpty();

    List<NodePods> bothReady = List.of(node("a", pod("a1", "new", T.minusSeconds(100))),
        node("b", pod("b1", "new", T.minusSeconds(30))), node("c", pod("c1", "old", T)));
    var soaking = CanaryGate.decide(c, bothReady, null, "new", 10, false, T);
    assertThat(soaking.holding()).isTrue();
    assertThat(soaking.soakEndsAt()).contains(T.minusSeconds(30).plusSeconds(10).plusSeconds(60));

    var passed = CanaryGate.decide(c, bothReady, null, "new", 10, false, T.plusSeconds(40));
    assertThat(passed.soaked()).isTrue();
    assertThat(passed.holding()).isFalse();
  }

  @Test
  void aManualCanaryHoldsAfterTheSoakUntilPromoted() {
    CanaryStrategy c = canary(IntOrString.of(1), 0, true);
    List<NodePods> nodes = List.of(node("a", pod("a1", "new", T.minusSeconds(5))), node("b", pod("b1", "old", T)));
    var soaked = CanaryGate.decide(c, nodes, null, "new", 0, false, T);
    assertThat(soaked.soaked()).isTrue();
    assertThat(soaked.holding()).isTrue();
    assertThat(CanaryGate.decide(c, nodes, null, "new", 0, true, T).holding()).isFalse();
  }

  @Test
  void aCanaryPodBeingReplacedDoesNotCount() {
    PodInfo deleting = pod("a1", "new", T.minusSeconds(500)).markedDeleting();
    var d = CanaryGate.decide(canary(IntOrString.of(1), 0, false), List.of(node("a", deleting)), null, "new", 0,
        false, T);
    assertThat(d.soakEndsAt()).isEqualTo(Optional.empty());
    assertThat(d.holding()).isTrue();
  }
}
