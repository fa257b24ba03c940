package io.daemonset.daemonset;

import io.daemonset.node.Fleet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Where a DaemonSet claims orphan pods (upstream's ClaimPods, which runs in every sync): on the nodes the directory
 * shows holding adoptable orphans of its namespace ({@link Fleet#holdingOrphansIn}), and there only where no admission
 * of this DaemonSet waits (its AdmitPod adopts instead, and a claim racing it would make the admitted pod a duplicate).
 * So a fleet without orphans costs no message at all; before, every resync told every node of the fleet.
 */
final class OrphanClaims {
  private OrphanClaims() {}

  /**
   * @param due the nodes to consider (those that just came to hold orphans or whose orphans were relabelled), or null for every node (a DaemonSet just
   *     created or recovered, a resync)
   * @return node names to send {@code ClaimOrphans} to, sorted
   */
  static List<String> targets(DaemonSetState state, Fleet fleet, Set<String> due) {
    if (!state.exists() || state.isTerminating() || state.daemonSet().spec().selector() == null
        || state.daemonSet().spec().selector().isEmpty()) {
      return List.of();
    }
    Set<String> admitting = new HashSet<>();
    state.bindings().values().stream().filter(b -> b.phase() == PodBinding.Phase.SCHEDULED)
        .forEach(b -> admitting.add(b.nodeName()));
    return fleet.holdingOrphansIn(state.daemonSet().metadata().namespace()).stream()
        .filter(n -> due == null || due.contains(n))
        .filter(n -> !admitting.contains(n))
        .toList();
  }

  /**
   * The nodes that hold orphans of the namespace in {@code after} and either did not in {@code before} (null: unknown)
   * or whose orphans' labels changed since (an orphan relabelled so that it may now match, or another one added).
   */
  static Set<String> newlyHoldingOrRelabelled(Fleet before, Fleet after, String namespace) {
    Set<String> now = new HashSet<>(after.holdingOrphansIn(namespace));
    if (before != null) {
      Set<String> held = before.holdingOrphansIn(namespace);
      now.removeIf(node -> held.contains(node)
          && java.util.Objects.equals(before.orphanLabelsOf(node), after.orphanLabelsOf(node)));
    }
    return now;
  }
}
