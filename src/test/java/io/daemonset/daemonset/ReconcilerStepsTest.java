package io.daemonset.daemonset;

import static io.daemonset.daemonset.ReconcileWorld.nodes;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@link Reconciler#steps}, the one walk over the bindings that finds every step a round sends: admissions of the own
 * scheduled pods first, then deletions, orphanings and relabellings, each kind in pod-name order, whatever the order
 * of the kinds among the bindings; another incarnation's pods are deleted or orphaned but never admitted.
 */
class ReconcilerStepsTest {

  @Test
  void everyKindOfStepInItsOrderFromOneWalk() {
    ReconcileWorld w = new ReconcileWorld().withNodes(nodes(0, 3, null));
    w.round(); // three own pods scheduled (with their revision, which an admission renders from)
    DaemonSetState state = w.state;
    String uid = state.uid();
    PodBinding scheduled = state.bindings().values().iterator().next();
    Instant at = scheduled.createdAt();
    String hash = scheduled.revisionHash();
    Map<String, PodBinding> bindings = new TreeMap<>(state.bindings());
    // interleaved by name with the scheduled ones ("foo-…"), so that kinds alternate along the walk
    bindings.put("a-deleted", binding("a-deleted", uid, hash, PodBinding.Phase.DELETE_REQUESTED, false, at));
    bindings.put("b-orphaned", binding("b-orphaned", uid, hash, PodBinding.Phase.ORPHAN_REQUESTED, false, at));
    bindings.put("c-relabel", binding("c-relabel", uid, hash, PodBinding.Phase.BOUND, true, at));
    bindings.put("d-bound", binding("d-bound", uid, hash, PodBinding.Phase.BOUND, false, at));
    bindings.put("e-old-scheduled", binding("e-old-scheduled", "old-uid", hash, PodBinding.Phase.SCHEDULED, false, at));
    bindings.put("f-old-deleted", binding("f-old-deleted", "old-uid", hash, PodBinding.Phase.DELETE_REQUESTED, false, at));
    bindings.put("zz-relabel-deleting", binding("zz-relabel-deleting", uid, hash, PodBinding.Phase.TERMINATING, true, at));
    DaemonSetState mixed = new DaemonSetState(state.daemonSet(), state.specVersion(), bindings, state.revisions(),
        state.podOrdinals());

    List<NodeStep> steps = Reconciler.steps(mixed, at);

    List<String> own = state.bindings().keySet().stream().sorted().toList();
    assertThat(steps).extracting(ReconcilerStepsTest::describe).containsExactly(
        "admit " + own.get(0), "admit " + own.get(1), "admit " + own.get(2),
        "delete a-deleted", "delete f-old-deleted",
        "orphan b-orphaned",
        "relabel c-relabel");
  }

  @Test
  void aDaemonSetBeingDeletedAdmitsNothing() {
    ReconcileWorld w = new ReconcileWorld().withNodes(nodes(0, 2, null));
    w.round();
    DaemonSetState gone = w.state.apply(new DaemonSetEntity.DaemonSetDeleted("Orphan", ReconcileWorld.NODE));
    assertThat(Reconciler.steps(gone, ReconcileWorld.T0)).isEmpty();
  }

  private static PodBinding binding(String name, String ownerUid, String hash, PodBinding.Phase phase,
                                    boolean relabelPending, Instant at) {
    return new PodBinding(name, name + "-uid", "node-0", ownerUid, hash, phase, null, null, at, null, at,
        relabelPending);
  }

  private static String describe(NodeStep step) {
    if (step instanceof NodeStep.Admit a) {
      return "admit " + a.binding().podName();
    } else if (step instanceof NodeStep.Delete d) {
      return "delete " + d.binding().podName();
    } else if (step instanceof NodeStep.Orphan o) {
      return "orphan " + o.binding().podName();
    }
    return "relabel " + ((NodeStep.Relabel) step).binding().podName();
  }
}
