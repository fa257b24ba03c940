package io.daemonset.agent;

import io.daemonset.model.Pod;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The bookkeeping both runtimes share: the pods a runtime holds, by key, each as the runtime's own record of it (P),
 * and the listener told when a pod's status may have changed. A runtime extends this and implements what differs:
 * how a pod is run, stopped and reported.
 */
abstract class HeldPods<P> implements PodRuntime {
  /** What the runtime holds, by pod key; its records are the runtime's own. */
  protected final Map<String, P> pods = new ConcurrentHashMap<>();
  private volatile Consumer<String> listener = key -> {};

  /** The pod a record stands for, as the runtime holds it. */
  protected abstract Pod podOf(P record);

  @Override
  public final void onChange(Consumer<String> listener) {
    this.listener = listener;
  }

  /** Tells the listener that the pod's status may have changed (on the caller's thread). */
  protected final void changed(String podKey) {
    listener.accept(podKey);
  }

  @Override
  public final Map<String, String> pods() {
    Map<String, String> out = new LinkedHashMap<>();
    pods.forEach((key, p) -> out.put(key, podOf(p).metadata().uid()));
    return out;
  }

  @Override
  public final Pod held(String podKey) {
    P p = pods.get(podKey);
    return p == null ? null : podOf(p);
  }

  /** The record of this pod (same key and uid), or null: the runtime holds none, or an earlier pod of that name. */
  protected final P recordOf(Pod pod) {
    P p = pods.get(PodRuntime.key(pod));
    return p == null || !podOf(p).metadata().uid().equals(pod.metadata().uid()) ? null : p;
  }
}
