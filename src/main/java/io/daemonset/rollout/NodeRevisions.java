package io.daemonset.rollout;

/**
 * The pods on one node that are not being deleted, split by revision: upstream
 * findUpdatedPodsOnNode. {@code ok} is false when the node holds two pods of one kind; the rolling
 * update then leaves it to manage, which prunes the extra pod.
 */
record NodeRevisions(PodInfo newPod, PodInfo oldPod, boolean ok) {

  static NodeRevisions of(NodePods node, String hash) {
    PodInfo newPod = null;
    PodInfo oldPod = null;
    for (PodInfo pod : node.listedPods()) {
      if (pod.deleting()) {
        continue;
      }
      if (Availability.updated(pod, hash)) {
        if (newPod != null) {
          return new NodeRevisions(null, null, false);
        }
        newPod = pod;
      } else {
        if (oldPod != null) {
          return new NodeRevisions(null, null, false);
        }
        oldPod = pod;
      }
    }
    return new NodeRevisions(newPod, oldPod, true);
  }
}
