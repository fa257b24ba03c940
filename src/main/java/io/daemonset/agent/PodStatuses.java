package io.daemonset.agent;

import io.daemonset.model.ContainerStatus;
import io.daemonset.model.Pod;
import io.daemonset.model.PodCondition;
import io.daemonset.model.PodStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Pure functions from container statuses to a pod's status, as the kubelet computes them ({@code getPhase},
 * {@code GeneratePodReadyCondition}, {@code GenerateContainersReadyCondition}).
 */
public final class PodStatuses {
  public static final String READY = "Ready";
  public static final String CONTAINERS_READY = "ContainersReady";
  public static final String INITIALIZED = "Initialized";
  public static final String SCHEDULED = "PodScheduled";

  private PodStatuses() {}

  /**
   * Upstream getPhase: a container waiting that never ran keeps the pod Pending; any running container (and none
   * unknown) makes it Running; when all have stopped the restart policy decides (Always: Running, as it restarts
   * them; OnFailure: Succeeded if all succeeded, else Running; Never: Succeeded if all succeeded, else Failed).
   */
  public static String phase(String restartPolicy, List<ContainerStatus> containers) {
    int waiting = 0;
    int running = 0;
    int stopped = 0;
    int succeeded = 0;
    for (ContainerStatus c : containers) {
      if (c.state() == null) {
        waiting++;
      } else if (c.state().running() != null) {
        running++;
      } else if (c.state().terminated() != null) {
        stopped++;
        if (Objects.equals(c.state().terminated().exitCode(), 0)) {
          succeeded++;
        }
      } else if (c.lastState() != null && c.lastState().terminated() != null) {
        stopped++;
      } else {
        waiting++;
      }
    }
    if (waiting > 0 || containers.isEmpty()) {
      return "Pending";
    }
    if (running > 0) {
      return "Running";
    }
    String policy = restartPolicy == null ? "Always" : restartPolicy;
    return switch (policy) {
      case "Never" -> stopped == succeeded ? "Succeeded" : "Failed";
      case "OnFailure" -> stopped == succeeded ? "Succeeded" : "Running";
      default -> "Running";
    };
  }

  /**
   * The pod status a runtime reports: phase from the containers unless phaseOverride is given, conditions
   * PodScheduled, Initialized, ContainersReady and Ready. Transition times are {@code now}; {@link #keepTransitions}
   * carries earlier ones over.
   */
  public static PodStatus build(Pod pod, List<ContainerStatus> containers, String phaseOverride, String reason,
                                String message, Instant startTime, String hostIP, String podIP, Instant now) {
    String phase = phaseOverride != null ? phaseOverride
        : phase(pod.spec() == null ? null : pod.spec().restartPolicy(), containers);
    List<String> unready = containers.stream().filter(c -> !c.ready()).map(ContainerStatus::name).toList();
    boolean containersReady = unready.isEmpty() && !containers.isEmpty();
    boolean ready = containersReady && "Running".equals(phase);
    List<PodCondition> conditions = new ArrayList<>();
    conditions.add(new PodCondition(INITIALIZED, "True", null, now, null, null));
    if (ready) {
      conditions.add(new PodCondition(READY, "True", null, now, null, null));
    } else if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
      conditions.add(new PodCondition(READY, "False", null, now, "PodCompleted", null));
    } else {
      conditions.add(new PodCondition(READY, "False", null, now, "ContainersNotReady",
          "containers with unready status: [" + String.join(" ", unready) + "]"));
    }
    if (containersReady) {
      conditions.add(new PodCondition(CONTAINERS_READY, "True", null, now, null, null));
    } else {
      conditions.add(new PodCondition(CONTAINERS_READY, "False", null, now, "ContainersNotReady",
          "containers with unready status: [" + String.join(" ", unready) + "]"));
    }
    conditions.add(new PodCondition(SCHEDULED, "True", null, now, null, null));
    return new PodStatus(phase, conditions, message, reason, hostIP, podIP, startTime, List.copyOf(containers));
  }

  /** next with each condition's lastTransitionTime taken from previous when its status did not change. */
  public static PodStatus keepTransitions(PodStatus previous, PodStatus next) {
    if (previous == null || next == null || next.conditions() == null) {
      return next;
    }
    List<PodCondition> conditions = new ArrayList<>();
    for (PodCondition c : next.conditions()) {
      PodCondition before = previous.conditionsOrEmpty().stream().filter(p -> p.type().equals(c.type()))
          .findFirst().orElse(null);
      conditions.add(before != null && Objects.equals(before.status(), c.status()) && before.lastTransitionTime() != null
          ? new PodCondition(c.type(), c.status(), c.lastProbeTime(), before.lastTransitionTime(), c.reason(),
              c.message())
          : c);
    }
    Instant start = next.startTime() != null ? next.startTime() : previous.startTime();
    return new PodStatus(next.phase(), conditions, next.message(), next.reason(), next.hostIP(), next.podIP(), start,
        next.containerStatuses());
  }

  /** Whether the status has condition Ready=True. */
  public static boolean isReady(PodStatus status) {
    return status != null && status.conditionsOrEmpty().stream()
        .anyMatch(c -> READY.equals(c.type()) && "True".equals(c.status()));
  }
}
