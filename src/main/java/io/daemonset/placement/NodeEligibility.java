package io.daemonset.placement;

import io.daemonset.model.DaemonSet;
import io.daemonset.model.Node;
import io.daemonset.model.PodSpec;
import io.daemonset.model.Taint;
import io.daemonset.model.Toleration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Which nodes run a DaemonSet's pod: upstream's {@code NodeShouldRunDaemonPod} and its {@code predicates}.
 *
 * <p>The pod is judged as the controller would create it: the template spec plus the automatic daemon
 * tolerations ({@link DaemonTolerations}). In order:
 * <ol>
 *   <li>a template {@code nodeName} naming another node: neither run nor continue;</li>
 *   <li>nodeSelector or required node affinity not matching: neither run nor continue;</li>
 *   <li>an untolerated NoSchedule or NoExecute taint: do not run; continue unless a NoExecute one is among them
 *       (a running pod survives a new NoSchedule taint, as the scheduler would let it); PreferNoSchedule is
 *       ignored.</li>
 * </ol>
 * {@code spec.unschedulable} is deliberately not consulted: daemon pods run on cordoned nodes (they tolerate
 * {@code node.kubernetes.io/unschedulable:NoSchedule}). Resources are not checked here either; upstream leaves
 * that to the scheduler and this project to node admission ({@link ResourceFit}).
 */
public final class NodeEligibility {

  private NodeEligibility() {}

  public static Eligibility evaluate(Node node, DaemonSet ds) {
    return judge(ds).apply(node);
  }

  /**
   * {@link #evaluate} for many nodes of one DaemonSet: the pod's spec with the daemon tolerations is built once, not
   * once per node (a reconcile judges the whole fleet).
   */
  public static java.util.function.Function<Node, Eligibility> judge(DaemonSet ds) {
    PodSpec template = templateSpec(ds);
    PodSpec tolerating = DaemonTolerations.withDaemonTolerations(template);
    return node -> evaluate(node, template, tolerating);
  }

  private static Eligibility evaluate(Node node, PodSpec template, PodSpec tolerating) {
    String nodeName = node.name() == null ? "" : node.name();
    String wanted = template.nodeName();
    if (wanted != null && !wanted.isEmpty() && !wanted.equals(nodeName)) {
      return Eligibility.ineligible("template nodeName " + wanted + " is another node");
    }
    PodSpec pod = tolerating.withNodeName(nodeName);
    RequiredNodeAffinity.Result affinity = RequiredNodeAffinity.match(pod, node);
    if (!affinity.matches()) {
      return Eligibility.ineligible(affinity.reason());
    }
    List<Taint> taints = node.spec() == null ? List.of() : node.spec().taintsOrEmpty();
    List<Taint> untolerated = TaintToleration.untolerated(taints, pod.tolerationsOrEmpty(),
        t -> Taint.NO_SCHEDULE.equals(t.effect()) || Taint.NO_EXECUTE.equals(t.effect()));
    if (untolerated.isEmpty()) {
      return Eligibility.ELIGIBLE;
    }
    boolean evicting = untolerated.stream().anyMatch(t -> Taint.NO_EXECUTE.equals(t.effect()));
    String names = untolerated.stream().map(TaintToleration::format).collect(Collectors.joining(", "));
    return new Eligibility(false, !evicting, (untolerated.size() == 1 ? "untolerated taint " : "untolerated taints ")
        + names);
  }

  /** True when any toleration tolerates the taint (upstream {@code ToleratesTaint}, ORed). */
  public static boolean tolerates(List<Toleration> tolerations, Taint taint) {
    return TaintToleration.tolerates(tolerations, taint);
  }

  private static PodSpec templateSpec(DaemonSet ds) {
    if (ds.spec() == null || ds.spec().template() == null || ds.spec().template().spec() == null) {
      return PodSpec.of(List.of());
    }
    return ds.spec().template().spec();
  }
}
