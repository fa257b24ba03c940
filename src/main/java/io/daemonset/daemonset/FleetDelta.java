package io.daemonset.daemonset;

import io.daemonset.model.Node;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Where the fleet's nodes may differ from an earlier fleet: at most at {@code names}, compared with {@code since}.
 * A reconcile that carries views of {@code since} (the very map: identity, not equality) compares only those names
 * instead of the whole fleet, so that a round after a node joined costs what changed, not 5,000 nodes
 * ({@link NodeViews}, {@link Eligibilities}). Views of any other map are compared in full: a delta never describes a
 * fleet it was not counted from.
 *
 * <p>The entity counts it from the directory's notifications ({@link DaemonSetEntity}: each notification's changed
 * names, trusted only when it follows the very fleet the entity held, else found by comparison), so {@code names}
 * holds every node added, removed or changed since the fleet of the last reconcile; a name that did not change after
 * all costs a comparison, never a wrong view.
 *
 * @param since the fleet's nodes the names are counted from; null: unknown (compare everything)
 * @param names every node that may differ from {@code since}
 */
record FleetDelta(Map<String, Node> since, Set<String> names) {
  static final FleetDelta UNKNOWN = new FleetDelta(null, Set.of());

  FleetDelta {
    names = Set.copyOf(Objects.requireNonNull(names, "names"));
  }

  /** The names at which {@code nodes} may differ from {@code from}, or null when this delta was not counted from it. */
  Set<String> from(Map<String, Node> from) {
    return since != null && since == from ? names : null;
  }
}
