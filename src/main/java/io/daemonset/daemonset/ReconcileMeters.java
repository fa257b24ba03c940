package io.daemonset.daemonset;

import io.daemonset.journal.Meters;
import java.time.Duration;
import java.util.List;

/** What a DaemonSet's persisted reconcile means for the meters (journal.Meters): pods placed, deleted, failed. */
final class ReconcileMeters {
  /** A node step's ask, sent to answered: the node's journal write and its confirmation (`bench` prints it). */
  static final String NODE_ASK = "daemonset.node.ask.duration";
  private static final io.micrometer.core.instrument.Timer NODE_ASKS = io.micrometer.core.instrument.Timer
      .builder(NODE_ASK).description("A DaemonSet's write step asked of a node, until the answer came")
      .register(io.micrometer.core.instrument.Metrics.globalRegistry);

  private ReconcileMeters() {}

  static void asked(long sentNanos) {
    NODE_ASKS.record(System.nanoTime() - sentNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  static void persisted(List<DaemonSetEntity.Event> events, long startedNanos) {
    Meters.persisted(DaemonSetEntity.ENTITY_TYPE_KEY.name(), Duration.ofNanos(System.nanoTime() - startedNanos),
        events.size());
    int placed = 0;
    int deleted = 0;
    int failed = 0;
    for (DaemonSetEntity.Event event : events.stream().flatMap(e -> e instanceof DaemonSetEntity.PodsAnswered a
        ? a.events().stream() : java.util.stream.Stream.of(e)).toList()) {
      if (event instanceof DaemonSetEntity.PodsScheduled scheduled) {
        placed += scheduled.pods().size();
      } else if (event instanceof DaemonSetEntity.PodsDeletionRequested deletion) {
        deleted += deletion.pods().size();
      } else if (event instanceof DaemonSetEntity.PodObserved observed && "Failed".equals(observed.podPhase())) {
        failed++;
      }
    }
    Meters.pods("placed", placed);
    Meters.pods("deleted", deleted);
    Meters.pods("failed", failed);
  }
}
