package io.daemonset.node;

import io.daemonset.model.Pod;
import java.util.Collection;

/**
 * What a pod status report can change beyond the pod itself, decided before the work that would find out: a report
 * is the most frequent write of a node (one per pod and change), and finding out walked every pod of the node twice
 * (the waiting pods that fit now, the orphans' namespaces and fingerprint before and after). Pure.
 */
final class ReportEffects {
  private ReportEffects() {}

  /**
   * Whether a waiting pod may be bound by this write: only when one waits. A status report changes no pod's
   * spec.nodeName or deletion, so the pods waiting after it are those waiting before; with none, there is nothing
   * to bind and {@code withWaitingThatFit} would add nothing.
   */
  static boolean mayBindWaiting(Collection<Pod> pods) {
    for (Pod pod : pods) {
      if (Unscheduled.isWaiting(pod)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a write of these pods' statuses or admissions may change the node's orphans (their namespaces or their
   * labels' fingerprint, {@link NodeState#orphanNamespaces}): only if one of them is an orphan. A pod with a
   * controller is not adoptable whatever its status, and a status report or an admission changes no other pod
   * (a waiting pod bound in the same write is checked too: the caller passes it).
   */
  static boolean mayChangeOrphans(Collection<Pod> written) {
    for (Pod pod : written) {
      if (pod != null && NodeState.controllerKey(pod) == null) {
        return true;
      }
    }
    return false;
  }
}
