package io.daemonset.model;

import java.util.List;

/**
 * DaemonSetStatus, with the counters upstream's controller computes, and {@code rollout}: what the rollout controls
 * upstream lacks report (null when unused).
 */
public record DaemonSetStatus(
    int currentNumberScheduled,
    int numberMisscheduled,
    int desiredNumberScheduled,
    int numberReady,
    Long observedGeneration,
    int updatedNumberScheduled,
    int numberAvailable,
    int numberUnavailable,
    Integer collisionCount,
    List<Condition> conditions,
    RolloutStatus rollout) {

  public static final DaemonSetStatus EMPTY = new DaemonSetStatus(0, 0, 0, 0, null, 0, 0, 0, null, null);

  /** Upstream's fields only. */
  public DaemonSetStatus(int currentNumberScheduled, int numberMisscheduled, int desiredNumberScheduled,
                         int numberReady, Long observedGeneration, int updatedNumberScheduled, int numberAvailable,
                         int numberUnavailable, Integer collisionCount, List<Condition> conditions) {
    this(currentNumberScheduled, numberMisscheduled, desiredNumberScheduled, numberReady, observedGeneration,
        updatedNumberScheduled, numberAvailable, numberUnavailable, collisionCount, conditions, null);
  }

  public DaemonSetStatus withRollout(RolloutStatus value) {
    return new DaemonSetStatus(currentNumberScheduled, numberMisscheduled, desiredNumberScheduled, numberReady,
        observedGeneration, updatedNumberScheduled, numberAvailable, numberUnavailable, collisionCount, conditions,
        value);
  }
}
