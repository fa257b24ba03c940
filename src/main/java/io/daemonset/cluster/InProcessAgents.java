package io.daemonset.cluster;

import io.daemonset.model.Cause;
import io.daemonset.model.Pod;
import io.daemonset.model.PodCondition;
import io.daemonset.model.PodStatus;
import io.daemonset.node.NodeEntity;
import io.daemonset.node.NodeState;
import io.daemonset.view.ClusterView;
import io.daemonset.view.ObjectIndex;
import io.daemonset.view.StoredObject;
import io.daemonset.view.WatchEvent;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Node agents as the control plane sees them, without processes or HTTP: they watch this JVM's view for
 * pods, report them Running and Ready at once (unless their node is listed as never ready), and confirm
 * the termination of pods being deleted, writing through the ObjectStore exactly as the API would. For
 * controller tests and benchmarks that measure the controller alone; real agents use the API.
 */
public final class InProcessAgents implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InProcessAgents.class);
  private final ControlPlane plane;
  private final Set<String> neverReady = ConcurrentHashMap.newKeySet();
  private final ClusterView.Subscription subscription;

  public InProcessAgents(ControlPlane plane) {
    this.plane = plane;
    // List, then watch, as a real agent does: a view restored from its snapshot has no change in its window for the
    // pods it already holds. Watching first: a pod changed in between is seen twice (the reports are idempotent),
    // never missed.
    ClusterView view = plane.view();
    this.subscription = view.subscribe(view.resourceVersion(), this::onChangeKept);
    for (StoredObject stored : view.index().list(ObjectIndex.PODS)) {
      Pod pod = (Pod) stored.object();
      onChange(new WatchEvent("ADDED", ObjectIndex.PODS, stored.namespace(), stored.name(), pod,
          stored.resourceVersion(), null));
      reportRunning(pod);
    }
  }

  /**
   * A starting agent starts the containers of the pods bound to its nodes again (they are not processes that outlive
   * it) and reports them: after a full restart that report is what wakes the nodes' entities and, through the pods'
   * changes, their DaemonSets, as the agents' first reports do for a real control plane.
   */
  private void reportRunning(Pod pod) {
    String node = pod.spec().nodeName();
    if (node != null && pod.metadata().deletionTimestamp() == null && pod.status() != null
        && !"Pending".equals(pod.status().phase())) {
      reportStarted(node, NodeState.podKey(pod), Cause.byUser(Instant.now(), "system:node:" + node, "agent started"));
    }
  }

  private void reportStarted(String node, String key, Cause cause) {
    boolean ready = !neverReady.contains(node);
    Instant now = Instant.now();
    PodStatus running = new PodStatus("Running",
        java.util.List.of(new PodCondition("Ready", ready ? "True" : "False", null, now, null, null)),
        null, null, "10.0.0.1", "10.0.0.1", now, null);
    plane.store().pod(node, r -> new NodeEntity.UpdatePodStatus(key, running, cause.because("containers started"), r));
  }

  public void neverReadyOn(String nodeName) {
    neverReady.add(nodeName);
  }

  /** Never throws: the view drops a watcher that throws, and these agents would stop running their pods. */
  private void onChangeKept(WatchEvent change) {
    try {
      onChange(change);
    } catch (RuntimeException e) {
      LOG.error("the in-process agents could not act on {} {}: {}", change.resource(), change.key(), e.toString(), e);
    }
  }

  private void onChange(WatchEvent change) {
    if (!ObjectIndex.PODS.equals(change.resource()) || !(change.object() instanceof Pod pod)
        || "DELETED".equals(change.type())) {
      return;
    }
    String node = pod.spec().nodeName();
    if (node == null) {
      return; // not bound yet (Pending, Unschedulable): no agent runs it
    }
    String key = NodeState.podKey(pod);
    Cause cause = Cause.byUser(Instant.now(), "system:node:" + node, "agent report");
    if (pod.metadata().deletionTimestamp() != null) {
      plane.store().pod(node, r -> new NodeEntity.DeletePod(key, 0L, cause.because("containers stopped"), r));
    } else if (pod.status() == null || "Pending".equals(pod.status().phase())) {
      reportStarted(node, key, cause);
    }
  }

  @Override
  public void close() {
    subscription.cancel().run();
  }
}
