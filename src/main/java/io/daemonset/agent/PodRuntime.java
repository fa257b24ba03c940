package io.daemonset.agent;

import io.daemonset.model.Pod;
import io.daemonset.model.PodStatus;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What runs a node's pods: the process runtime (host processes) or the hollow runtime (pretend). Pods are keyed
 * {@code namespace/name}. Every method is thread-safe and quick: work that takes time (stopping within a grace
 * period, probing, restarting after a backoff) happens on the runtime's own threads, and the runtime calls the
 * change listener with the pod's key whenever the status it would report may have changed.
 */
public interface PodRuntime extends AutoCloseable {

  /** Called with a pod key when that pod's status may have changed. */
  void onChange(Consumer<String> listener);

  /** The pods this runtime holds (running, stopping, or adopted after a restart): key to uid. */
  Map<String, String> pods();

  /** The pod as the runtime holds it (after a restart: as recorded), or null. */
  Pod held(String podKey);

  /**
   * Makes sure the pod runs; idempotent. A pod the runtime already holds under another uid must be stopped and
   * forgotten first (the caller does that).
   */
  void ensureRunning(Pod pod);

  /**
   * Stops the pod's containers, giving them the grace period; completes when they are all gone. Idempotent: a second
   * call returns the first call's future.
   */
  CompletableFuture<Void> stop(String podKey, Duration grace);

  /** Forgets a stopped pod (and removes what it kept of it on disk). */
  void forget(String podKey);

  /** The status to report for a pod this runtime holds, or null if it does not hold it. */
  PodStatus status(Pod pod);

  /** Stops probing and timers. Pods keep running unless stopPods (the process runtime adopts them after a restart). */
  void close(boolean stopPods);

  @Override
  default void close() {
    close(false);
  }

  static String key(Pod pod) {
    return pod.metadata().namespace() + "/" + pod.metadata().name();
  }
}
