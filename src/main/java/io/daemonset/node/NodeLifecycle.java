package io.daemonset.node;

import io.daemonset.model.Node;
import io.daemonset.model.NodeCondition;
import io.daemonset.model.NodeSpec;
import io.daemonset.model.NodeStatus;
import io.daemonset.model.Taint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Upstream's node lifecycle, for nodes whose agent stops heartbeating: after the grace period the Ready
 * condition becomes Unknown and the node gets the unreachable taints (NoSchedule and NoExecute); daemon
 * pods tolerate both and stay. The next heartbeat clears them. Pure functions over the Node.
 */
public final class NodeLifecycle {
  public static final String UNREACHABLE = "node.kubernetes.io/unreachable";

  private NodeLifecycle() {}

  public static boolean isUnreachable(Node node) {
    return node.spec() != null && node.spec().taintsOrEmpty().stream().anyMatch(t -> UNREACHABLE.equals(t.key()));
  }

  /** The node as the control plane marks it when its agent went silent. */
  public static Node unreachable(Node node, Instant now) {
    List<NodeCondition> conditions = new ArrayList<>();
    NodeStatus status = node.status();
    for (NodeCondition c : status.conditionsOrEmpty()) {
      conditions.add("Ready".equals(c.type())
          ? new NodeCondition("Ready", "Unknown", c.lastHeartbeatTime(), now, "NodeStatusUnknown",
              "Kubelet stopped posting node status.")
          : c);
    }
    List<Taint> taints = new ArrayList<>(withoutUnreachable(node));
    taints.add(new Taint(UNREACHABLE, null, Taint.NO_SCHEDULE, now));
    taints.add(new Taint(UNREACHABLE, null, Taint.NO_EXECUTE, now));
    NodeSpec spec = node.spec() == null ? new NodeSpec(null, null, null, null) : node.spec();
    return node.withSpec(new NodeSpec(spec.podCIDR(), spec.providerID(), spec.unschedulable(), taints))
        .withStatus(new NodeStatus(status.capacity(), status.allocatable(), conditions, status.addresses(),
            status.nodeInfo()));
  }

  /** The node with the unreachable taints lifted, as the next heartbeat does. */
  public static Node reachable(Node node) {
    if (!isUnreachable(node)) {
      return node;
    }
    List<Taint> taints = withoutUnreachable(node);
    NodeSpec spec = node.spec();
    return node.withSpec(new NodeSpec(spec.podCIDR(), spec.providerID(), spec.unschedulable(),
        taints.isEmpty() ? null : taints));
  }

  /**
   * The node whose agent renewed its lease after going silent: reachable again, and the Ready condition that
   * {@link #unreachable} set to Unknown back to True. kubelet would post that status within one period itself (it
   * compares what it would report with what the API holds); the lease-renewing agent reports status only when due.
   */
  public static Node renewed(Node node, Instant now) {
    Node back = reachable(node);
    NodeStatus status = back.status();
    if (status == null) {
      return back;
    }
    List<NodeCondition> conditions = new ArrayList<>();
    for (NodeCondition c : status.conditionsOrEmpty()) {
      conditions.add("Ready".equals(c.type()) && "Unknown".equals(c.status())
          ? new NodeCondition("Ready", "True", now, now, "KubeletReady", "kubelet is posting ready status")
          : c);
    }
    return back.withStatus(new NodeStatus(status.capacity(), status.allocatable(), conditions, status.addresses(),
        status.nodeInfo()));
  }

  private static List<Taint> withoutUnreachable(Node node) {
    return node.spec() == null ? List.of()
        : node.spec().taintsOrEmpty().stream().filter(t -> !UNREACHABLE.equals(t.key())).toList();
  }
}
