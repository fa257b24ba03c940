package io.daemonset.journal;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The control plane's own meters, recorded into Micrometer's global registry; {@code serve} adds a Prometheus
 * registry to it and serves {@code /metrics} (see cluster.ControlPlaneMetrics). The names here, in Prometheus
 * form, are what docs/grafana-dashboard.json plots; recording costs a map look-up and an add, so the hot paths
 * may call these on every reconcile and every write.
 */
public final class Meters {
  private Meters() {}

  /** One reconcile of a DaemonSet: how long deciding took and how many facts it folded in. */
  public static void reconciled(Duration took, int facts) {
    Timer.builder("daemonset.reconcile.duration").description("DaemonSet reconcile (decide) latency")
        .publishPercentileHistogram().register(Metrics.globalRegistry).record(took);
    DistributionSummary.builder("daemonset.reconcile.batch.size")
        .description("Node answers and reports folded into one reconcile").publishPercentileHistogram()
        .register(Metrics.globalRegistry).record(facts);
  }

  /** Pods a DaemonSet decided to place (PodsScheduled) or delete, and pods that failed on their node. */
  public static void pods(String what, int count) {
    if (count > 0) {
      Metrics.counter("daemonset.pods." + what).increment(count);
    }
  }

  /** One persisted batch of an entity ({@code type} DaemonSet or Node): latency and events written. */
  public static void persisted(String type, Duration took, int events) {
    Timer.builder("daemonset.persist.duration").description("Entity persist latency (journal write)")
        .tag("type", type).publishPercentileHistogram().register(Metrics.globalRegistry).record(took);
    Metrics.counter("daemonset.journal.events", "type", type).increment(events);
  }

  /** How far behind the journal this JVM's view applied an event (now minus the event's write time). */
  public static void viewLag(Duration lag) {
    Timer.builder("daemonset.view.lag").description("Time from an event's write to this JVM's view applying it")
        .publishPercentileHistogram().register(Metrics.globalRegistry).record(lag.isNegative() ? Duration.ZERO : lag);
  }
}
