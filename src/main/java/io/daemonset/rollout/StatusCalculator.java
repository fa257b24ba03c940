package io.daemonset.rollout;

import io.daemonset.model.DaemonSetStatus;
import java.time.Instant;
import java.util.List;

/**
 * The DaemonSet status counters, exactly as upstream updateDaemonSetStatus counts them.
 *
 * <p>Only nodes that exist count. A node "has" a pod when any pod is listed on it (upstream lists
 * pods being deleted too, unless they have also stopped). Readiness, availability and revision are
 * judged on the oldest pod of each node, so a surging node counts as not updated until its old pod
 * is gone. numberUnavailable is desired − available. observedGeneration, collisionCount and conditions
 * are left null: they are the caller's.
 */
public final class StatusCalculator {

  private StatusCalculator() {}

  public static DaemonSetStatus compute(List<NodePods> nodes, String currentHash, int minReadySeconds, Instant now) {
    int desired = 0;
    int current = 0;
    int misscheduled = 0;
    int ready = 0;
    int available = 0;
    int updated = 0;
    for (NodePods node : nodes) {
      if (!node.exists()) {
        continue;
      }
      List<PodInfo> pods = node.listedPods();
      if (!node.shouldRun()) {
        misscheduled += pods.isEmpty() ? 0 : 1;
        continue;
      }
      desired++;
      if (pods.isEmpty()) {
        continue;
      }
      current++;
      PodInfo oldest = pods.get(0);
      for (int i = 1; i < pods.size(); i++) {
        oldest = Availability.OLDEST_FIRST.compare(pods.get(i), oldest) < 0 ? pods.get(i) : oldest;
      }
      if (oldest.ready()) {
        ready++;
        available += Availability.available(oldest, minReadySeconds, now) ? 1 : 0;
      }
      updated += Availability.updated(oldest, currentHash) ? 1 : 0;
    }
    return new DaemonSetStatus(current, misscheduled, desired, ready, null, updated, available,
        desired - available, null, null);
  }

  public static DaemonSetStatus compute(RolloutInput in) {
    return compute(in.nodes(), in.currentHash(), in.minReadySeconds(), in.now());
  }
}
