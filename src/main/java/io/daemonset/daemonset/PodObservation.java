package io.daemonset.daemonset;

import io.daemonset.model.Cause;
import io.daemonset.model.ContainerStatus;
import io.daemonset.model.Pod;
import io.daemonset.model.PodCondition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Which changes of a pod a DaemonSet records: its phase, readiness (and since when), and termination. */
final class PodObservation {
  private PodObservation() {}

  /** The event to persist, or null when nothing the DaemonSet decides on has changed. */
  static DaemonSetEntity.PodObserved of(PodBinding binding, Pod pod, Cause cause, Instant now) {
    String phase = pod.status() == null || pod.status().phase() == null ? "Pending" : pod.status().phase();
    PodCondition ready = pod.status() == null ? null : pod.status().conditionsOrEmpty().stream()
        .filter(c -> "Ready".equals(c.type())).findFirst().orElse(null);
    boolean isReady = ready != null && "True".equals(ready.status());
    Instant readySince = null;
    if (isReady) {
      readySince = binding.readySince() != null ? binding.readySince()
          : ready.lastTransitionTime() != null ? ready.lastTransitionTime() : now;
    }
    String waiting = isReady ? null : waitingReason(pod);
    boolean terminating = pod.metadata().deletionTimestamp() != null;
    boolean wasTerminating = binding.phase() == PodBinding.Phase.TERMINATING;
    boolean changed = !Objects.equals(phase, binding.podPhase())
        || !Objects.equals(readySince, binding.readySince())
        || !Objects.equals(waiting, binding.waitingReason())
        || terminating != wasTerminating
        || binding.phase() == PodBinding.Phase.SCHEDULED;
    if (!changed) {
      return null;
    }
    String why = "pod " + pod.metadata().name() + " on node " + binding.nodeName() + " is " + phase
        + (isReady ? ", ready" : ", not ready") + (waiting == null ? "" : " (" + waiting + ")")
        + (terminating ? ", terminating" : "");
    return new DaemonSetEntity.PodObserved(binding.podName(), phase, readySince, terminating, cause.because(why),
        waiting);
  }

  /**
   * Why a pod that is not ready waits: the first container waiting for a reason kubelet gives (CrashLoopBackOff),
   * or the scheduler's Unschedulable. Only these two are kept: the rollout's failure detection and the unavailable
   * breakdown read nothing else, and every other reason (ContainerCreating…) would only add writes.
   */
  static String waitingReason(Pod pod) {
    if (pod.status() == null) {
      return null;
    }
    for (PodCondition c : pod.status().conditionsOrEmpty()) {
      if ("PodScheduled".equals(c.type()) && "False".equals(c.status()) && "Unschedulable".equals(c.reason())) {
        return "Unschedulable";
      }
    }
    List<ContainerStatus> all = new ArrayList<>();
    if (pod.status().initContainerStatuses() != null) {
      all.addAll(pod.status().initContainerStatuses());
    }
    if (pod.status().containerStatuses() != null) {
      all.addAll(pod.status().containerStatuses());
    }
    for (ContainerStatus s : all) {
      if (s.state() != null && s.state().waiting() != null
          && "CrashLoopBackOff".equals(s.state().waiting().reason())) {
        return "CrashLoopBackOff";
      }
    }
    return null;
  }
}
