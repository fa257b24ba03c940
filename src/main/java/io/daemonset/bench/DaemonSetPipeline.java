package io.daemonset.bench;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * The DaemonSet side of a measured phase, from the meters the control plane keeps (same JVM): how many reconciles,
 * their deciding time, the facts each took in, the DaemonSets' own writes, and the round trip of the steps they asked
 * of nodes (an admission: the node's journal write and its confirmation). The timeline shows when rows were written;
 * this shows what the DaemonSet waited for in between.
 */
final class DaemonSetPipeline {
  private final double[] before;

  private DaemonSetPipeline(double[] before) {
    this.before = before;
  }

  static DaemonSetPipeline start() {
    return new DaemonSetPipeline(read());
  }

  String describe() {
    double[] now = read();
    double[] d = new double[now.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = now[i] - before[i];
    }
    return String.format("DaemonSets: %.0f reconciles deciding %.0f ms in all (%.1f ms each), %.1f facts each;"
            + " %.0f writes, %.0f ms each; %.0f node asks, answered in %.0f ms on average",
        d[0], d[1], d[0] == 0 ? 0 : d[1] / d[0], d[0] == 0 ? 0 : d[3] / d[2], d[4], d[4] == 0 ? 0 : d[5] / d[4],
        d[6], d[6] == 0 ? 0 : d[7] / d[6]);
  }

  private static double[] read() {
    Timer reconcile = Metrics.globalRegistry.find("daemonset.reconcile.duration").timer();
    DistributionSummary facts = Metrics.globalRegistry.find("daemonset.reconcile.batch.size").summary();
    Timer persist = Metrics.globalRegistry.find("daemonset.persist.duration").tag("type", "DaemonSet").timer();
    Timer asks = Metrics.globalRegistry.find("daemonset.node.ask.duration").timer();
    return new double[] {
        reconcile == null ? 0 : reconcile.count(), reconcile == null ? 0 : reconcile.totalTime(TimeUnit.MILLISECONDS),
        facts == null ? 0 : facts.count(), facts == null ? 0 : facts.totalAmount(),
        persist == null ? 0 : persist.count(), persist == null ? 0 : persist.totalTime(TimeUnit.MILLISECONDS),
        asks == null ? 0 : asks.count(), asks == null ? 0 : asks.totalTime(TimeUnit.MILLISECONDS)};
  }
}
