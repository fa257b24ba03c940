package io.daemonset.cluster;

import io.daemonset.model.DaemonSet;
import io.daemonset.model.Namespace;
import io.daemonset.model.OwnerReference;
import io.daemonset.model.PlainKind;
import io.daemonset.model.PlainObject;
import io.daemonset.model.Pod;
import io.daemonset.view.ObjectIndex;
import io.daemonset.view.StoredObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What deleting a namespace still requires, decided from the view alone (pure): delete its DaemonSets (their
 * pods and revisions go with them), its ConfigMaps, Secrets and ServiceAccounts, any pod left without a live
 * owner; and once nothing is left, remove the namespace's finalizer so that it disappears. Events go with the
 * namespace (the view drops them). Also: which namespaces must exist at start-up.
 */
final class NamespaceCleanup {
  private NamespaceCleanup() {}

  /** A plain object to delete: its resource and name. */
  record PlainRef(String resource, String name) {}

  /** A pod to delete: the node it is bound to and its key "namespace/name". */
  record PodRef(String nodeName, String podKey) {}

  record Plan(List<String> daemonSets, List<PlainRef> objects, List<PodRef> pods, boolean empty) {}

  static Plan plan(ObjectIndex index, String namespace) {
    List<String> daemonSets = names(index, ObjectIndex.DAEMONSETS, namespace);
    List<PlainRef> objects = new ArrayList<>();
    for (PlainKind kind : PlainKind.values()) {
      if (kind.namespaced) {
        names(index, kind.resource, namespace).forEach(n -> objects.add(new PlainRef(kind.resource, n)));
      }
    }
    Set<String> liveOwners = new TreeSet<>(daemonSets);
    List<PodRef> pods = new ArrayList<>();
    boolean podsLeft = false;
    for (StoredObject o : index.list(ObjectIndex.PODS)) {
      Pod pod = (Pod) o.object();
      if (!namespace.equals(pod.metadata().namespace())) {
        continue;
      }
      podsLeft = true;
      String owner = pod.metadata().ownerReferencesOrEmpty().stream().filter(OwnerReference::isController)
          .map(OwnerReference::name).findFirst().orElse(null);
      // A DaemonSet still in the view deletes its own pods; deleting them first would only make it recreate them.
      if ((owner == null || !liveOwners.contains(owner)) && pod.metadata().deletionTimestamp() == null) {
        pods.add(new PodRef(pod.spec().nodeName(), namespace + "/" + pod.metadata().name()));
      }
    }
    boolean empty = daemonSets.isEmpty() && objects.isEmpty() && !podsLeft;
    return new Plan(daemonSets, objects, pods, empty);
  }

  /** Namespaces being deleted whose finalizer is still there. */
  static List<Namespace> terminating(ObjectIndex index) {
    return index.list(ObjectIndex.NAMESPACES).stream().map(o -> (Namespace) o.object())
        .filter(Namespace::terminating).toList();
  }

  /** default, kube-system, and every namespace some stored object names, that has no Namespace object. */
  static Set<String> missing(ObjectIndex index) {
    Set<String> wanted = new TreeSet<>(List.of("default", "kube-system"));
    for (String resource : List.of(ObjectIndex.DAEMONSETS, ObjectIndex.PODS, ObjectIndex.CONFIGMAPS,
        ObjectIndex.SECRETS, ObjectIndex.SERVICEACCOUNTS)) {
      index.list(resource).forEach(o -> wanted.add(o.namespace()));
    }
    index.list(ObjectIndex.NAMESPACES).forEach(o -> wanted.remove(o.name()));
    return wanted;
  }

  private static List<String> names(ObjectIndex index, String resource, String namespace) {
    return index.list(resource).stream().filter(o -> namespace.equals(o.namespace()))
        .filter(o -> !(o.object() instanceof DaemonSet ds) || ds.metadata().deletionTimestamp() == null)
        .filter(o -> !(o.object() instanceof PlainObject p) || p.metadata().deletionTimestamp() == null)
        .map(StoredObject::name).sorted().toList();
  }
}
