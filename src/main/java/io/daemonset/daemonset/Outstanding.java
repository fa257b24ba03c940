package io.daemonset.daemonset;

import io.daemonset.model.Pod;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * What a DaemonSet still waits to hear from its nodes after a reconcile: the creates and deletes not yet answered
 * (upstream's expectations, which hold observedGeneration back) and its pods not yet Ready. A fact that answers the
 * last of either closes the reconcile window at once ({@link DaemonSetEntity}): no answer the window could still batch
 * is on its way, so waiting out the window (up to {@link ReconcileWindow#MAX}) would only delay the status that says
 * "every pod scheduled" or "every pod Ready". Upstream's controller does the same with its expectations: the sync that
 * follows the last observed create runs at once.
 *
 * <p>Runtime only, rebuilt from the state after every reconcile (one pass over the bindings, as the reconcile makes
 * anyway); a fact only removes names, so a pod that turns unready again waits for the next reconcile to be counted.
 * Inexact at worst in the safe direction: a missed answer leaves the window as it was, an early close costs one
 * reconcile.
 */
final class Outstanding {
  static final Outstanding NONE = new Outstanding(Set.of(), Set.of(), Set.of());

  private final Set<String> creates;
  private final Set<String> deletes;
  private final Set<String> unready;

  private Outstanding(Set<String> creates, Set<String> deletes, Set<String> unready) {
    this.creates = creates;
    this.deletes = deletes;
    this.unready = unready;
  }

  /** The awaited steps and the unready pods of this DaemonSet's own bindings, as of the state a reconcile left. */
  static Outstanding of(DaemonSetState state, Instant now) {
    return of(state, state.bindings().values(), now);
  }

  /**
   * {@link #of(DaemonSetState, Instant)} from the bindings the reconcile's views hold unsettled when they reflect the
   * state's: an awaited step or an unready pod is never settled ({@link Unsettled}).
   */
  static Outstanding of(DaemonSetState state, NodeViews views, Instant now) {
    return of(state, views.reflects(state) ? views.unsettled().bindings().values() : state.bindings().values(), now);
  }

  private static Outstanding of(DaemonSetState state, java.util.Collection<PodBinding> bindings, Instant now) {
    Set<String> creates = new HashSet<>();
    Set<String> deletes = new HashSet<>();
    Set<String> unready = new HashSet<>();
    String uid = state.uid();
    for (PodBinding b : bindings) {
      if (!b.ownerUid().equals(uid)) {
        continue; // another incarnation's
      }
      if (b.isAwaited(now)) {
        (b.phase() == PodBinding.Phase.SCHEDULED ? creates : deletes).add(b.podName());
      }
      if (!b.isBeingDeleted() && b.phase() != PodBinding.Phase.ORPHAN_REQUESTED && b.readySince() == null) {
        unready.add(b.podName());
      }
    }
    return new Outstanding(creates, deletes, unready);
  }

  /**
   * Takes in what a node told; true when it answered the last awaited step, or made the last unready pod Ready, i.e.
   * the reconcile should run now rather than at the end of its window.
   */
  boolean heardTheLast(DaemonSetEntity.Fact fact) {
    boolean waited = !(creates.isEmpty() && deletes.isEmpty());
    boolean anyUnready = !unready.isEmpty();
    if (!waited && !anyUnready) {
      return false; // nothing to hear (NONE included: before the first reconcile, as after a recovery)
    }
    if (fact instanceof DaemonSetEntity.AdmitAnswered a) {
      creates.remove(a.podName()); // admitted, refused or AlreadyExists: that create is answered either way
    } else if (fact instanceof DaemonSetEntity.DeleteAnswered d) {
      if (d.gone() || d.terminating()) {
        deletes.remove(d.podName());
      }
    } else if (fact instanceof DaemonSetEntity.PodChanged c) {
      heard(c.podName(), c.pod());
    } else {
      return false;
    }
    return (waited && creates.isEmpty() && deletes.isEmpty()) || (anyUnready && unready.isEmpty());
  }

  /** What is awaited, in name order (for tests and logs). */
  @Override
  public String toString() {
    return "creates " + new java.util.TreeSet<>(creates) + ", deletes " + new java.util.TreeSet<>(deletes)
        + ", unready " + new java.util.TreeSet<>(unready);
  }

  private void heard(String podName, Pod pod) {
    if (pod == null) {
      creates.remove(podName);
      deletes.remove(podName);
      unready.remove(podName);
      return;
    }
    creates.remove(podName); // the node holds it: a pod it reports is bound (DaemonSetState applies PodObserved so)
    if (pod.metadata().deletionTimestamp() != null) {
      deletes.remove(podName);
    } else if (io.daemonset.model.PodStatus.isReady(pod.status())) {
      unready.remove(podName);
    }
  }
}
