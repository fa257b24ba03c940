package io.daemonset.node;

import io.daemonset.model.Node;
import io.daemonset.model.NodeCondition;
import io.daemonset.model.NodeSpec;
import io.daemonset.model.NodeStatus;
import io.daemonset.model.ObjectMeta;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Pure rules for how a Node object changes on registration and update. */
public final class NodeObjects {
  private NodeObjects() {}

  public static Node forCreate(Node requested, String nodeName, Instant now) {
    ObjectMeta meta = requested.metadata() == null ? ObjectMeta.named(null, nodeName) : requested.metadata();
    meta = meta.withName(nodeName).withNamespace(null).withUid(UUID.randomUUID().toString())
        .withCreationTimestamp(now).withResourceVersion(null).withGeneration(null).withDeletionTimestamp(null);
    return new Node("v1", Node.KIND, meta, requested.spec() == null ? new NodeSpec(null, null, null, null) : requested.spec(),
        requested.status());
  }

  /**
   * A re-registering agent refreshes capacity, addresses and nodeInfo and may add labels, but the labels,
   * taints and unschedulable flag that users set through the API are kept, as the kubelet does.
   */
  public static Node reRegistered(Node existing, Node agent) {
    Map<String, String> labels = new LinkedHashMap<>(existing.metadata().labelsOrEmpty());
    if (agent.metadata() != null) {
      agent.metadata().labelsOrEmpty().forEach(labels::putIfAbsent);
    }
    NodeStatus status = agent.status() == null ? existing.status() : agent.status();
    return existing.withMetadata(existing.metadata().withLabels(labels.isEmpty() ? null : Map.copyOf(labels)))
        .withStatus(status);
  }

  /** An API update changes labels, annotations and spec; identity and status stay the server's. */
  public static Node forUpdate(Node existing, Node requested) {
    ObjectMeta requestedMeta = requested.metadata();
    ObjectMeta meta = existing.metadata()
        .withLabels(requestedMeta == null ? null : requestedMeta.labels())
        .withAnnotations(requestedMeta == null ? null : requestedMeta.annotations());
    NodeSpec spec = requested.spec() == null ? new NodeSpec(null, null, null, null) : requested.spec();
    return existing.withMetadata(meta).withSpec(spec);
  }

  /** Heartbeat times change every period; only other changes are worth an event. */
  static boolean differsBeyondHeartbeat(Node before, Node after) {
    return !withoutHeartbeats(before).equals(withoutHeartbeats(after));
  }

  private static Node withoutHeartbeats(Node node) {
    if (node.status() == null) {
      return node;
    }
    List<NodeCondition> conditions = node.status().conditionsOrEmpty().stream()
        .map(c -> new NodeCondition(c.type(), c.status(), null, c.lastTransitionTime(), c.reason(), c.message()))
        .toList();
    NodeStatus s = node.status();
    return node.withStatus(new NodeStatus(s.capacity(), s.allocatable(), conditions, s.addresses(), s.nodeInfo()));
  }

  /** A node whose agent reports a Ready condition stops pods itself; without one, nobody would. */
  static boolean hasAgent(Node node) {
    return node.status() != null
        && node.status().conditionsOrEmpty().stream().anyMatch(c -> "Ready".equals(c.type()));
  }
}
