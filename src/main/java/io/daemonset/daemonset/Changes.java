package io.daemonset.daemonset;

import java.util.Set;

/**
 * What changed since the last reconcile: the contract that lets the reconcile become incremental. With
 * {@code specChanged} or {@code resync} it looks at the whole fleet; otherwise it may look only at
 * {@code nodesChanged} and the nodes of {@code podsObserved}. As built, the entity hands the reconcile
 * {@code nodesChanged} as a {@link FleetDelta} tied to the fleet it was counted from, which the views and judgements
 * of that very fleet trust (a name left out would be a node not looked at, so the entity counts them exactly); the
 * rest (the bindings, the answers) is found by comparison ({@link NodeViews}, {@link Eligibilities}). {@code trigger} names what changed in words, for the causes of the
 * decisions that follow ("node n2: label ssd removed"), or is null.
 */
public record Changes(boolean specChanged, boolean resync, Set<String> nodesChanged, Set<String> podsObserved,
                      String trigger) {

  public static final Changes NONE = new Changes(false, false, Set.of(), Set.of(), null);
  public static final Changes RESYNC = new Changes(false, true, Set.of(), Set.of(), null);

  public Changes {
    nodesChanged = Set.copyOf(nodesChanged);
    podsObserved = Set.copyOf(podsObserved);
  }

  /** Accumulates what changed between two reconciles. */
  Changes and(Changes other) {
    java.util.Set<String> nodes = new java.util.HashSet<>(nodesChanged);
    nodes.addAll(other.nodesChanged);
    java.util.Set<String> pods = new java.util.HashSet<>(podsObserved);
    pods.addAll(other.podsObserved);
    return new Changes(specChanged || other.specChanged, resync || other.resync, nodes, pods,
        other.trigger != null ? other.trigger : trigger);
  }
}
