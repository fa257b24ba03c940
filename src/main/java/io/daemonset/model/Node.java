package io.daemonset.model;

/** A v1 Node: a machine that runs pods. */
public record Node(String apiVersion, String kind, ObjectMeta metadata, NodeSpec spec, NodeStatus status) {

  public static final String KIND = "Node";

  public Node withMetadata(ObjectMeta value) {
    return new Node(apiVersion, kind, value, spec, status);
  }

  public Node withSpec(NodeSpec value) {
    return new Node(apiVersion, kind, metadata, value, status);
  }

  public Node withStatus(NodeStatus value) {
    return new Node(apiVersion, kind, metadata, spec, value);
  }

  public String name() {
    return metadata == null ? null : metadata.name();
  }
}
