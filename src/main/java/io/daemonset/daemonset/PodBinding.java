package io.daemonset.daemonset;

import io.daemonset.journal.JsonSerializable;
import java.time.Instant;

/**
 * What a DaemonSet knows of one of its pods: enough to decide, never the pod itself (that lives on its node).
 *
 * @param ownerUid the DaemonSet incarnation that made it: a DaemonSet deleted and created again under the
 *     same name never mistakes the old incarnation's pods for its own
 * @param phase where the pod is in the binding protocol
 * @param podPhase the pod's phase as its node last reported it (Pending, Running, Succeeded, Failed)
 * @param readySince when the pod last became Ready, null while it is not ready
 * @param waitingReason why a pod that is not ready waits, as its node says (CrashLoopBackOff, Unschedulable), else
 *     null: the rollout's failure detection and the unavailable breakdown read it
 */
public record PodBinding(
    String podName,
    String podUid,
    String nodeName,
    String ownerUid,
    String revisionHash,
    Phase phase,
    String podPhase,
    Instant readySince,
    Instant createdAt,
    String waitingReason) implements JsonSerializable {

  public PodBinding(String podName, String podUid, String nodeName, String ownerUid, String revisionHash, Phase phase,
                    String podPhase, Instant readySince, Instant createdAt) {
    this(podName, podUid, nodeName, ownerUid, revisionHash, phase, podPhase, readySince, createdAt, null);
  }

  /** The binding protocol's steps. */
  public enum Phase {
    /** Persisted, AdmitPod sent (and re-sent after a crash) until the node answers. */
    SCHEDULED,
    /** The node admitted it. */
    BOUND,
    /** Deletion decided and persisted, DeletePod sent until the node acknowledges. */
    DELETE_REQUESTED,
    /** The node is stopping it within its grace period. */
    TERMINATING,
    /** Its DaemonSet is being deleted with propagation Orphan: OrphanPod sent until the node acknowledges. */
    ORPHAN_REQUESTED
  }

  /** Creates and deletes not yet acknowledged by a node: observedGeneration waits for these, as upstream's expectations do. */
  public boolean isPending() {
    return phase == Phase.SCHEDULED || phase == Phase.DELETE_REQUESTED;
  }

  public boolean isBeingDeleted() {
    return phase == Phase.DELETE_REQUESTED || phase == Phase.TERMINATING;
  }

  public PodBinding withPhase(Phase value) {
    return new PodBinding(podName, podUid, nodeName, ownerUid, revisionHash, value, podPhase, readySince, createdAt,
        waitingReason);
  }

  public PodBinding observed(String newPodPhase, Instant newReadySince) {
    return observed(newPodPhase, newReadySince, waitingReason);
  }

  public PodBinding observed(String newPodPhase, Instant newReadySince, String newWaitingReason) {
    return new PodBinding(podName, podUid, nodeName, ownerUid, revisionHash, phase, newPodPhase, newReadySince, createdAt,
        newWaitingReason);
  }
}
