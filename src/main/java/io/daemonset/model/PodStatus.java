package io.daemonset.model;

import java.time.Instant;
import java.util.List;

/**
 * PodStatus as the node agent reports it. phase: Pending, Running, Succeeded, Failed, Unknown. initContainerStatuses:
 * null when the pod has no init containers.
 */
public record PodStatus(
    String phase,
    List<PodCondition> conditions,
    String message,
    String reason,
    String hostIP,
    String podIP,
    Instant startTime,
    List<ContainerStatus> containerStatuses,
    List<ContainerStatus> initContainerStatuses) {

  /** A status without init containers. */
  public PodStatus(String phase, List<PodCondition> conditions, String message, String reason, String hostIP,
                   String podIP, Instant startTime, List<ContainerStatus> containerStatuses) {
    this(phase, conditions, message, reason, hostIP, podIP, startTime, containerStatuses, null);
  }

  public static PodStatus pending() {
    return new PodStatus("Pending", null, null, null, null, null, null, null);
  }

  public PodStatus withConditions(List<PodCondition> value) {
    return new PodStatus(phase, value, message, reason, hostIP, podIP, startTime, containerStatuses,
        initContainerStatuses);
  }

  public List<PodCondition> conditionsOrEmpty() {
    return conditions == null ? List.of() : conditions;
  }

  /** Whether the status has condition Ready=True (static: a record's is-method would become a JSON property). */
  public static boolean isReady(PodStatus status) {
    return status != null && status.conditionsOrEmpty().stream()
        .anyMatch(c -> "Ready".equals(c.type()) && "True".equals(c.status()));
  }
}
