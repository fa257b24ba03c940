package io.daemonset.node;

import io.daemonset.model.Cause;
import io.daemonset.model.Pod;

/**
 * How a node tells a pod's owner that the pod changed, without naming the owner's type: the
 * daemonset package supplies the implementation (a message to the owning DaemonSet entity).
 */
@FunctionalInterface
public interface PodObserver {

  /**
   * @param ownerKey "namespace/name" of the controlling owner
   * @param pod the pod as it is now, or null when it is gone from the node
   */
  void podChanged(String ownerKey, String nodeName, String podName, Pod pod, Cause cause);

  PodObserver NONE = (ownerKey, nodeName, podName, pod, cause) -> { };
}
