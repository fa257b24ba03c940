package io.daemonset.rollout;

import java.util.List;
import java.util.Objects;

/**
 * One node as the planner sees it: whether it exists, its eligibility (computed by package placement,
 * upstream NodeShouldRunDaemonPod) and the daemon pods bound to it.
 *
 * <p>{@code shouldRun} implies {@code shouldContinueRunning}, as upstream guarantees; the constructor
 * enforces it. {@code eligibilityDetail} is placement's explanation ("untolerated taint
 * dedicated=user1:NoExecute"), copied into the audit reason of any pod removed because of it.
 * {@code exists} is false for a node that has left the cluster but still has pods bound to it.
 * {@code nodeReady} is false while the node is NotReady or unreachable: its pods' unavailability is then the
 * node's doing, not the rollout's.
 */
public record NodePods(
    String nodeName,
    boolean exists,
    boolean shouldRun,
    boolean shouldContinueRunning,
    String eligibilityDetail,
    List<PodInfo> pods,
    boolean nodeReady) {

  public NodePods(String nodeName, boolean exists, boolean shouldRun, boolean shouldContinueRunning,
                  String eligibilityDetail, List<PodInfo> pods) {
    this(nodeName, exists, shouldRun, shouldContinueRunning, eligibilityDetail, pods, true);
  }

  public NodePods {
    Objects.requireNonNull(nodeName, "nodeName");
    shouldRun = exists && shouldRun;
    shouldContinueRunning = exists && (shouldContinueRunning || shouldRun);
    pods = pods == null ? List.of() : List.copyOf(pods);
  }

  /** The shape other packages code against: an existing node. */
  public NodePods(String nodeName, boolean shouldRun, boolean shouldContinueRunning, List<PodInfo> pods) {
    this(nodeName, true, shouldRun, shouldContinueRunning, null, pods);
  }

  /** A node that no longer exists; its pods can only be removed. */
  public static NodePods gone(String nodeName, List<PodInfo> pods) {
    return new NodePods(nodeName, false, false, false, "node no longer exists", pods);
  }

  public NodePods withEligibilityDetail(String detail) {
    return new NodePods(nodeName, exists, shouldRun, shouldContinueRunning, detail, pods, nodeReady);
  }

  public NodePods withPods(List<PodInfo> value) {
    return new NodePods(nodeName, exists, shouldRun, shouldContinueRunning, eligibilityDetail, value, nodeReady);
  }

  public NodePods withNodeReady(boolean value) {
    return new NodePods(nodeName, exists, shouldRun, shouldContinueRunning, eligibilityDetail, pods, value);
  }

  /**
   * The pods upstream's getNodesToDaemonPods would list: all but those both deleted and terminal. Every planning pass
   * asks this of every node, so the common answer (all of them) is the list itself, without a copy.
   */
  public List<PodInfo> listedPods() {
    for (int i = 0; i < pods.size(); i++) {
      if (pods.get(i).deletedAndTerminal()) {
        return pods.stream().filter(p -> !p.deletedAndTerminal()).toList();
      }
    }
    return pods;
  }
}
