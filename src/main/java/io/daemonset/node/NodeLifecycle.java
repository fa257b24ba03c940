package io.daemonset.node;

import io.daemonset.model.Node;
import io.daemonset.model.NodeCondition;
import io.daemonset.model.NodeSpec;
import io.daemonset.model.NodeStatus;
import io.daemonset.model.Pod;
import io.daemonset.model.PodCondition;
import io.daemonset.model.PodStatus;
import io.daemonset.model.Taint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Upstream's node lifecycle controller (pkg/controller/nodelifecycle), as pure functions over the Node:
 * <ul>
 *   <li>the taints its NoSchedule and NoExecute passes keep in step with the node's conditions
 *       ({@link #withConditionTaints}): Ready False → {@code not-ready} NoSchedule and NoExecute; Ready Unknown →
 *       {@code unreachable} NoSchedule and NoExecute; NetworkUnavailable, MemoryPressure, DiskPressure, PIDPressure
 *       True → their key with NoSchedule. A taint is lifted when its condition recovers; daemon pods tolerate the
 *       NoExecute ones and the pressure ones (DaemonTolerations), so they stay, and a node that is not ready takes
 *       no new daemon pod (not-ready NoSchedule is not tolerated): desired counts follow;</li>
 *   <li>for a node whose agent stops heartbeating: after the grace period Ready becomes Unknown
 *       ({@link #unreachable}) and its pods' Ready condition False ({@link #podsNotReady}, upstream's
 *       MarkPodsNotReady). The next heartbeat or lease renewal brings it back ({@link #renewed}).</li>
 * </ul>
 * Invariants: only the taint keys of {@link #OWNED} are touched, every other taint keeps its place; a taint that stays
 * keeps its timeAdded, so a report that changes nothing changes no taint.
 */
public final class NodeLifecycle {
  public static final String UNREACHABLE = "node.kubernetes.io/unreachable";
  public static final String NOT_READY = "node.kubernetes.io/not-ready";
  public static final String NETWORK_UNAVAILABLE = "node.kubernetes.io/network-unavailable";
  public static final String MEMORY_PRESSURE = "node.kubernetes.io/memory-pressure";
  public static final String DISK_PRESSURE = "node.kubernetes.io/disk-pressure";
  public static final String PID_PRESSURE = "node.kubernetes.io/pid-pressure";
  /** The keys this controller owns (upstream's nodeConditionToTaintKeyStatusMap and the NoExecute pass). */
  static final Set<String> OWNED = Set.of(UNREACHABLE, NOT_READY, NETWORK_UNAVAILABLE, MEMORY_PRESSURE, DISK_PRESSURE,
      PID_PRESSURE);

  private NodeLifecycle() {}

  public static boolean isUnreachable(Node node) {
    return node.spec() != null && node.spec().taintsOrEmpty().stream().anyMatch(t -> UNREACHABLE.equals(t.key()));
  }

  /**
   * The node with the lifecycle taints its conditions call for. A node without a Ready condition (no agent reports
   * it) gets none for readiness: nobody would ever lift them.
   */
  public static Node withConditionTaints(Node node, Instant now) {
    List<Taint> wanted = wantedTaints(node);
    List<Taint> current = node.spec() == null ? List.of() : node.spec().taintsOrEmpty();
    List<Taint> next = new ArrayList<>();
    for (Taint t : current) {
      if (!OWNED.contains(t.key()) || wanted.stream().anyMatch(w -> same(w, t))) {
        next.add(t);
      }
    }
    for (Taint w : wanted) {
      if (next.stream().noneMatch(t -> same(w, t))) {
        next.add(new Taint(w.key(), null, w.effect(), now));
      }
    }
    if (next.equals(current)) {
      return node;
    }
    NodeSpec spec = node.spec() == null ? new NodeSpec(null, null, null, null) : node.spec();
    return node.withSpec(new NodeSpec(spec.podCIDR(), spec.providerID(), spec.unschedulable(),
        next.isEmpty() ? null : List.copyOf(next)));
  }

  private static List<Taint> wantedTaints(Node node) {
    List<Taint> out = new ArrayList<>();
    for (NodeCondition c : node.status() == null ? List.<NodeCondition>of() : node.status().conditionsOrEmpty()) {
      switch (c.type()) {
        case "Ready" -> {
          String key = "False".equals(c.status()) ? NOT_READY : "Unknown".equals(c.status()) ? UNREACHABLE : null;
          if (key != null) {
            out.add(Taint.of(key, null, Taint.NO_SCHEDULE));
            out.add(Taint.of(key, null, Taint.NO_EXECUTE));
          }
        }
        case "NetworkUnavailable" -> whenTrue(c, NETWORK_UNAVAILABLE, out);
        case "MemoryPressure" -> whenTrue(c, MEMORY_PRESSURE, out);
        case "DiskPressure" -> whenTrue(c, DISK_PRESSURE, out);
        case "PIDPressure" -> whenTrue(c, PID_PRESSURE, out);
        default -> { }
      }
    }
    return out;
  }

  private static void whenTrue(NodeCondition c, String key, List<Taint> out) {
    if ("True".equals(c.status())) {
      out.add(Taint.of(key, null, Taint.NO_SCHEDULE));
    }
  }

  private static boolean same(Taint a, Taint b) {
    return a.key().equals(b.key()) && a.effect().equals(b.effect());
  }

  /** The node as the control plane marks it when its agent went silent: Ready Unknown, and its taints. */
  public static Node unreachable(Node node, Instant now) {
    List<NodeCondition> conditions = new ArrayList<>();
    NodeStatus status = node.status();
    for (NodeCondition c : status.conditionsOrEmpty()) {
      conditions.add("Ready".equals(c.type())
          ? new NodeCondition("Ready", "Unknown", c.lastHeartbeatTime(), now, "NodeStatusUnknown",
              "Kubelet stopped posting node status.")
          : c);
    }
    return withConditionTaints(node.withStatus(new NodeStatus(status.capacity(), status.allocatable(), conditions,
        status.addresses(), status.nodeInfo())), now);
  }

  /**
   * The node whose agent was heard again (a lease renewal, a re-registration) after going silent: the Ready condition
   * that {@link #unreachable} set to Unknown back to True, and the taints that follow. kubelet would post that status
   * within one period itself (it compares what it would report with what the API holds); the lease-renewing agent
   * reports status only when due.
   */
  public static Node renewed(Node node, Instant now) {
    NodeStatus status = node.status();
    if (status == null) {
      return withConditionTaints(node, now);
    }
    List<NodeCondition> conditions = new ArrayList<>();
    for (NodeCondition c : status.conditionsOrEmpty()) {
      conditions.add("Ready".equals(c.type()) && "Unknown".equals(c.status())
          ? new NodeCondition("Ready", "True", now, now, "KubeletReady", "kubelet is posting ready status")
          : c);
    }
    return withConditionTaints(node.withStatus(new NodeStatus(status.capacity(), status.allocatable(), conditions,
        status.addresses(), status.nodeInfo())), now);
  }

  /**
   * Upstream's MarkPodsNotReady, for a node gone unreachable: each pod bound to it whose Ready condition is not False
   * gets it False (transition now, reason and message kept as upstream keeps them); by pod key, only those that change.
   */
  public static Map<String, PodStatus> podsNotReady(Map<String, Pod> pods, String nodeName, Instant now) {
    Map<String, PodStatus> out = new LinkedHashMap<>();
    pods.forEach((key, pod) -> {
      if (pod.spec() == null || !nodeName.equals(pod.spec().nodeName()) || pod.status() == null) {
        return;
      }
      List<PodCondition> conditions = pod.status().conditionsOrEmpty();
      List<PodCondition> next = new ArrayList<>(conditions.size());
      boolean changed = false;
      for (PodCondition c : conditions) {
        if ("Ready".equals(c.type()) && !"False".equals(c.status())) {
          next.add(new PodCondition(c.type(), "False", c.lastProbeTime(), now, c.reason(), c.message()));
          changed = true;
        } else {
          next.add(c);
        }
      }
      if (changed) {
        out.put(key, pod.status().withConditions(List.copyOf(next)));
      }
    });
    return out;
  }
}
