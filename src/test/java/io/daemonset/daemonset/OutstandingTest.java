package io.daemonset.daemonset;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.model.Cause;
import io.daemonset.model.ObjectMeta;
import io.daemonset.model.Pod;
import io.daemonset.model.PodCondition;
import io.daemonset.model.PodStatus;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which fact is the last one a DaemonSet waits for (so that its reconcile runs now, not at the end of its window):
 * bindings as a reconcile leaves them, then what nodes tell, in order; the answer for the last fact of each row.
 */
class OutstandingTest {
  static final Instant NOW = Instant.parse("2026-12-03T14:00:00Z");
  static final Cause NODE = Cause.byController(NOW, "node");

  static PodBinding binding(String name, PodBinding.Phase phase, boolean ready) {
    return new PodBinding(name, "uid-" + name, "n-" + name, "ds-uid", "h1", phase, ready ? "Running" : "Pending",
        ready ? NOW : null, NOW, null, NOW);
  }

  static DaemonSetState state(PodBinding... bindings) {
    var ds = DaemonSetEntityTest.daemonSet();
    java.util.Map<String, PodBinding> byName = new java.util.HashMap<>();
    for (PodBinding b : bindings) {
      byName.put(b.podName(), b);
    }
    return new DaemonSetState(ds.withMetadata(ds.metadata().withUid("ds-uid").withGeneration(1L)), 0, byName,
        java.util.Map.of(), bindings.length);
  }

  static Pod pod(String name, boolean ready, boolean terminating) {
    ObjectMeta meta = ObjectMeta.named("default", name);
    if (terminating) {
      meta = meta.withDeletionTimestamp(NOW);
    }
    PodStatus status = new PodStatus("Running", List.of(new PodCondition("Ready", ready ? "True" : "False", null, NOW,
        null, null)), null, null, null, null, null, null);
    return new Pod("v1", "Pod", meta, null, status);
  }

  static DaemonSetEntity.Fact admitted(String name) {
    return new DaemonSetEntity.AdmitAnswered(name, "n-" + name, true, "admitted");
  }

  static DaemonSetEntity.Fact refused(String name) {
    return new DaemonSetEntity.AdmitAnswered(name, "n-" + name, false, "Insufficient cpu");
  }

  static DaemonSetEntity.Fact reported(String name, Pod pod) {
    return new DaemonSetEntity.PodChanged("n-" + name, name, pod, NODE);
  }

  static Stream<Arguments> rows() {
    PodBinding aScheduled = binding("a", PodBinding.Phase.SCHEDULED, false);
    PodBinding bScheduled = binding("b", PodBinding.Phase.SCHEDULED, false);
    PodBinding aBound = binding("a", PodBinding.Phase.BOUND, false);
    PodBinding bBound = binding("b", PodBinding.Phase.BOUND, false);
    PodBinding cReady = binding("c", PodBinding.Phase.BOUND, true);
    PodBinding dDeleting = binding("d", PodBinding.Phase.DELETE_REQUESTED, true);
    return Stream.of(
        Arguments.of("the first of two creates answered", state(aScheduled, bScheduled), List.of(admitted("a")), false),
        Arguments.of("the last of two creates answered", state(aScheduled, bScheduled),
            List.of(admitted("a"), admitted("b")), true),
        Arguments.of("a refusal answers a create too", state(aScheduled), List.of(refused("a")), true),
        Arguments.of("the node's report of the pod answers its create", state(aScheduled),
            List.of(reported("a", pod("a", false, false))), true),
        Arguments.of("an answer after the last is not the last again", state(aScheduled),
            List.of(admitted("a"), reported("a", pod("a", false, false))), false),
        Arguments.of("a create answered while a delete is awaited", state(aScheduled, dDeleting),
            List.of(admitted("a")), false),
        Arguments.of("the delete confirmed (terminating) after the create", state(aScheduled, dDeleting),
            List.of(admitted("a"), new DaemonSetEntity.DeleteAnswered("d", false, true)), true),
        Arguments.of("a delete not yet confirmed", state(dDeleting),
            List.of(new DaemonSetEntity.DeleteAnswered("d", false, false)), false),
        Arguments.of("the pod gone answers its delete", state(dDeleting), List.of(reported("d", null)), true),
        Arguments.of("the first of two pods Ready", state(aBound, bBound, cReady),
            List.of(reported("a", pod("a", true, false))), false),
        Arguments.of("the last pod Ready", state(aBound, bBound, cReady),
            List.of(reported("a", pod("a", true, false)), reported("b", pod("b", true, false))), true),
        Arguments.of("a report of a pod still not Ready", state(aBound),
            List.of(reported("a", pod("a", false, false))), false),
        Arguments.of("a report of a pod nobody waits for", state(cReady),
            List.of(reported("c", pod("c", true, false))), false),
        Arguments.of("a resync answer decides nothing here", state(aScheduled),
            List.of(new DaemonSetEntity.NodeHolds("n-a", null, NODE)), false),
        Arguments.of("nothing awaited at all", state(), List.of(admitted("x")), false));
  }

  /** Before its first reconcile (a recovery) a DaemonSet waits for nothing, and a node's report changes that not. */
  @org.junit.jupiter.api.Test
  void beforeTheFirstReconcileNoFactIsTheLast() {
    assertThat(Outstanding.NONE.heardTheLast(reported("a", pod("a", true, false)))).isFalse();
    assertThat(Outstanding.NONE.heardTheLast(reported("a", null))).isFalse();
    assertThat(Outstanding.NONE.heardTheLast(admitted("a"))).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void theLastAnswerAwaitedIsRecognised(String why, DaemonSetState state, List<DaemonSetEntity.Fact> facts,
                                        boolean last) {
    Outstanding outstanding = Outstanding.of(state, NOW);
    boolean heard = false;
    for (DaemonSetEntity.Fact fact : facts) {
      heard = outstanding.heardTheLast(fact);
    }
    assertThat(heard).isEqualTo(last);
  }
}
