package io.daemonset.rollout;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Which old pods to replace now: upstream {@code rollingUpdate}, planned on the nodes as manage will
 * leave them. Nodes are considered in input order, so the choice among equal candidates is stable.
 *
 * <p>Without surge. Assumes manage keeps at most one pod per node and creates the missing ones.
 * Invariant: a node counts unavailable when it has no pod, two, an old pod and a new one, or a pod
 * that is not available; old pods that are unavailable anyway are replaced at once, and available
 * old pods are deleted only while the unavailable count stays within maxUnavailable.
 *
 * <p>With surge. Assumes manage allows an old and a new pod per node. Invariant: a node whose old pod
 * is unavailable gets its new pod at once; no more than maxSurge new pods stand beside available old
 * ones; an old pod goes once the new one beside it is available; an old pod on a node that should no
 * longer run it goes only while more pods are available than nodes want one, or at once if it is
 * unavailable.
 *
 * <p>Controls. Only nodes in the update scope have pods replaced (the others still count towards the
 * unavailable and surge budgets: the budget is the DaemonSet's, not the scope's). With a partition, at most
 * desired - partition nodes run the current revision: every replacement, including that of an unavailable old
 * pod, spends one of the remaining updates.
 */
final class RollingUpdate {

  private final String hash;
  private final int minReadySeconds;
  private final Instant now;
  private final UpdateBudget budget;
  private final RolloutControls controls;
  private final Effects out;
  private final RolloutInput in;
  private int updatesLeft;

  RollingUpdate(RolloutInput in, UpdateBudget budget, Effects out) {
    this.hash = in.currentHash();
    this.minReadySeconds = in.minReadySeconds();
    this.now = in.now();
    this.budget = budget;
    this.controls = in.controls();
    this.out = out;
    this.in = in;
  }

  void plan(List<NodePods> projected) {
    List<NodePods> nodes = projected.stream()
        .filter(n -> n.shouldRun() || !n.listedPods().isEmpty())
        .toList();
    updatesLeft = updatesAllowedByPartition(nodes);
    if (budget.maxSurge() == 0) {
      withoutSurge(nodes);
    } else {
      withSurge(nodes);
    }
  }

  private void withoutSurge(List<NodePods> nodes) {
    int unavailable = 0;
    List<NodeAndPod> candidates = new ArrayList<>();
    for (NodePods node : nodes) {
      NodeRevisions r = NodeRevisions.of(node, hash);
      if (!r.ok() || (r.newPod() == null) == (r.oldPod() == null)) {
        unavailable++;
      } else if (r.newPod() != null) {
        unavailable += available(r.newPod()) ? 0 : 1;
      } else if (!available(r.oldPod())) {
        unavailable++;
        if (mayUpdate(node)) {
          updatesLeft--;
          out.delete(r.oldPod(), node.nodeName(), Reason.of(Reason.Kind.ROLLING_UPDATE_REPLACE_UNAVAILABLE,
              "revision " + hash + ": old pod is not available, replaced at once"));
        }
      } else if (unavailable < budget.maxUnavailable() && controls.inScope(node.nodeName())) {
        candidates.add(new NodeAndPod(node, r.oldPod()));
      }
    }
    int allowed = Math.min(Math.min(Math.max(budget.maxUnavailable() - unavailable, 0), candidates.size()),
        updatesLeft);
    String step = "revision " + hash + ": " + unavailable + " unavailable, replacing " + allowed
        + " more within maxUnavailable " + budget.maxUnavailable() + " of " + budget.desiredNumberScheduled() + " nodes";
    for (NodeAndPod c : candidates.subList(0, allowed)) {
      out.delete(c.pod(), c.node().nodeName(), Reason.of(Reason.Kind.ROLLING_UPDATE, step));
    }
  }

