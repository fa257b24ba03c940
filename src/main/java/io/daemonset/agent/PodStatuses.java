package io.daemonset.agent;

import io.daemonset.model.ContainerState;
import io.daemonset.model.ContainerStatus;
import io.daemonset.model.Pod;
import io.daemonset.model.PodCondition;
import io.daemonset.model.PodStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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

  /** {@link #phase(String, List, List)} of a pod without init containers. */
  public static String phase(String restartPolicy, List<ContainerStatus> containers) {
    return phase(restartPolicy, List.of(), containers);
  }

  /**
   * Upstream getPhase: an init container that has not completed keeps the pod Pending (Failed if it failed and
   * restartPolicy is Never), unless a regular container has started already; a container waiting that never ran
   * keeps the pod Pending; any running container (and none unknown) makes it Running; when all have stopped the
   * restart policy decides (Always: Running, as it restarts them; OnFailure: Succeeded if all succeeded, else
   * Running; Never: Succeeded if all succeeded, else Failed).
   */
  public static String phase(String restartPolicy, List<ContainerStatus> inits, List<ContainerStatus> containers) {
    String policy = restartPolicy == null ? "Always" : restartPolicy;
    int pendingInitialization = 0;
    int failedInitialization = 0;
    for (ContainerStatus c : inits) {
      if (c.state() == null || c.state().running() != null) {
        pendingInitialization++;
      } else if (c.state().terminated() != null) {
        if (!Objects.equals(c.state().terminated().exitCode(), 0)) {
          failedInitialization++;
        }
      } else if (c.lastState() != null && c.lastState().terminated() != null) {
        if (!Objects.equals(c.lastState().terminated().exitCode(), 0)) {
          failedInitialization++;
        }
      } else {
        pendingInitialization++;
      }
    }
    if (failedInitialization > 0 && "Never".equals(policy)) {
      return "Failed";
    }
    if ((pendingInitialization > 0 || failedInitialization > 0) && !anyStarted(containers)) {
      return "Pending";
    }
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
    return switch (policy) {
      case "Never" -> stopped == succeeded ? "Succeeded" : "Failed";
      case "OnFailure" -> stopped == succeeded ? "Succeeded" : "Running";
      default -> "Running";
    };
  }

  /** Upstream HasAnyRegularContainerStarted: running, terminated, or waiting after a termination. */
  static boolean anyStarted(List<ContainerStatus> containers) {
    return containers.stream().anyMatch(c -> c.state() != null && (c.state().running() != null
        || c.state().terminated() != null || (c.state().waiting() != null && c.lastState() != null
        && c.lastState().terminated() != null)));
  }

  /**
   * The init containers that have not completed (upstream GeneratePodInitializedCondition's "incomplete"): the pod
   * is Initialized when this is empty or a regular container has started.
   */
  static List<String> incompleteInits(List<ContainerStatus> inits, List<ContainerStatus> containers) {
    if (anyStarted(containers)) {
      return List.of();
    }
    return inits.stream().filter(c -> c.state() == null || c.state().terminated() == null
        || !Objects.equals(c.state().terminated().exitCode(), 0)).map(ContainerStatus::name).toList();
  }

  /**
   * The pod status a runtime reports: phase from the containers unless phaseOverride is given, conditions
   * PodScheduled, Initialized, ContainersReady and Ready. Transition times are {@code now}; {@link #keepTransitions}
   * carries earlier ones over.
   */
  public static PodStatus build(Pod pod, List<ContainerStatus> containers, String phaseOverride, String reason,
                                String message, Instant startTime, String hostIP, String podIP, Instant now) {
    return build(pod, List.of(), containers, phaseOverride, reason, message, startTime, hostIP, podIP, now);
  }

  /**
   * The same with init containers' statuses (empty when the pod has none; reported as initContainerStatuses only
   * when there are some): Initialized is False (ContainersNotInitialized) until all of them completed.
   */
  public static PodStatus build(Pod pod, List<ContainerStatus> inits, List<ContainerStatus> containers,
                                String phaseOverride, String reason, String message, Instant startTime, String hostIP,
                                String podIP, Instant now) {
    String phase = phaseOverride != null ? phaseOverride
        : phase(pod.spec() == null ? null : pod.spec().restartPolicy(), inits, containers);
    List<String> unready = containers.stream().filter(c -> !c.ready()).map(ContainerStatus::name).toList();
    boolean containersReady = unready.isEmpty() && !containers.isEmpty();
    boolean ready = containersReady && "Running".equals(phase);
    List<PodCondition> conditions = new ArrayList<>();
    List<String> incomplete = incompleteInits(inits, containers);
    conditions.add(incomplete.isEmpty() ? new PodCondition(INITIALIZED, "True", null, now, null, null)
        : new PodCondition(INITIALIZED, "False", null, now, "ContainersNotInitialized",
            "containers with incomplete status: [" + String.join(" ", incomplete) + "]"));
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
    return new PodStatus(phase, conditions, message, reason, hostIP, podIP, startTime, List.copyOf(containers),
        inits.isEmpty() ? null : List.copyOf(inits));
  }

  /**
   * The status with every time truncated to the second, as the API stores and answers it (RFC 3339 seconds): what a
   * report is compared with, so that equal statuses compare equal. It was a round trip through JSON (Jackson writing
   * into a token buffer and reading it back) on every report; the round trip changes nothing else (a test compares
   * the two on every shape of status).
   */
  public static PodStatus inSeconds(PodStatus status) {
    if (status == null) {
      return null;
    }
    List<PodCondition> conditions = status.conditions() == null ? null
        : status.conditions().stream().map(c -> new PodCondition(c.type(), c.status(), seconds(c.lastProbeTime()),
            seconds(c.lastTransitionTime()), c.reason(), c.message())).toList();
    return new PodStatus(status.phase(), conditions, status.message(), status.reason(), status.hostIP(),
        status.podIP(), seconds(status.startTime()), containersInSeconds(status.containerStatuses()),
        containersInSeconds(status.initContainerStatuses()));
  }

  private static List<ContainerStatus> containersInSeconds(List<ContainerStatus> statuses) {
    return statuses == null ? null : statuses.stream().map(c -> new ContainerStatus(c.name(), inSeconds(c.state()),
        inSeconds(c.lastState()), c.ready(), c.restartCount(), c.image(), c.imageID(), c.containerID(), c.started()))
        .toList();
  }

  private static ContainerState inSeconds(ContainerState state) {
    if (state == null) {
      return null;
    }
    ContainerState.Running running = state.running() == null ? null
        : new ContainerState.Running(seconds(state.running().startedAt()));
    ContainerState.Terminated t = state.terminated();
    ContainerState.Terminated terminated = t == null ? null : new ContainerState.Terminated(t.exitCode(), t.signal(),
        t.reason(), t.message(), seconds(t.startedAt()), seconds(t.finishedAt()), t.containerID());
    return new ContainerState(state.waiting(), running, terminated);
  }

  private static Instant seconds(Instant t) {
    return t == null ? null : t.truncatedTo(ChronoUnit.SECONDS);
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
        next.containerStatuses(), next.initContainerStatuses());
  }
}
