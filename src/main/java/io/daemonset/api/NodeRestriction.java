package io.daemonset.api;

import io.daemonset.model.Node;
import io.daemonset.model.Taint;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Upstream's NodeRestriction admission for a node's own credential writing its Node: it may set only the labels a
 * kubelet may set (labels outside the kubernetes.io and k8s.io namespaces, the well-known kubelet labels, and the
 * kubelet.kubernetes.io/ and node.kubernetes.io/ namespaces; never node-restriction.kubernetes.io/), and after
 * registration it may not add, remove or change taints. Pure: the refusal's message, or empty.
 */
final class NodeRestriction {
  private static final Set<String> KUBELET_LABELS = Set.of("kubernetes.io/hostname", "kubernetes.io/arch",
      "kubernetes.io/os", "beta.kubernetes.io/arch", "beta.kubernetes.io/os", "beta.kubernetes.io/instance-type",
      "node.kubernetes.io/instance-type", "failure-domain.beta.kubernetes.io/region",
      "failure-domain.beta.kubernetes.io/zone", "topology.kubernetes.io/region", "topology.kubernetes.io/zone");
  private static final List<String> KUBELET_NAMESPACES = List.of("kubelet.kubernetes.io", "node.kubernetes.io");

  private NodeRestriction() {}

  /** Whether a node's own credential may set this label. */
  static boolean kubeletMaySet(String key) {
    int slash = key.indexOf('/');
    String namespace = slash < 0 ? "" : key.substring(0, slash);
    if (namespace.equals("node-restriction.kubernetes.io") || namespace.endsWith(".node-restriction.kubernetes.io")) {
      return false;
    }
    if (KUBELET_LABELS.contains(key)) {
      return true;
    }
    for (String allowed : KUBELET_NAMESPACES) {
      if (namespace.equals(allowed) || namespace.endsWith("." + allowed)) {
        return true;
      }
    }
    boolean kubernetes = namespace.equals("kubernetes.io") || namespace.endsWith(".kubernetes.io")
        || namespace.equals("k8s.io") || namespace.endsWith(".k8s.io");
    return !kubernetes;
  }

  /** A node registering itself: every label it sets must be one a kubelet may set. */
  static Optional<String> onCreate(String node, Node requested) {
    Set<String> refused = refused(labels(requested).keySet());
    return refused.isEmpty() ? Optional.empty()
        : Optional.of("node " + Authorizer.quote(node) + " is not allowed to set the following labels: "
            + String.join(", ", refused));
  }

  /** A node updating itself: labels it adds, removes or changes must be kubelet's; taints must stay as they are. */
  static Optional<String> onUpdate(String node, Node existing, Node requested) {
    Map<String, String> before = labels(existing);
    Map<String, String> after = labels(requested);
    Set<String> changed = new HashSet<>();
    before.forEach((k, v) -> {
      if (!Objects.equals(after.get(k), v)) {
        changed.add(k);
      }
    });
    after.forEach((k, v) -> {
      if (!Objects.equals(before.get(k), v)) {
        changed.add(k);
      }
    });
    Set<String> refused = refused(changed);
    if (!refused.isEmpty()) {
      return Optional.of("node " + Authorizer.quote(node) + " is not allowed to modify labels: "
          + String.join(", ", refused));
    }
    if (!new HashSet<>(taints(existing)).equals(new HashSet<>(taints(requested)))) {
      return Optional.of("node " + Authorizer.quote(node) + " is not allowed to modify taints");
    }
    return Optional.empty();
  }

  private static Set<String> refused(Set<String> keys) {
    Set<String> refused = new TreeSet<>();
    keys.stream().filter(k -> !kubeletMaySet(k)).forEach(refused::add);
    return refused;
  }

  private static Map<String, String> labels(Node node) {
    return node.metadata() == null || node.metadata().labels() == null ? Map.of() : node.metadata().labels();
  }

  private static List<Taint> taints(Node node) {
    return node.spec() == null || node.spec().taints() == null ? List.of() : node.spec().taints();
  }
}
