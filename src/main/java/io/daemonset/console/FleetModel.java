package io.daemonset.console;

import io.daemonset.model.DaemonSet;
import io.daemonset.model.Node;
import io.daemonset.model.OwnerReference;
import io.daemonset.model.Pod;
import io.daemonset.placement.Selector;
import io.daemonset.view.ObjectIndex;
import io.daemonset.view.StoredObject;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fleet map of one DaemonSet as the view has it now: every node (those matching the label filter), in natural
 * name order, with its {@link CellState} and the name of the pod the cell describes.
 */
record FleetModel(DaemonSet daemonSet, Map<String, Cell> cells, Map<CellState, Integer> counts) {

  record Cell(String node, CellState state, String pod) {}

  /**
   * The cells' nodes in map order, separated by spaces (node names are DNS subdomains: no spaces), for the page to
   * build its cells from; with {@link #stateCodes} a 5,000-node map is ≈ 40 kB of two attributes rather than
   * 5,000 elements for the browser to parse, style and lay out in one task.
   */
  String nodeList() {
    return String.join(" ", cells.keySet());
  }

  /** One state code per cell, in the order of {@link #nodeList}. */
  String stateCodes() {
    StringBuilder codes = new StringBuilder(cells.size());
    cells.values().forEach(c -> codes.append(c.state().code()));
    return codes.toString();
  }

  /** ds null: every node is shown as not eligible (no DaemonSet selected). filter null: every node. */
  static FleetModel of(ObjectIndex index, DaemonSet ds, Selector filter) {
    Map<String, Pod> pods = ds == null ? Map.of() : podsByNode(index, ds);
    String hash = ds == null ? null : FleetCells.currentHash(ds, index);
    List<Node> nodes = index.list(ObjectIndex.NODES).stream().map(o -> (Node) o.object())
        .filter(n -> filter == null || filter.matches(labels(n)))
        .sorted((a, b) -> NaturalOrder.INSTANCE.compare(a.name(), b.name())).toList();
    Map<String, Cell> cells = new LinkedHashMap<>();
    Map<CellState, Integer> counts = new EnumMap<>(CellState.class);
    for (CellState state : CellState.values()) {
      counts.put(state, 0);
    }
    for (Node node : nodes) {
      Pod pod = pods.get(node.name());
      CellState state = ds == null ? CellState.NOT_ELIGIBLE : FleetCells.state(node, ds, hash, pod);
      cells.put(node.name(), new Cell(node.name(), state, pod == null ? null : pod.metadata().name()));
      counts.merge(state, 1, Integer::sum);
    }
    return new FleetModel(ds, cells, counts);
  }

  /**
   * One node's cell as {@link #of} would give it, for a live update of the nodes that changed: null when the node is
   * gone or does not match the filter. hash is {@link FleetCells#currentHash(DaemonSet, ObjectIndex)}, computed once.
   */
  static Cell cell(ObjectIndex index, DaemonSet ds, String hash, Selector filter, String nodeName) {
    Node node = index.get(ObjectIndex.NODES, null, nodeName).map(o -> (Node) o.object()).orElse(null);
    if (node == null || (filter != null && !filter.matches(labels(node)))) {
      return null;
    }
    Pod pod = ds == null ? null : podOn(index, ds, hash, nodeName);
    CellState state = ds == null ? CellState.NOT_ELIGIBLE : FleetCells.state(node, ds, hash, pod);
    return new Cell(nodeName, state, pod == null ? null : pod.metadata().name());
  }

  /** The DaemonSet's pod on one node, chosen as {@link #podsByNode} does, from the pods the node admitted. */
  static Pod podOn(ObjectIndex index, DaemonSet ds, String hash, String nodeName) {
    String uid = ds.metadata().uid();
    Pod chosen = null;
    for (Pod pod : index.nodeState(nodeName).map(s -> s.pods().values()).orElse(List.of())) {
      if (ownedBy(pod, uid) && pod.spec() != null && nodeName.equals(pod.spec().nodeName())) {
        chosen = chosen == null ? pod : preferred(chosen, pod, hash);
      }
    }
    return chosen;
  }

  /**
   * The DaemonSet's pod on each node. During a surge a node has two: the one on the current revision is the one
   * the cell shows (the rollout's news), else one not being deleted.
   */
  static Map<String, Pod> podsByNode(ObjectIndex index, DaemonSet ds) {
    String uid = ds.metadata().uid();
    String hash = FleetCells.currentHash(ds, index);
    Map<String, Pod> byNode = new HashMap<>();
    for (StoredObject stored : index.list(ObjectIndex.PODS)) {
      Pod pod = (Pod) stored.object();
      if (!ownedBy(pod, uid) || pod.spec() == null || pod.spec().nodeName() == null) {
        continue;
      }
      byNode.merge(pod.spec().nodeName(), pod, (a, b) -> preferred(a, b, hash));
    }
    return byNode;
  }

  static boolean ownedBy(Pod pod, String uid) {
    List<OwnerReference> owners = pod.metadata().ownerReferences();
    return owners != null && owners.stream().anyMatch(o -> uid != null && uid.equals(o.uid()));
  }

  private static Pod preferred(Pod a, Pod b, String hash) {
    boolean aNew = hash.equals(FleetCells.labelOf(a, io.daemonset.rollout.Revisions.HASH_LABEL));
    boolean bNew = hash.equals(FleetCells.labelOf(b, io.daemonset.rollout.Revisions.HASH_LABEL));
    if (aNew != bNew) {
      return aNew ? a : b;
    }
    return a.metadata().deletionTimestamp() == null ? a : b;
  }

  static Map<String, String> labels(Node node) {
    return Optional.ofNullable(node.metadata().labels()).orElse(Map.of());
  }
}
