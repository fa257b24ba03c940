package io.daemonset.view;

import io.daemonset.daemonset.DaemonSetEntity;
import io.daemonset.daemonset.DaemonSetState;
import io.daemonset.model.Cause;
import io.daemonset.model.DaemonSet;
import io.daemonset.model.Event;
import io.daemonset.model.ObjectMeta;
import io.daemonset.model.ObjectReference;
import io.daemonset.model.Pod;
import io.daemonset.node.NodeEntity;
import java.util.ArrayList;
import java.util.List;

/**
 * Kubernetes Events derived from the journal, with upstream's reasons, so that kubectl describe ds and
 * kubectl get events tell what the controller did. The journal stays the record; these are its summary.
 */
final class KubeEvents {
  static final int RETAINED = 5_000;
  private static final Event.EventSource SOURCE = new Event.EventSource("daemonset-controller", null);
  private static final Event.EventSource SCHEDULER = new Event.EventSource("default-scheduler", null);

  List<Event> derive(DaemonSetState before, DaemonSetEntity.Event event, long ordering) {
    DaemonSet ds = before.daemonSet();
    if (ds == null) {
      return List.of();
    }
    List<Event> out = new ArrayList<>();
    derive(before, event, ordering, out);
    return out;
  }

  private void derive(DaemonSetState before, DaemonSetEntity.Event event, long ordering, List<Event> out) {
    DaemonSet ds = before.daemonSet();
    if (event instanceof DaemonSetEntity.PodsAnswered e) {
      DaemonSetState state = before;
      for (DaemonSetEntity.Event answer : e.events()) {
        derive(state, answer, ordering, out);
        state = state.apply(answer);
      }
    } else if (event instanceof DaemonSetEntity.PodsScheduled e) {
      for (DaemonSetEntity.ScheduledPod pod : e.pods()) {
        out.add(event(ds, ordering, out.size(), "Normal", "SuccessfulCreate", "Created pod: " + pod.podName(), e.cause()));
      }
    } else if (event instanceof DaemonSetEntity.PodsDeletionRequested e) {
      for (DaemonSetEntity.PodDeletion pod : e.pods()) {
        out.add(event(ds, ordering, out.size(), "Normal", "SuccessfulDelete",
            "Deleted pod: " + pod.podName() + " (" + pod.why() + ")", e.cause()));
      }
    } else if (event instanceof DaemonSetEntity.PodRejected e) {
      out.add(event(ds, ordering, out.size(), "Warning", "FailedPlacement",
          "failed to place pod on \"" + e.nodeName() + "\": " + e.reason(), e.cause()));
    } else if (event instanceof DaemonSetEntity.RolloutFailed e) {
      out.add(event(ds, ordering, out.size(), "Warning", e.reason(), rolloutFailed(before, e), e.cause()));
    } else if (event instanceof DaemonSetEntity.CanaryPassed e) {
      out.add(event(ds, ordering, out.size(), "Normal", "CanaryPassed", e.cause().reason(), e.cause()));
    } else if (event instanceof DaemonSetEntity.PodObserved e && finishedNow(before, e)) {
      // upstream's messages (daemon_controller.go podsShouldBeOnNode)
      String pod = ds.metadata().namespace() + "/" + e.podName() + " on node " + nodeOf(before, e.podName());
      out.add("Failed".equals(e.podPhase())
          ? event(ds, ordering, out.size(), "Warning", "FailedDaemonPod", "Found failed daemon pod " + pod
              + ", will try to kill it", e.cause())
          : event(ds, ordering, out.size(), "Normal", "SucceededDaemonPod", "Found succeeded daemon pod " + pod
              + ", will try to delete it", e.cause()));
    }
  }

  /**
   * The scheduler's FailedScheduling, on the Pod, for a daemon pod its node admitted as Pending because it does not
   * fit (PodScheduled=False, Unschedulable, with the scheduler's message): once per pod, as the admission happens once.
   */
  List<Event> derive(NodeEntity.Event event, long ordering) {
    if (!(event instanceof NodeEntity.PodAdmitted e) || e.pod().status() == null) {
      return List.of();
    }
    Pod pod = e.pod();
    return pod.status().conditionsOrEmpty().stream()
        .filter(c -> "PodScheduled".equals(c.type()) && "False".equals(c.status())
            && "Unschedulable".equals(c.reason()))
        .findFirst()
        .map(c -> {
          ObjectMeta meta = ObjectMeta.named(pod.metadata().namespace(), pod.metadata().name() + "."
              + Long.toHexString(ordering)).withCreationTimestamp(e.cause().at())
              .withUid(pod.metadata().uid() + "-" + ordering);
          ObjectReference involved = new ObjectReference("v1", Pod.KIND, pod.metadata().namespace(),
              pod.metadata().name(), pod.metadata().uid(), null, null);
          return List.of(new Event("v1", "Event", meta, involved, "FailedScheduling", c.message(), SCHEDULER,
              e.cause().at(), e.cause().at(), 1, "Warning", SCHEDULER.component(), e.cause().actor()));
        })
        .orElse(List.of());
  }

  /** The pod has just reached Failed or Succeeded (once per pod, not on every later observation). */
  static boolean finishedNow(DaemonSetState before, DaemonSetEntity.PodObserved e) {
    if (!"Failed".equals(e.podPhase()) && !"Succeeded".equals(e.podPhase())) {
      return false;
    }
    var binding = before.bindings().get(e.podName());
    return binding == null || !e.podPhase().equals(binding.podPhase());
  }

  private static String nodeOf(DaemonSetState state, String podName) {
    var binding = state.bindings().get(podName);
    return binding == null ? "?" : binding.nodeName();
  }

  /** Which revision failed, why, on which nodes and pods, and what the failure policy does about it. */
  static String rolloutFailed(DaemonSetState before, DaemonSetEntity.RolloutFailed e) {
    var rollout = before.status().rollout();
    String lastGood = rollout == null ? null : rollout.lastGoodRevision();
    String action = switch (e.policy()) {
      case "Rollback" -> lastGood == null || lastGood.equals(e.revision())
          ? "no good revision to roll back to: paused"
          : "rolling back to revision " + lastGood + " (the template is left as it is)";
      case "Pause" -> "rollout paused";
      default -> "rollout continues";
    };
    List<String> failing = e.failing();
    String pods = failing.isEmpty() ? "" : "; failing (node/pod): " + String.join(", ",
        failing.subList(0, Math.min(20, failing.size()))) + (failing.size() > 20 ? ", …" : "");
    return "Rollout of revision " + e.revision() + " failed: " + e.message() + pods + "; failurePolicy "
        + e.policy() + ": " + action;
  }

  private static Event event(DaemonSet ds, long ordering, int index, String type, String reason, String message,
                             Cause cause) {
    String name = ds.metadata().name() + "." + Long.toHexString(ordering) + (index == 0 ? "" : "-" + index);
    ObjectMeta meta = ObjectMeta.named(ds.metadata().namespace(), name).withCreationTimestamp(cause.at())
        .withUid(ds.metadata().uid() + "-" + ordering + "-" + index);
    ObjectReference involved = new ObjectReference("apps/v1", DaemonSet.KIND, ds.metadata().namespace(),
        ds.metadata().name(), ds.metadata().uid(), null, null);
    return new Event("v1", "Event", meta, involved, reason, message, SOURCE, cause.at(), cause.at(), 1, type,
        "daemonset-controller", cause.actor());
  }
}
