package io.daemonset.bench;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;

/**
 * The DaemonSets' reconciles during a measured part, from the {@code daemonset.reconcile.duration} timer every
 * reconcile records (its deciding, wall time on the entity's thread): how many rounds, and what deciding cost in
 * all and per round. A join waits on these rounds; what one costs at 5,000 nodes is what join9b changed.
 */
final class ReconcileRounds {
  private static final String TIMER = "daemonset.reconcile.duration";

  private final long count;
  private final double totalMillis;

  private ReconcileRounds(long count, double totalMillis) {
    this.count = count;
    this.totalMillis = totalMillis;
  }

  /** The timer now; first makes sure it records somewhere (a bench's JVM may have no registry yet, as HttpFloor). */
  static ReconcileRounds now() {
    if (Metrics.globalRegistry.getRegistries().isEmpty()) {
      Metrics.addRegistry(new SimpleMeterRegistry());
    }
    Timer timer = Metrics.globalRegistry.find(TIMER).timer();
    return timer == null ? new ReconcileRounds(0, 0)
        : new ReconcileRounds(timer.count(), timer.totalTime(TimeUnit.MILLISECONDS));
  }

  /** "reconciles during the joins: N rounds (R per joined node), deciding X ms in all, mean Y ms a round". */
  String since(ReconcileRounds before, String during, int joined) {
    long rounds = count - before.count;
    double millis = totalMillis - before.totalMillis;
    return String.format("reconciles %s: %d rounds (%.1f per joined node), deciding %.0f ms in all, mean %.2f ms"
        + " a round (wall time on the entity's thread)", during, rounds, rounds / (double) Math.max(1, joined), millis,
        millis / Math.max(1, rounds));
  }
}
