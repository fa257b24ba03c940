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
 * @param pendingSince when the pending step (SCHEDULED, DELETE_REQUESTED) was decided: upstream's expectations expire
 *     {@link #EXPECTATIONS_TTL} after it; null in bindings persisted before it was recorded (createdAt stands in)
 * @param relabelPending its revision hash was moved to another (dedupCurHistories) and its node has not yet answered
 *     the relabel of its controller-revision-hash label: re-sent until it does, as the other steps are
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
    String waitingReason,
    Instant pendingSince,
    boolean relabelPending) implements JsonSerializable {

  /** Upstream's ExpectationsTimeout: a step never answered stops holding observedGeneration back after this. */
  public static final java.time.Duration EXPECTATIONS_TTL = java.time.Duration.ofMinutes(5);

  public PodBinding(String podName, String podUid, String nodeName, String ownerUid, String revisionHash, Phase phase,
                    String podPhase, Instant readySince, Instant createdAt, String waitingReason,
                    Instant pendingSince) {
    this(podName, podUid, nodeName, ownerUid, revisionHash, phase, podPhase, readySince, createdAt, waitingReason,
        pendingSince, false);
  }

  public PodBinding(String podName, String podUid, String nodeName, String ownerUid, String revisionHash, Phase phase,
                    String podPhase, Instant readySince, Instant createdAt, String waitingReason) {
    this(podName, podUid, nodeName, ownerUid, revisionHash, phase, podPhase, readySince, createdAt, waitingReason,
        phase == Phase.SCHEDULED ? createdAt : null);
  }

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
        waitingReason, pendingSince, relabelPending);
  }

  /** The same pod under another revision hash: its revision was a duplicate of that one (dedupCurHistories). */
  public PodBinding withRevisionHash(String value) {
    return new PodBinding(podName, podUid, nodeName, ownerUid, value, phase, podPhase, readySince, createdAt,
        waitingReason, pendingSince, relabelPending);
  }

  /** The relabel of its controller-revision-hash to be sent (true) or answered by its node (false). */
  public PodBinding withRelabelPending(boolean value) {
    return new PodBinding(podName, podUid, nodeName, ownerUid, revisionHash, phase, podPhase, readySince, createdAt,
        waitingReason, pendingSince, value);
  }

  /** A pending step decided at {@code at}: its expectation expires {@link #EXPECTATIONS_TTL} later. */
  public PodBinding withPendingPhase(Phase value, Instant at) {
    return new PodBinding(podName, podUid, nodeName, ownerUid, revisionHash, value, podPhase, readySince, createdAt,
        waitingReason, at, relabelPending);
  }

  /**
   * Pending, and the expectation of an answer still stands (upstream's SatisfiedExpectations: an expectation older
   * than the TTL counts as satisfied, so a step never answered cannot hold observedGeneration back for ever).
   */
  public boolean isAwaited(Instant now) {
    if (!isPending()) {
      return false;
    }
    Instant since = pendingSince != null ? pendingSince : createdAt;
    return since == null || now.isBefore(since.plus(EXPECTATIONS_TTL));
  }

  public PodBinding observed(String newPodPhase, Instant newReadySince) {
    return observed(newPodPhase, newReadySince, waitingReason);
  }

  public PodBinding observed(String newPodPhase, Instant newReadySince, String newWaitingReason) {
    return new PodBinding(podName, podUid, nodeName, ownerUid, revisionHash, phase, newPodPhase, newReadySince, createdAt,
        newWaitingReason, pendingSince, relabelPending);
  }
}
