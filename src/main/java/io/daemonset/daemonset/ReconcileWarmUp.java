package io.daemonset.daemonset;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the pure reconcile over a small synthetic converge once, on a thread of its own, when a member starts.
 *
 * <p>Why: the container image runs the JIT's first tier alone ({@code -XX:TieredStopAtLevel=1}), which compiles a
 * method after about 200 calls and a loop after tens of thousands of iterations. A DaemonSet's reconcile makes a
 * few passes over every node per round, and a converge has a handful of rounds: the first DaemonSet applied after a
 * start ran its reconciles interpreted. Measured with a probe (1,000 nodes, docs/performance.md "sched9b"): the
 * first round (the burst of 1,000 pods) decided in 150-220 ms and the first round of answers in 130-615 ms, where
 * warm rounds take 10-25 ms; and the reconcile window, four times the last round's cost, then held the first
 * answers up to 500 ms. Every decision of a warmed-up member is the same (the function is pure and this touches no
 * state); it costs 0.3-0.5 s of one core once, at start.
 *
 * <p>{@code daemonset.controller.reconcile-warm-up = off} leaves it out.
 */
final class ReconcileWarmUp {
  private static final Logger LOG = LoggerFactory.getLogger(ReconcileWarmUp.class);
  static final String SETTING = "daemonset.controller.reconcile-warm-up";
  static final int NODES = 300;
  static final int REPEATS = 3;

  private ReconcileWarmUp() {}

  static void start(ActorSystem<?> system) {
    var config = system.settings().config();
    if (config.hasPath(SETTING) && !config.getBoolean(SETTING)) {
      return;
    }
    ExecutorService thread = Executors.newSingleThreadExecutor(task -> {
      Thread t = new Thread(task, "reconcile-warm-up");
      t.setDaemon(true);
      t.setPriority(Thread.MIN_PRIORITY);
      return t;
    });
    thread.execute(() -> {
      long started = System.nanoTime();
      try {
        new ReconcileBenchmark(NODES, NODES / 2, new PrintStream(OutputStream.nullOutputStream())).run(REPEATS);
        LOG.debug("reconcile warmed up in {} ms", (System.nanoTime() - started) / 1_000_000);
      } catch (RuntimeException e) {
        LOG.warn("reconcile warm-up failed (nothing depends on it)", e);
      }
    });
    thread.shutdown();
  }
}
