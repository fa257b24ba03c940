package io.daemonset.model;

import java.util.List;

/** DaemonSetStatus, with the counters upstream's controller computes. */
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
    List<Condition> conditions) {

  public static final DaemonSetStatus EMPTY = new DaemonSetStatus(0, 0, 0, 0, null, 0, 0, 0, null, null);
}
