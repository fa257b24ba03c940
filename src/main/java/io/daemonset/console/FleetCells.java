package io.daemonset.console;

import io.daemonset.model.ContainerStatus;
import io.daemonset.model.DaemonSet;
import io.daemonset.model.Node;
import io.daemonset.model.NodeCondition;
import io.daemonset.model.Pod;
import io.daemonset.placement.NodeEligibility;
import io.daemonset.rollout.Revisions;
import io.daemonset.rollout.TemplateHash;

/**
 * The pure decision behind a fleet-map cell: a node, the selected DaemonSet and its pod there (if any) give one
 * {@link CellState}. Order of the questions: no pod (eligible or not); a crash loop; being deleted or on a node that
 * is not Ready; not Ready (starting when on the current revision); Ready (updated or old).
 */
public final class FleetCells {
  /** Restarts after which a container that is not Ready counts as crash-looping even before the runtime says so. */
  static final int CRASH_RESTARTS = 3;

  private FleetCells() {}

  /**
   * The revision hash new pods of ds get, as the controller takes it: the matched revision's label (see
   * DaemonSetState.currentRevisionHash), or computed when the view holds no state for it.
   */
  public static String currentHash(DaemonSet ds, io.daemonset.view.ObjectIndex index) {
    return index.daemonSetState(ds.metadata().namespace(), ds.metadata().name())
        .filter(s -> s.exists() && java.util.Objects.equals(s.uid(), ds.metadata().uid()))
        .map(io.daemonset.daemonset.DaemonSetState::currentRevisionHash).orElseGet(() -> currentHash(ds));
  }

  /** The revision hash template + collisionCount give (what a new revision of ds would be named after). */
  public static String currentHash(DaemonSet ds) {
    Integer collisions = ds.status() == null ? null : ds.status().collisionCount();
    return TemplateHash.of(ds.spec().template(), collisions);
  }

  /**
   * @param pod the DaemonSet's pod on the node, null when it has none
   * @param currentHash {@link #currentHash(DaemonSet)}, computed once per DaemonSet
   */
  public static CellState state(Node node, DaemonSet ds, String currentHash, Pod pod) {
    if (pod == null) {
      return NodeEligibility.evaluate(node, ds).shouldRun() ? CellState.MISSING : CellState.NOT_ELIGIBLE;
    }
    if (crashLooping(pod)) {
      return CellState.CRASH_LOOP;
    }
    boolean updated = currentHash.equals(labelOf(pod, Revisions.HASH_LABEL));
    if (pod.metadata().deletionTimestamp() != null || !nodeReady(node)) {
      return CellState.UNAVAILABLE;
    }
    if (!ready(pod)) {
      return updated ? CellState.STARTING : CellState.UNAVAILABLE;
    }
    return updated ? CellState.UPDATED : CellState.OLD;
  }

  static boolean ready(Pod pod) {
    return io.daemonset.model.PodStatus.isReady(pod.status());
  }

  static boolean crashLooping(Pod pod) {
    if (pod.status() == null || pod.status().containerStatuses() == null) {
      return false;
    }
    for (ContainerStatus status : pod.status().containerStatuses()) {
      boolean backOff = status.state() != null && status.state().waiting() != null
          && "CrashLoopBackOff".equals(status.state().waiting().reason());
      if (backOff || (!status.ready() && status.restartCount() >= CRASH_RESTARTS)) {
        return true;
      }
    }
    return false;
  }

  /** A node without a Ready condition yet counts as ready (as the controller does); False or Unknown does not. */
  static boolean nodeReady(Node node) {
    if (node.status() == null || node.status().conditions() == null) {
      return true;
    }
    for (NodeCondition condition : node.status().conditions()) {
      if ("Ready".equals(condition.type())) {
        return "True".equals(condition.status());
      }
    }
    return true;
  }

  static String labelOf(Pod pod, String key) {
    return pod.metadata().labels() == null ? null : pod.metadata().labels().get(key);
  }
}