  private void withSurge(List<NodePods> nodes) {
    int surging = 0;
    int availableNodes = 0;
    List<NodeAndPod> offNodeOld = new ArrayList<>();
    List<NodePods> candidates = new ArrayList<>();
    for (NodePods node : nodes) {
      NodeRevisions r = NodeRevisions.of(node, hash);
      if (!r.ok()) {
        surging++;
        continue;
      }
      PodInfo counted = r.oldPod() != null ? r.oldPod() : r.newPod();
      availableNodes += counted != null && available(counted) ? 1 : 0;
      if (r.oldPod() == null) {
        continue;
      }
      if (r.newPod() != null) {
        if (!available(r.newPod())) {
          surging++;
        } else {
          out.delete(r.oldPod(), node.nodeName(), Reason.of(Reason.Kind.SURGE_OLD_POD_RETIRED,
              "new pod " + r.newPod().name() + " of revision " + hash + " is available"));
        }
      } else if (!available(r.oldPod())) {
        if (node.shouldRun() && mayUpdate(node)) {
          updatesLeft--;
          out.create(node.nodeName(), hash, Reason.of(Reason.Kind.SURGE_REPLACE_UNAVAILABLE,
              "revision " + hash + ": old pod " + r.oldPod().name() + " is not available"));
        } else if (!node.shouldRun()) {
          out.delete(r.oldPod(), node.nodeName(), ineligible(node, "old pod not available"));
        }
      } else if (!node.shouldRun()) {
        offNodeOld.add(new NodeAndPod(node, r.oldPod()));
      } else if (surging < budget.maxSurge() && controls.inScope(node.nodeName())) {
        candidates.add(node);
      }
    }
    retireOffNodePods(offNodeOld, availableNodes);
    int allowed = Math.min(Math.min(Math.max(budget.maxSurge() - surging, 0), candidates.size()), updatesLeft);
    String step = "revision " + hash + ": " + surging + " surging, adding " + allowed
        + " more within maxSurge " + budget.maxSurge() + " of " + budget.desiredNumberScheduled() + " nodes";
    for (NodePods node : candidates.subList(0, allowed)) {
      out.create(node.nodeName(), hash, Reason.of(Reason.Kind.SURGE_NEW_POD, step));
    }
  }

  /**
   * With surge the owner expects full availability: an available old pod on a node that should no
   * longer run it goes only while more pods are available than nodes want one.
   */
  private void retireOffNodePods(List<NodeAndPod> offNodeOld, int availableNodes) {
    int deletable = Math.min(Math.max(availableNodes - budget.desiredNumberScheduled(), 0), offNodeOld.size());
    for (NodeAndPod c : offNodeOld.subList(0, deletable)) {
      out.delete(c.pod(), c.node().nodeName(),
          ineligible(c.node(), availableNodes + " pods available for " + budget.desiredNumberScheduled() + " nodes"));
    }
  }

  /** Whether this node's old pod may be replaced now: in scope, and the partition leaves an update to spend. */
  private boolean mayUpdate(NodePods node) {
    return controls.inScope(node.nodeName()) && updatesLeft > 0;
  }

  /**
   * OpenKruise's partition: desired - partition nodes may run the current revision; the nodes that already do
   * (or will, by a creation planned this round) have spent that much.
   */
  private int updatesAllowedByPartition(List<NodePods> nodes) {
    if (controls.partition() == 0) {
      return Integer.MAX_VALUE;
    }
    long updated = nodes.stream().filter(this::updatedOrBeingReplaced).count();
    return (int) Math.max(0, budget.desiredNumberScheduled() - controls.partition() - updated);
  }

  /**
   * A node running the current revision, or whose pods are all being deleted while it should run one: it gets a
   * pod of the current revision next, so the partition already counts it (else every replacement in flight would
   * let one more through).
   */
  private boolean updatedOrBeingReplaced(NodePods n) {
    List<PodInfo> pods = n.listedPods();
    if (pods.stream().anyMatch(p -> !p.deleting() && Availability.updated(p, hash))) {
      return true;
    }
    return n.shouldRun() && !pods.isEmpty() && pods.stream().allMatch(PodInfo::deleting)
        && in.creationHash(n.nodeName()).equals(hash);
  }

  private static Reason ineligible(NodePods node, String why) {
    String detail = node.eligibilityDetail() == null ? why : node.eligibilityDetail() + "; " + why;
    return Reason.of(Reason.Kind.NODE_NO_LONGER_ELIGIBLE, detail);
  }

  private boolean available(PodInfo pod) {
    return Availability.available(pod, minReadySeconds, now);
  }

  private record NodeAndPod(NodePods node, PodInfo pod) {}
}
