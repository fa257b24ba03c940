package io.daemonset.node;

import io.daemonset.model.Node;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The fleet as the node directory shows it to one subscriber: node name → node, and whether every part
 * of the directory has been seen. While {@code complete} is false a DaemonSet decides per node only,
 * never what depends on the whole fleet (desired counts, the maxUnavailable budget, status): after a
 * restart or on a member that just joined, the directory arrives in parts.
 */
public record Fleet(Map<String, Node> nodes, boolean complete, Map<String, Set<String>> orphanNamespaces,
    Map<String, Integer> orphanLabels, Set<String> changed) {

  /** Before the first view: nothing is known, which must never be read as "no nodes". */
  public static final Fleet UNKNOWN = new Fleet(Map.of(), false);

  /**
   * @param orphanNamespaces node name → the namespaces in which it holds adoptable orphan pods; nodes holding none
   *     are left out (the common case: an empty map)
   * @param orphanLabels node name → the fingerprint of its orphans' labels ({@link NodeState#orphanLabels}), for the
   *     same nodes: a change says an orphan came or was relabelled there
   * @param changed the names of the nodes added, removed or changed since the previous fleet delivered to the same
   *     subscriber, or null if unknown (then a subscriber compares the two fleets)
   */
  public Fleet {
    Objects.requireNonNull(nodes, "nodes");
    Objects.requireNonNull(orphanNamespaces, "orphanNamespaces");
    Objects.requireNonNull(orphanLabels, "orphanLabels");
    changed = changed == null ? null : Set.copyOf(changed);
  }

  /** A fleet that does not say what changed. */
  public Fleet(Map<String, Node> nodes, boolean complete, Map<String, Set<String>> orphanNamespaces,
      Map<String, Integer> orphanLabels) {
    this(nodes, complete, orphanNamespaces, orphanLabels, null);
  }

  /** A fleet that does not say what changed nor its orphans' labels. */
  public Fleet(Map<String, Node> nodes, boolean complete, Map<String, Set<String>> orphanNamespaces) {
    this(nodes, complete, orphanNamespaces, Map.of(), null);
  }

  /** A fleet without orphans that does not say what changed. */
  public Fleet(Map<String, Node> nodes, boolean complete) {
    this(nodes, complete, Map.of(), Map.of(), null);
  }

  /** The nodes of this fleet that hold adoptable orphans in the namespace, by name. */
  public SortedSet<String> holdingOrphansIn(String namespace) {
    SortedSet<String> holding = new TreeSet<>();
    orphanNamespaces.forEach((node, namespaces) -> {
      if (namespaces.contains(namespace) && nodes.containsKey(node)) {
        holding.add(node);
      }
    });
    return holding;
  }

  /** The fingerprint of the node's orphans' labels, null if it holds none. */
  public Integer orphanLabelsOf(String nodeName) {
    return orphanLabels.get(nodeName);
  }

  public static Fleet complete(Map<String, Node> nodes) {
    return new Fleet(nodes, true);
  }

  public Node get(String nodeName) {
    return nodes.get(nodeName);
  }

  public boolean contains(String nodeName) {
    return nodes.containsKey(nodeName);
  }
}
