package io.daemonset.bench;

import io.daemonset.daemonset.DaemonSetState;
import io.daemonset.daemonset.PodBinding;
import java.time.Instant;
import java.util.UUID;
import org.pcollections.PSortedMap;
import org.pcollections.TreePMap;

/**
 * The heap a DaemonSet entity spends per pod binding (issue 9: at most 1 KiB beyond the pod objects the API serves),
 * measured alone: live heap after a full GC with and without a state of N bindings built as a recovery builds them
 * (every string and instant its own object, as decoded from events), through the state's own constructor.
 */
final class HeapPerBinding {
  private HeapPerBinding() {}

  /** At least this many bindings, so that the server beside it (still running) is small noise against them. */
  static final int MIN_COUNT = 50_000;

  static String measure(int atLeast) {
    int count = Math.max(MIN_COUNT, atLeast);
    long before = settledHeap();
    PSortedMap<String, PodBinding> bindings = TreePMap.empty();
    String owner = UUID.randomUUID().toString();
    Instant now = Instant.now();
    for (int i = 0; i < count; i++) {
      String pod = "fluentd-elasticsearch-" + Integer.toString(i, 27);
      bindings = bindings.plus(pod, new PodBinding(new String(pod), UUID.randomUUID().toString(), "node-" + i,
          new String(owner), new String("66998b4dc8"), PodBinding.Phase.BOUND, new String("Running"),
          now.plusNanos(i), now.plusNanos(i), null));
    }
    DaemonSetState state = new DaemonSetState(null, 1, bindings, java.util.Map.of(), count);
    long after = settledHeap();
    long perBinding = (after - before) / count;
    if (state.bindings().size() != count) {
      throw new IllegalStateException("bindings lost");
    }
    return String.format("heap per binding: %d B (a DaemonSet state of %,d bindings, measured alone)", perBinding,
        count);
  }

  /**
   * The least of three live-heap readings: the control plane still runs in this JVM, and what it holds for a moment
   * (a request, a batch) only ever adds to a reading. A single reading before the state, inflated that way, once made
   * the difference negative (-530 B per binding in a CI smoke run).
   */
  private static long settledHeap() {
    long least = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      least = Math.min(least, Meter.liveHeap());
    }
    return least;
  }
}
