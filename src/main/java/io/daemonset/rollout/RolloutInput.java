package io.daemonset.rollout;

import io.daemonset.model.DaemonSetUpdateStrategy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one reconcile of a DaemonSet's pods depends on, as data.
 *
 * @param currentHash the hash of the current revision (pods carrying it are "new")
 * @param strategy the spec's updateStrategy; null means apps/v1's default (RollingUpdate,
 *     maxUnavailable 1). Within it a null maxUnavailable or maxSurge counts as 0, and if both work
 *     out to 0 the planner behaves as maxUnavailable 1, as upstream does
 * @param minReadySeconds a pod is available once it has been Ready for longer than this
 * @param now the instant of this decision; the planner reads no clock
 * @param nodes every node the DaemonSet knows of, in the order effects should be listed (ties in the
 *     choice of which nodes to update first are broken by this order)
 * @param backoffs failed-pod backoff per node name, as returned by the previous plan (null = none)
 * @param controls partition, pause, freeze, update scope and the revision of new pods (null = upstream's: none)
 */
public record RolloutInput(
    String currentHash,
    DaemonSetUpdateStrategy strategy,
    int minReadySeconds,
    Instant now,
    List<NodePods> nodes,
    Map<String, Backoff> backoffs,
    RolloutControls controls) {

  /** Upstream's input: no rollout controls. */
  public RolloutInput(String currentHash, DaemonSetUpdateStrategy strategy, int minReadySeconds, Instant now,
                      List<NodePods> nodes, Map<String, Backoff> backoffs) {
    this(currentHash, strategy, minReadySeconds, now, nodes, backoffs, RolloutControls.NONE);
  }

  public RolloutInput {
    Objects.requireNonNull(currentHash, "currentHash");
    Objects.requireNonNull(now, "now");
    if (minReadySeconds < 0) {
      throw new IllegalArgumentException("minReadySeconds must be >= 0, was " + minReadySeconds);
    }
    nodes = nodes == null ? List.of() : List.copyOf(nodes);
    backoffs = backoffs == null ? Map.of() : Map.copyOf(backoffs);
    controls = controls == null ? RolloutControls.NONE : controls;
  }

  /**
   * The revision a node without a pod gets: the current one, except outside the update scope while the controls
   * name another (a canary's stable revision for the nodes that join mid-canary).
   */
  String creationHash(String nodeName) {
    return controls.creationHash() == null || controls.inScope(nodeName) ? currentHash : controls.creationHash();
  }
}
