package io.daemonset.daemonset;

import io.daemonset.daemonset.DaemonSetEntity.Event;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What one reconcile decided.
 *
 * @param events one atomic persist: facts first, then decisions
 * @param steps every unacknowledged Admit / Delete, to (re-)send after the persist
 * @param backoffs the backoffs to keep for the next round
 * @param requeueAt the earliest instant a held decision becomes possible (a backoff's end, minReadySeconds,
 *     the burst limit's next round); never "now" for something only time can change
 * @param state the state once {@code events} are applied (what the entity will hold after the persist)
 * @param eligibilities this reconcile's judgement of the fleet, for the next one
 * @param views this reconcile's node views, for the next one
 */
public record ReconcileOutput(List<Event> events, List<NodeStep> steps, Backoffs backoffs,
                              Optional<Instant> requeueAt, DaemonSetState state, Eligibilities eligibilities,
                              NodeViews views) {

  public ReconcileOutput {
    events = List.copyOf(events);
    steps = List.copyOf(steps);
  }

  /** True when this round decided something beyond recording facts and status. */
  boolean decided() {
    return events.stream().anyMatch(e -> e instanceof DaemonSetEntity.PodsScheduled
        || e instanceof DaemonSetEntity.PodsDeletionRequested || e instanceof DaemonSetEntity.RevisionRecorded);
  }
}
