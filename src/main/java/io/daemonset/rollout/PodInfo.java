package io.daemonset.rollout;

import java.time.Instant;
import java.util.Objects;

/**
 * What the planner needs to know about one daemon pod. {@code revisionHash} is the pod's
 * {@code controller-revision-hash}; {@code readySince} is when the Ready condition last became true
 * (null while not ready); {@code deleting} means a deletion was requested (deletionTimestamp set);
 * {@code waitingReason} says why a pod that is not ready waits, as kubelet or the scheduler puts it
 * ({@value #CRASH_LOOP_BACK_OFF}, {@value #UNSCHEDULABLE}, ContainerCreating…), null when unknown or ready.
 */
public record PodInfo(
    String name,
    String revisionHash,
    Instant createdAt,
    boolean ready,
    Instant readySince,
    boolean deleting,
    String phase,
    String waitingReason) {

  public static final String PENDING = "Pending";
  public static final String RUNNING = "Running";
  public static final String SUCCEEDED = "Succeeded";
  public static final String FAILED = "Failed";
  public static final String CRASH_LOOP_BACK_OFF = "CrashLoopBackOff";
  public static final String UNSCHEDULABLE = "Unschedulable";

  public PodInfo(String name, String revisionHash, Instant createdAt, boolean ready, Instant readySince,
                 boolean deleting, String phase) {
    this(name, revisionHash, createdAt, ready, readySince, deleting, phase, null);
  }

  public PodInfo {
    Objects.requireNonNull(name, "name");
  }

  public boolean failed() {
    return FAILED.equals(phase);
  }

  public boolean succeeded() {
    return SUCCEEDED.equals(phase);
  }

  /** upstream podutil.IsPodTerminal. */
  public boolean terminal() {
    return failed() || succeeded();
  }

  /**
   * A pod whose deletion was requested and that has stopped: upstream's getNodesToDaemonPods leaves
   * these out entirely ("the DS controller doesn't have anything else to do with it").
   */
  public boolean deletedAndTerminal() {
    return deleting && terminal();
  }

  public PodInfo markedDeleting() {
    return new PodInfo(name, revisionHash, createdAt, ready, readySince, true, phase, waitingReason);
  }

  public PodInfo withReadiness(boolean value, Instant since) {
    return new PodInfo(name, revisionHash, createdAt, value, value ? since : null, deleting,
        value ? RUNNING : phase, value ? null : waitingReason);
  }

  public PodInfo withPhase(String value) {
    return new PodInfo(name, revisionHash, createdAt, ready, readySince, deleting, value, waitingReason);
  }

  public PodInfo withWaitingReason(String value) {
    return new PodInfo(name, revisionHash, createdAt, ready, readySince, deleting, phase, value);
  }

  public boolean crashLooping() {
    return CRASH_LOOP_BACK_OFF.equals(waitingReason);
  }
}
