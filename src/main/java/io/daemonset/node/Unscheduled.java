package io.daemonset.node;

import io.daemonset.model.Pod;
import io.daemonset.model.PodCondition;
import io.daemonset.model.PodStatus;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * A daemon pod that does not fit its node stays Pending with {@code PodScheduled=False, reason Unschedulable} and
 * the scheduler's message, unbound (no spec.nodeName: no agent runs it; its required node affinity still names
 * the node), until room frees up and the node binds it. Pure functions over the Pod.
 */
final class Unscheduled {
  static final String UNSCHEDULABLE = "Unschedulable";

  private Unscheduled() {}

  static Pod pending(Pod pod, String message, Instant now) {
    PodCondition scheduled = new PodCondition("PodScheduled", "False", null, now, UNSCHEDULABLE, message);
    return pod.withSpec(pod.spec().withNodeName(null))
        .withStatus(new PodStatus("Pending", List.of(scheduled), null, null, null, null, null, null));
  }

  static Pod bound(Pod pod, String nodeName) {
    return pod.withSpec(pod.spec().withNodeName(nodeName)).withStatus(PodStatus.pending());
  }

  static boolean isWaiting(Pod pod) {
    return pod.spec() != null && pod.spec().nodeName() == null && pod.metadata().deletionTimestamp() == null;
  }

  /** Waiting pods, oldest first (the scheduler's queue order for equal priorities). */
  static List<Pod> waiting(Collection<Pod> pods) {
    return pods.stream().filter(Unscheduled::isWaiting)
        .sorted(Comparator.comparing((Pod p) -> p.metadata().creationTimestamp(),
            Comparator.nullsFirst(Comparator.naturalOrder())).thenComparing(p -> p.metadata().name()))
        .toList();
  }
}
