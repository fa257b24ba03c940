package io.daemonset.console;

import io.daemonset.model.Node;
import io.daemonset.model.Pod;
import io.daemonset.view.ObjectIndex;
import io.daemonset.view.StoredObject;
import io.daemonset.view.WatchEvent;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Overview's counts (nodes, ready or not, DaemonSets, pods by state), kept up to date from the watch: a change
 * takes away what its object counted as before ({@link WatchEvent#previous}) and adds what it counts as now. So an
 * open Overview costs each change a few comparisons instead of a recount of every node and pod four times a second.
 * Counted once from the index when the page's feed subscribes ({@link #of}), under the view's lock
 * (ClusterView.subscribeNow), so no change is counted twice or missed.
 */
final class OverviewTally {
  private int nodes;
  private int nodesReady;
  private int daemonSets;
  private int pods;
  private final Map<String, Integer> podsByState = new TreeMap<>();

  /** Every node, DaemonSet and pod the index holds now. */
  static OverviewTally of(ObjectIndex index) {
    OverviewTally tally = new OverviewTally();
    for (String resource : List.of(ObjectIndex.NODES, ObjectIndex.DAEMONSETS, ObjectIndex.PODS)) {
      for (StoredObject o : index.list(resource)) {
        tally.count(resource, o.object(), 1);
      }
    }
    return tally;
  }

  /** One change of the view; other resources than nodes, DaemonSets and pods change nothing here. */
  synchronized void apply(WatchEvent change) {
    if (change.previous() != null) {
      count(change.resource(), change.previous().object(), -1);
    }
    if (!"DELETED".equals(change.type())) {
      count(change.resource(), change.object(), 1);
    }
  }

  synchronized Overview.Counts counts() {
    return new Overview.Counts(nodes, nodesReady, nodes - nodesReady, daemonSets, pods,
        podsByState.entrySet().stream().map(e -> new Overview.Count(e.getKey(), e.getValue())).toList());
  }

  private void count(String resource, Object object, int sign) {
    switch (resource) {
      case ObjectIndex.NODES -> {
        nodes += sign;
        if (Overview.ready((Node) object)) {
          nodesReady += sign;
        }
      }
      case ObjectIndex.DAEMONSETS -> daemonSets += sign;
      case ObjectIndex.PODS -> {
        pods += sign;
        podsByState.merge(Overview.podState((Pod) object), sign, (a, b) -> a + b == 0 ? null : a + b);
      }
      default -> { }
    }
  }
}
