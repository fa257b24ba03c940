package io.daemonset.rollout;

import java.util.Set;

/**
 * The holds a user (or a failed rollout) puts on a DaemonSet's pods, as the planner sees them. NONE is upstream.
 *
 * @param frozen nothing is created or deleted at all (incident response)
 * @param paused no pod is replaced for the update; nodes without a pod still get one
 * @param partition this many pods stay on an old revision (OpenKruise's partition); 0 = none
 * @param updateScope the nodes whose pods may be updated (the rollingUpdate selector, and the canary nodes while a
 *     canary holds); null = every node
 * @param creationHash the revision a node without a pod gets: null = the current one; during a canary, the stable
 *     one, so that nodes joining mid-canary do not widen it (Nomad's behaviour; with a plain partition they get the
 *     current one, as OpenKruise does)
 */
public record RolloutControls(boolean frozen, boolean paused, int partition, Set<String> updateScope,
                              String creationHash) {

  public static final RolloutControls NONE = new RolloutControls(false, false, 0, null, null);

  public RolloutControls {
    if (partition < 0) {
      throw new IllegalArgumentException("partition must be >= 0, was " + partition);
    }
    updateScope = updateScope == null ? null : Set.copyOf(updateScope);
  }

  boolean inScope(String nodeName) {
    return updateScope == null || updateScope.contains(nodeName);
  }
}
