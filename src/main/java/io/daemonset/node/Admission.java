package io.daemonset.node;

import io.daemonset.model.Node;
import io.daemonset.model.Pod;
import io.daemonset.model.PodSpec;
import io.daemonset.model.Taint;
import io.daemonset.placement.FitResult;
import io.daemonset.placement.HostPorts;
import io.daemonset.placement.ResourceFit;
import io.daemonset.placement.TaintToleration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a pod fits its node now, as the scheduler's filters decide it for one node: taints (NoSchedule and
 * NoExecute the pod does not tolerate: a taint added after the DaemonSet decided), resources, and host ports
 * (upstream's NodePorts). The answer is the scheduler's reason for a pod that stays Pending, or empty. Pure.
 */
public final class Admission {
  private Admission() {}

  /** Pods that take the node's resources and ports: scheduled on it and not finished. */
  static List<Pod> occupying(Collection<Pod> pods) {
    return pods.stream().filter(p -> p.spec() != null && p.spec().nodeName() != null && !isTerminal(p)).toList();
  }

  /** The reasons the pod does not fit (upstream's wording), empty when it fits. */
  public static Optional<String> unschedulable(Node node, Collection<Pod> admitted, Pod pod) {
    List<String> reasons = new ArrayList<>();
    List<Taint> taints = node.spec() == null ? List.of() : node.spec().taintsOrEmpty();
    List<Taint> untolerated = TaintToleration.untolerated(taints, pod.spec().tolerations(),
        t -> Taint.NO_SCHEDULE.equals(t.effect()) || Taint.NO_EXECUTE.equals(t.effect()));
    if (!untolerated.isEmpty()) {
      Taint t = untolerated.get(0);
      reasons.add("node(s) had untolerated taint {" + t.key() + (t.value() == null ? "" : ": " + t.value()) + "}");
    }
    List<Pod> occupying = occupying(admitted);
    FitResult fit = ResourceFit.check(node.status() == null ? Map.of() : node.status().allocatableOrCapacity(),
        occupying.stream().map(p -> ResourceFit.podRequests(p.spec())).toList(), ResourceFit.podRequests(pod.spec()));
    if (!fit.fits()) {
      reasons.addAll(fit.insufficient());
    }
    List<PodSpec> specs = occupying.stream().map(Pod::spec).toList();
    if (HostPorts.conflict(specs, pod.spec())) {
      reasons.add("node(s) didn't have free ports for the requested pod ports");
    }
    return reasons.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", reasons));
  }

  /** The PodScheduled condition's message, as the scheduler writes it for one candidate node. */
  public static String message(String reasons) {
    return "0/1 nodes are available: 1 " + reasons + ".";
  }

  /**
   * The node a pod is for: spec.nodeName once bound, else the node its required affinity names
   * ({@code matchFields metadata.name In [node]}, as a DaemonSet's pod carries it): upstream's GetTargetNodeName.
   */
  public static String targetNode(Pod pod) {
    if (pod.spec() == null) {
      return null;
    }
    if (pod.spec().nodeName() != null) {
      return pod.spec().nodeName();
    }
    var affinity = pod.spec().affinity();
    if (affinity == null || affinity.nodeAffinity() == null
        || affinity.nodeAffinity().requiredDuringSchedulingIgnoredDuringExecution() == null) {
      return null;
    }
    for (var term : affinity.nodeAffinity().requiredDuringSchedulingIgnoredDuringExecution().termsOrEmpty()) {
      for (var field : term.matchFields() == null ? List.<io.daemonset.model.NodeSelectorRequirement>of()
          : term.matchFields()) {
        if ("metadata.name".equals(field.key()) && "In".equals(field.operator()) && field.valuesOrEmpty().size() == 1) {
          return field.valuesOrEmpty().get(0);
        }
      }
    }
    return null;
  }

  static boolean isTerminal(Pod pod) {
    String phase = pod.status() == null ? null : pod.status().phase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }
}
