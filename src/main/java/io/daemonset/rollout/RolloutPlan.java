package io.daemonset.rollout;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one reconcile wants done. The planner performs nothing: the caller turns these into events.
 *
 * <p>Creations are all listed; the caller batches them (upstream caps a sync at 250 creates and sends
 * them in slow-start batches of 1, 2, 4, …; see {@link SlowStart}). {@code backoffs} replaces the
 * caller's failed-pod backoff state. {@code requeueAt}, when present, is the earliest instant at
 * which planning again could decide differently without any other change: a pod reaching
 * minReadySeconds, or a node's failed-pod backoff running out.
 */
public record RolloutPlan(
    List<PodCreation> creations,
    List<PodDeletion> deletions,
    Map<String, Backoff> backoffs,
    Optional<Instant> requeueAt) {

  public RolloutPlan {
    creations = List.copyOf(creations);
    deletions = List.copyOf(deletions);
    backoffs = Map.copyOf(backoffs);
    requeueAt = requeueAt == null ? Optional.empty() : requeueAt;
  }

  public boolean isEmpty() {
    return creations.isEmpty() && deletions.isEmpty();
  }
}
