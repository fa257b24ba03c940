package io.daemonset.node;

import io.daemonset.journal.JsonSerializable;
import io.daemonset.model.Node;
import io.daemonset.model.ObjectMeta;
import io.daemonset.model.OwnerReference;
import io.daemonset.model.Pod;
import io.daemonset.node.NodeEntity.Event;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a node is and what it admitted. Immutable; {@link #apply} is the one event handler, used by
 * NodeEntity on recovery and by the journal-fed view, so the two can never disagree.
 *
 * @param node the Node object, null before registration
 * @param version counts changes of the Node object, for optimistic concurrency of API updates
 * @param pods admitted pods by "namespace/name", each with its runtime status as the agent reported it
 * @param removed the node was deleted; pods were released
 */
public record NodeState(Node node, long version, Map<String, Pod> pods, boolean removed) implements JsonSerializable {

  public static final NodeState EMPTY = new NodeState(null, 0, Map.of(), false);

  public boolean exists() {
    return node != null && !removed;
  }

  public static String podKey(String namespace, String name) {
    return namespace + "/" + name;
  }

  public static String podKey(Pod pod) {
    return podKey(pod.metadata().namespace(), pod.metadata().name());
  }

  public NodeState apply(Event event) {
    if (event instanceof NodeEntity.NodeRegistered e) {
      return new NodeState(e.node(), version + 1, removed ? Map.of() : pods, false);
    } else if (event instanceof NodeEntity.NodeUpdated e) {
      return new NodeState(e.node(), version + 1, pods, false);
    } else if (event instanceof NodeEntity.NodeRemoved) {
      return new NodeState(node, version + 1, Map.of(), true);
    } else if (event instanceof NodeEntity.PodAdmitted e) {
      return withPod(podKey(e.pod()), e.pod());
    } else if (event instanceof NodeEntity.PodStatusUpdated e) {
      return withPod(e.podKey(), pods.get(e.podKey()).withStatus(e.status()));
    } else if (event instanceof NodeEntity.PodDeletionStarted e) {
      return withPod(e.podKey(), markDeleting(pods.get(e.podKey()), e));
    } else if (event instanceof NodeEntity.PodOrphaned e) {
      return withPod(e.podKey(), withoutOwner(pods.get(e.podKey())));
    } else if (event instanceof NodeEntity.PodBoundToNode e) {
      return withPod(e.podKey(), Unscheduled.bound(pods.get(e.podKey()), node.name()));
    } else if (event instanceof NodeEntity.PodAdopted e) {
      return withPod(e.podKey(), withController(pods.get(e.podKey()), e.owner()));
    } else if (event instanceof NodeEntity.PodMetadataUpdated e) {
      Pod pod = pods.get(e.podKey());
      return withPod(e.podKey(), pod.withMetadata(pod.metadata().withLabels(e.labels())
          .withAnnotations(e.annotations())));
    } else if (event instanceof NodeEntity.PodReleased e) {
      return withoutPod(e.podKey());
    }
    throw new IllegalArgumentException("unknown node event " + event);
  }

  private NodeState withPod(String key, Pod pod) {
    Map<String, Pod> next = new LinkedHashMap<>(pods);
    next.put(key, pod);
    return new NodeState(node, version, Map.copyOf(next), removed);
  }

  private NodeState withoutPod(String key) {
    Map<String, Pod> next = new LinkedHashMap<>(pods);
    next.remove(key);
    return new NodeState(node, version, Map.copyOf(next), removed);
  }

  private static Pod markDeleting(Pod pod, NodeEntity.PodDeletionStarted e) {
    ObjectMeta meta = pod.metadata().withDeletionTimestamp(e.deletionTimestamp());
    meta = new ObjectMeta(meta.name(), meta.generateName(), meta.namespace(), meta.uid(), meta.generation(),
        meta.resourceVersion(), meta.creationTimestamp(), meta.deletionTimestamp(), e.gracePeriodSeconds(),
        meta.labels(), meta.annotations(), meta.ownerReferences(), meta.finalizers(), meta.managedFields());
    return pod.withMetadata(meta);
  }

  private static Pod withoutOwner(Pod pod) {
    List<OwnerReference> owners = pod.metadata().ownerReferencesOrEmpty().stream()
        .filter(ref -> !ref.isController()).toList();
    return pod.withMetadata(pod.metadata().withOwnerReferences(owners.isEmpty() ? null : owners));
  }

  private static Pod withController(Pod pod, OwnerReference owner) {
    List<OwnerReference> owners = new java.util.ArrayList<>(pod.metadata().ownerReferencesOrEmpty().stream()
        .filter(ref -> !ref.isController()).toList());
    owners.add(owner);
    return pod.withMetadata(pod.metadata().withOwnerReferences(List.copyOf(owners)));
  }

  /**
   * An orphan a controller may adopt (upstream's ClaimPods): no controller, not terminating, not finished. The
   * selector's match is the claimant's part ({@code NodeEntity.ClaimOrphans}).
   */
  public static boolean isAdoptable(Pod pod) {
    String phase = pod.status() == null ? null : pod.status().phase();
    return controllerKey(pod) == null && pod.metadata().deletionTimestamp() == null
        && !"Succeeded".equals(phase) && !"Failed".equals(phase);
  }

  /**
   * The namespaces in which this node holds adoptable orphans, announced with the node in the directory: a DaemonSet
   * claims only on the nodes that hold orphans of its namespace, so that no orphan costs nothing per node.
   */
  public java.util.Set<String> orphanNamespaces() {
    java.util.Set<String> namespaces = new java.util.TreeSet<>();
    pods.values().stream().filter(NodeState::isAdoptable).forEach(p -> namespaces.add(p.metadata().namespace()));
    return java.util.Collections.unmodifiableSet(namespaces);
  }

  /**
   * A fingerprint of the adoptable orphans' names and labels (0 when none), announced with {@link #orphanNamespaces}:
   * it changes when an orphan comes or is relabelled, which the namespaces alone do not show (a pod relabelled so
   * that it now matches a selector), so that DaemonSets claim on this node at once rather than at the next resync.
   * Derived from the pods (String and Map hash codes are specified), so every incarnation computes the same one.
   */
  public int orphanLabels() {
    int hash = 0;
    for (Map.Entry<String, Pod> e : new java.util.TreeMap<>(pods).entrySet()) {
      if (isAdoptable(e.getValue())) {
        hash = 31 * (31 * hash + e.getKey().hashCode()) + e.getValue().metadata().labelsOrEmpty().hashCode();
      }
    }
    return hash;
  }

  /** "namespace/name" of the pod's controlling owner, or null for an orphan. */
  public static String controllerKey(Pod pod) {
    return pod.metadata().ownerReferencesOrEmpty().stream()
        .filter(OwnerReference::isController)
        .findFirst()
        .map(ref -> pod.metadata().namespace() + "/" + ref.name())
        .orElse(null);
  }
}
