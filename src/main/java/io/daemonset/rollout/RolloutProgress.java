package io.daemonset.rollout;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether a rolling update is complete, still progressing, or has failed: Deployment's progressDeadlineSeconds
 * (the deadline restarts each time another updated pod becomes available) and a crash-loop threshold on the updated
 * pods. Pure: the caller keeps {@code lastProgressAt} and the count it was measured at, and applies the policy.
 *
 * <p>Invariants: only updated pods on Ready nodes count towards a crash-loop failure (a pod that cannot run because
 * its node is NotReady or unreachable says nothing about the new revision); a rollout whose target is reached never
 * fails; the verdict is FAILED for a deadline only once {@code now} is at or past lastProgressAt + deadline.
 */
public final class RolloutProgress {

  public enum State { COMPLETE, PROGRESSING, FAILED }

  /** Deployment's reason for a rollout that stopped making progress. */
  public static final String DEADLINE_EXCEEDED = "ProgressDeadlineExceeded";
  public static final String CRASH_LOOPING = "UpdatedPodsCrashLooping";

  /**
   * @param updatedAvailable nodes whose pod of the current revision is available
   * @param lastProgressAt when updatedAvailable last rose (or the rollout started)
   * @param failing "node/pod" of the updated pods that make it fail (crash-looping; for a deadline, those not
   *     available), for the Warning event
   * @param checkAgainAt when the deadline would pass, if nothing changes before
   */
  public record Verdict(State state, String reason, String message, int updatedAvailable, Instant lastProgressAt,
                        List<String> failing, Optional<Instant> checkAgainAt) {}

  /**
   * @param target how many nodes should end on the current revision (desired − partition)
   * @param progressDeadlineSeconds null: no deadline
   * @param previousUpdatedAvailable updatedAvailable as of lastProgressAt
   */
  public record Input(List<NodePods> nodes, String currentHash, int minReadySeconds, int target,
                      Integer progressDeadlineSeconds, int failureThreshold, int previousUpdatedAvailable,
                      Instant lastProgressAt, Instant now) {}

  private RolloutProgress() {}

  public static Verdict evaluate(Input in) {
    int updatedAvailable = 0;
    int updatedOnReadyNodes = 0;
    List<String> crashLooping = new ArrayList<>();
    List<String> notAvailable = new ArrayList<>();
    for (NodePods node : in.nodes()) {
      if (!node.shouldRun()) {
        continue;
      }
      for (PodInfo pod : node.listedPods()) {
        if (pod.deleting() || !Availability.updated(pod, in.currentHash())) {
          continue;
        }
        if (Availability.available(pod, in.minReadySeconds(), in.now())) {
          updatedAvailable++;
        } else {
          notAvailable.add(node.nodeName() + "/" + pod.name());
        }
        if (node.nodeReady()) {
          updatedOnReadyNodes++;
          if (pod.crashLooping()) {
            crashLooping.add(node.nodeName() + "/" + pod.name());
          }
        }
        break;
      }
    }
    Instant lastProgressAt = updatedAvailable > in.previousUpdatedAvailable() || in.lastProgressAt() == null
        ? in.now() : in.lastProgressAt();
    if (updatedAvailable >= in.target()) {
      return new Verdict(State.COMPLETE, null, updatedAvailable + " of " + in.target() + " updated pods available",
          updatedAvailable, lastProgressAt, List.of(), Optional.empty());
    }
    int threshold = Math.min(in.failureThreshold(), updatedOnReadyNodes);
    if (threshold > 0 && crashLooping.size() >= threshold) {
      return new Verdict(State.FAILED, CRASH_LOOPING, crashLooping.size() + " updated pods in CrashLoopBackOff "
          + "(threshold " + threshold + "): " + String.join(", ", crashLooping.subList(0, Math.min(10,
          crashLooping.size()))), updatedAvailable, lastProgressAt, List.copyOf(crashLooping), Optional.empty());
    }
    if (in.progressDeadlineSeconds() != null) {
      Instant deadline = lastProgressAt.plusSeconds(in.progressDeadlineSeconds());
      if (!in.now().isBefore(deadline)) {
        return new Verdict(State.FAILED, DEADLINE_EXCEEDED, "no updated pod became available for "
            + in.progressDeadlineSeconds() + "s: " + updatedAvailable + " of " + in.target() + " available",
            updatedAvailable, lastProgressAt, List.copyOf(notAvailable), Optional.empty());
      }
      return new Verdict(State.PROGRESSING, null, updatedAvailable + " of " + in.target() + " updated pods available",
          updatedAvailable, lastProgressAt, List.of(), Optional.of(deadline));
    }
    return new Verdict(State.PROGRESSING, null, updatedAvailable + " of " + in.target() + " updated pods available",
        updatedAvailable, lastProgressAt, List.of(), Optional.empty());
  }

  /**
   * The revision that runs available, alone, on every node that wants the pod; null if none does (or no node wants
   * the pod).
   */
  public static String fullyAvailable(List<NodePods> nodes, int minReadySeconds, Instant now) {
    String hash = null;
    int desired = 0;
    for (NodePods node : nodes) {
      if (!node.shouldRun()) {
        continue;
      }
      desired++;
      List<PodInfo> pods = node.listedPods().stream().filter(p -> !p.deleting()).toList();
      if (pods.size() != 1 || pods.get(0).revisionHash() == null
          || !Availability.available(pods.get(0), minReadySeconds, now)) {
        return null;
      }
      if (hash == null) {
        hash = pods.get(0).revisionHash();
      } else if (!hash.equals(pods.get(0).revisionHash())) {
        return null;
      }
    }
    return desired == 0 ? null : hash;
  }
}
