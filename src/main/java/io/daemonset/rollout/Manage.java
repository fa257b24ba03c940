package io.daemonset.rollout;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Per node, which pods should exist: upstream {@code manage} and {@code podsShouldBeOnNode}.
 *
 * <p>Invariants, before and after: a node that should run the pod and has no listed pod gets one; a
 * node that may keep its pod keeps at most one running pod (the oldest), or while surging at most the
 * oldest of the current revision plus the oldest older one, and the older one only while it is Ready
 * and the new one not yet available; failed pods are deleted at most once per node per backoff step,
 * succeeded pods always; a node that may not keep its pods loses all of them. Pods already being
 * deleted are neither counted nor deleted again, and a node whose only pods are terminating gets no new
 * pod until they are gone, unless surging (upstream: "we need at least one non-deleted pod").
 */
final class Manage {

  private final String hash;
  private final RolloutInput in;
  private final boolean surge;
  private final int minReadySeconds;
  private final Instant now;
  private final Effects out;

  Manage(RolloutInput in, boolean surge, Effects out) {
    this.hash = in.currentHash();
    this.in = in;
    this.surge = surge;
    this.minReadySeconds = in.minReadySeconds();
    this.now = in.now();
    this.out = out;
  }

  void plan(List<NodePods> nodes) {
    for (NodePods node : nodes) {
      List<PodInfo> listed = node.listedPods();
      if (!node.exists()) {
        deleteAll(node, listed, Reason.of(Reason.Kind.NODE_GONE, node.eligibilityDetail()));
      } else if (node.shouldRun() && listed.isEmpty()) {
        out.create(node.nodeName(), in.creationHash(node.nodeName()), Reason.of(Reason.Kind.NODE_NEEDS_POD, "no daemon pod on the node"));
      } else if (node.shouldContinueRunning()) {
        keepOne(node, listed);
      } else {
        String why = node.eligibilityDetail() == null ? "node no longer eligible" : node.eligibilityDetail();
        deleteAll(node, listed, Reason.of(Reason.Kind.NODE_NO_LONGER_ELIGIBLE, why));
      }
    }
  }

  private void deleteAll(NodePods node, List<PodInfo> pods, Reason reason) {
    pods.stream().filter(p -> !p.deleting()).forEach(p -> out.delete(p, node.nodeName(), reason));
  }

  private void keepOne(NodePods node, List<PodInfo> listed) {
    if (listed.size() == 1 && keptAsItIs(listed.get(0))) {
      return; // the steady state of nearly every node: one running pod, nothing to decide
    }
    List<PodInfo> running = new ArrayList<>();
    for (PodInfo pod : listed) {
      if (pod.deleting()) {
        continue;
      }
      if (pod.failed()) {
        deleteFailed(node, pod);
      } else if (pod.succeeded()) {
        out.delete(pod, node.nodeName(), Reason.of(Reason.Kind.SUCCEEDED_POD_REMOVED, "pod completed"));
      } else {
        running.add(pod);
      }
    }
    running.sort(Availability.OLDEST_FIRST);
    if (!surge) {
      running.stream().skip(1).forEach(p -> out.delete(p, node.nodeName(), duplicate(running.get(0))));
    } else if (running.isEmpty()) {
      if (node.shouldRun()) {
        out.create(node.nodeName(), in.creationHash(node.nodeName()), Reason.of(Reason.Kind.NODE_NEEDS_POD, "no running daemon pod on the node"));
      }
    } else if (running.size() > 1) {
      keepNewestPair(node, running);
    }
  }

  /** A node's only pod, running and not being deleted: kept, with or without surge. */
  private static boolean keptAsItIs(PodInfo pod) {
    return !pod.deleting() && !pod.failed() && !pod.succeeded();
  }

  /** Failed pods: one deletion per node per backoff step; otherwise look again when it runs out. */
  private void deleteFailed(NodePods node, PodInfo pod) {
    Backoff current = out.backoffs().get(node.nodeName());
    if (current != null && current.holdsAt(now)) {
      out.requeueNoLaterThan(current.nextAllowedAt());
      return;
    }
    Backoff next = Backoff.next(current, now);
    out.backoffs().put(node.nodeName(), next);
    out.delete(pod, node.nodeName(), Reason.of(Reason.Kind.FAILED_POD_REPLACED,
        "pod failed; next failed pod on this node not deleted before " + next.nextAllowedAt()
            + " (backoff " + next.delay() + ")"));
  }

  /**
   * Surging: keep the oldest pod of the current revision and the oldest older one; the older one goes
   * as soon as it is not Ready or the new one is available.
   */
  private void keepNewestPair(NodePods node, List<PodInfo> running) {
    PodInfo oldestNew = null;
    PodInfo oldestOld = null;
    for (PodInfo pod : running) {
      boolean isNew = Availability.updated(pod, hash);
      if (isNew && oldestNew == null) {
        oldestNew = pod;
      } else if (!isNew && oldestOld == null) {
        oldestOld = pod;
      } else {
        out.delete(pod, node.nodeName(), duplicate(isNew ? oldestNew : oldestOld));
      }
    }
    if (oldestNew == null || oldestOld == null) {
      return;
    }
    if (!oldestOld.ready()) {
      out.delete(oldestOld, node.nodeName(), Reason.of(Reason.Kind.SURGE_OLD_POD_RETIRED,
          "old pod not ready; new pod " + oldestNew.name() + " takes over"));
    } else if (Availability.available(oldestNew, minReadySeconds, now)) {
      out.delete(oldestOld, node.nodeName(), Reason.of(Reason.Kind.SURGE_OLD_POD_RETIRED,
          "new pod " + oldestNew.name() + " of revision " + hash + " is available"));
    }
  }

  private static Reason duplicate(PodInfo kept) {
    return Reason.of(Reason.Kind.DUPLICATE_POD, "node already runs " + kept.name());
  }
}
