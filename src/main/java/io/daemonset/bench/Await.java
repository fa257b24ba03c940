package io.daemonset.bench;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/** Polls a condition every 20 ms (a benchmark's clock, not a test's synchronisation), reporting progress. */
final class Await {
  private Await() {}

  static void until(Callable<Boolean> condition, Duration timeout, Supplier<String> progress) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    long nextReport = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.call()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out after " + timeout + ": " + progress.get());
      }
      if (System.nanoTime() > nextReport) {
        System.err.println("  … " + progress.get());
        nextReport = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      }
      Thread.sleep(20);
    }
  }
}
