package io.daemonset.model;

/**
 * Why the pods a DaemonSet wants are unavailable, per cause (kubernetes/kubernetes#139226): the rollout's doing (a
 * new pod not ready yet, or none yet; crash-looping pods) versus the node's (NotReady or unreachable; no room, the
 * pod waiting Unschedulable). They add up to status.numberUnavailable.
 */
public record UnavailableCounts(int rollout, int crashLooping, int nodeNotReady, int noRoom) {

  public static final UnavailableCounts NONE = new UnavailableCounts(0, 0, 0, 0);

  public int total() {
    return rollout + crashLooping + nodeNotReady + noRoom;
  }
}
