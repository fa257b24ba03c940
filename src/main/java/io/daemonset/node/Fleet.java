package io.daemonset.node;

import io.daemonset.model.Node;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The fleet as the node directory shows it to one subscriber: node name → node, and whether every part
 * of the directory has been seen. While {@code complete} is false a DaemonSet decides per node only,
 * never what depends on the whole fleet (desired counts, the maxUnavailable budget, status): after a
 * restart or on a member that just joined, the directory arrives in parts.
 */
public record Fleet(Map<String, Node> nodes, boolean complete, Set<String> changed) {

  /** Before the first view: nothing is known, which must never be read as "no nodes". */
  public static final Fleet UNKNOWN = new Fleet(Map.of(), false);

  /**
   * @param changed the names of the nodes added, removed or changed since the previous fleet delivered to the same
   *     subscriber, or null if unknown (then a subscriber compares the two fleets)
   */
  public Fleet {
    Objects.requireNonNull(nodes, "nodes");
    changed = changed == null ? null : Set.copyOf(changed);
  }

  /** A fleet that does not say what changed. */
  public Fleet(Map<String, Node> nodes, boolean complete) {
    this(nodes, complete, null);
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
