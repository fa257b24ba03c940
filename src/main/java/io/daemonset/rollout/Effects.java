package io.daemonset.rollout;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The effects one plan accumulates, local to a single {@link RolloutPlanner#plan} call. Mutable only
 * inside that call; what leaves it is the immutable {@link RolloutPlan}.
 */
final class Effects {
  private final List<PodCreation> creations = new ArrayList<>();
  private final List<PodDeletion> deletions = new ArrayList<>();
  private final Set<String> deleted = new HashSet<>();
  private final Set<String> nodesWithDeletions = new HashSet<>();
  private final Map<String, Backoff> backoffs;
  private Instant requeueAt;

  Effects(Map<String, Backoff> backoffs) {
    this.backoffs = new HashMap<>(backoffs);
  }

  void create(String nodeName, String hash, Reason reason) {
    creations.add(new PodCreation(nodeName, hash, reason));
  }

  void delete(PodInfo pod, String nodeName, Reason reason) {
    if (deleted.add(pod.name())) {
      nodesWithDeletions.add(nodeName);
      deletions.add(new PodDeletion(pod.name(), nodeName, reason));
    }
  }

  Map<String, Backoff> backoffs() {
    return backoffs;
  }

  void requeueNoLaterThan(Instant at) {
    if (requeueAt == null || at.isBefore(requeueAt)) {
      requeueAt = at;
    }
  }

  /**
   * The nodes as they will be once the effects so far are applied: deleted pods marked deleting,
   * each planned creation a new pod that is not ready yet. The rolling update plans on this view,
   * so that one plan does what upstream does in a manage pass and the rolling-update pass after it. A node without
   * effects is the same object in the projection (most nodes, most rounds).
   */
  List<NodePods> project(List<NodePods> nodes, Instant now) {
    Map<String, List<PodInfo>> planned = new LinkedHashMap<>();
    for (PodCreation c : creations) {
      List<PodInfo> onNode = planned.computeIfAbsent(c.nodeName(), n -> new ArrayList<>());
      String name = "(planned " + c.nodeName() + " #" + (onNode.size() + 1) + ")";
      onNode.add(new PodInfo(name, c.revisionHash(), now, false, null, false, PodInfo.PENDING));
    }
    List<NodePods> projected = new ArrayList<>(nodes.size());
    for (NodePods node : nodes) {
      if (!nodesWithDeletions.contains(node.nodeName()) && !planned.containsKey(node.nodeName())) {
        projected.add(node);
        continue;
      }
      List<PodInfo> pods = new ArrayList<>();
      for (PodInfo pod : node.pods()) {
        pods.add(deleted.contains(pod.name()) ? pod.markedDeleting() : pod);
      }
      pods.addAll(planned.getOrDefault(node.nodeName(), List.of()));
      projected.add(node.withPods(pods));
    }
    return projected;
  }

  RolloutPlan toPlan(Instant now) {
    backoffs.values().removeIf(b -> b.staleAt(now));
    return new RolloutPlan(creations, deletions, backoffs, Optional.ofNullable(requeueAt));
  }
}
