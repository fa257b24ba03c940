package io.daemonset.model;

/** upstream SetDefaults_NodeStatus: a node that reports capacity but no allocatable can allocate all of it. */
public final class NodeDefaults {
  private NodeDefaults() {}

  public static Node node(Node node) {
    NodeStatus s = node.status();
    if (s == null || s.allocatable() != null || s.capacity() == null) {
      return node;
    }
    return node.withStatus(new NodeStatus(s.capacity(), s.capacity(), s.conditions(), s.addresses(), s.nodeInfo()));
  }
}
