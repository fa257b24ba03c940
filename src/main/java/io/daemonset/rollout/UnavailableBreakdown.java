package io.daemonset.rollout;

import io.daemonset.model.UnavailableCounts;
import java.time.Instant;
import java.util.List;

/**
 * Why the pods a DaemonSet wants are unavailable, per cause (kubernetes/kubernetes#139226): the rollout's doing
 * (a new pod not ready yet, or none yet, and crash-looping pods) versus the node's (NotReady or unreachable, or no
 * room: the pod waits Unschedulable). Each unavailable node counts once, under the first cause that applies in
 * the order node, no room, crash loop, rollout. The four add up to status.numberUnavailable.
 */
public final class UnavailableBreakdown {

  private UnavailableBreakdown() {}

  /** Judged, as status is, on the oldest pod of each node that should run one. */
  public static UnavailableCounts of(List<NodePods> nodes, int minReadySeconds, Instant now) {
    int rollout = 0;
    int crash = 0;
    int node = 0;
    int room = 0;
    for (NodePods n : nodes) {
      if (!n.exists() || !n.shouldRun()) {
        continue;
      }
      PodInfo oldest = n.listedPods().stream().min(Availability.OLDEST_FIRST).orElse(null);
      if (oldest != null && Availability.available(oldest, minReadySeconds, now)) {
        continue;
      }
      if (!n.nodeReady()) {
        node++;
      } else if (oldest != null && PodInfo.UNSCHEDULABLE.equals(oldest.waitingReason())) {
        room++;
      } else if (oldest != null && oldest.crashLooping()) {
        crash++;
      } else {
        rollout++;
      }
    }
    return new UnavailableCounts(rollout, crash, node, room);
  }
}
