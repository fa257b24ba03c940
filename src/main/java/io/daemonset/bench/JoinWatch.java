package io.daemonset.bench;

import io.daemonset.model.Pod;
import io.daemonset.view.ObjectIndex;
import io.daemonset.view.WatchEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Watches this JVM's view for joining nodes (join-*): when each Node appears, and when the last of its daemon pods
 * (one per DaemonSet) appears bound to it.
 */
final class JoinWatch implements Consumer<WatchEvent> {
  private final int podsPerNode;
  private final Map<String, Long> added = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> pods = new ConcurrentHashMap<>();
  private final Map<String, Long> done = new ConcurrentHashMap<>();
  /** Wall-clock times (epoch ms) of the same two moments, to set beside the journal's write timestamps. */
  private final Map<String, Long> addedAtMillis = new ConcurrentHashMap<>();
  private final Map<String, Long> doneAtMillis = new ConcurrentHashMap<>();

  JoinWatch(int podsPerNode) {
    this.podsPerNode = podsPerNode;
  }

  @Override
  public void accept(WatchEvent change) {
    long now = System.nanoTime();
    if (ObjectIndex.NODES.equals(change.resource()) && change.name().startsWith("join-")) {
      if (added.putIfAbsent(change.name(), now) == null) {
        addedAtMillis.put(change.name(), System.currentTimeMillis());
      }
    } else if (ObjectIndex.PODS.equals(change.resource()) && "ADDED".equals(change.type())
        && change.object() instanceof Pod pod && pod.spec().nodeName() != null
        && pod.spec().nodeName().startsWith("join-")) {
      String node = pod.spec().nodeName();
      if (pods.computeIfAbsent(node, n -> new AtomicInteger()).incrementAndGet() == podsPerNode) {
        done.put(node, now);
        doneAtMillis.put(node, System.currentTimeMillis());
      }
    }
  }

  int complete() {
    return done.size();
  }

  /** When the view showed each joined node (epoch ms). */
  Map<String, Long> seenAtMillis() {
    return Map.copyOf(addedAtMillis);
  }

  /** When the view showed each joined node's last daemon pod bound (epoch ms). */
  Map<String, Long> completeAtMillis() {
    return Map.copyOf(doneAtMillis);
  }

  List<Long> latenciesMillis() {
    List<Long> out = new ArrayList<>();
    done.forEach((node, at) -> out.add((at - added.getOrDefault(node, at)) / 1_000_000));
    return out;
  }
}
