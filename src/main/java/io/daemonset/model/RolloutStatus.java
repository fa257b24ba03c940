package io.daemonset.model;

import java.time.Instant;
import java.util.List;

/**
 * What the rollout controls upstream lacks report (status.rollout): which revision runs and why, and why pods are
 * unavailable. Absent (null) on a DaemonSet that uses none of them and has never failed a rollout.
 *
 * @param phase Complete, Progressing, Paused, Frozen, Canary, or Failed
 * @param updateRevision the revision (controller-revision-hash) the template asks for
 * @param runningRevision the revision the controller rolls out: the update revision, or after an automatic
 *     rollback the last good one (the user's template is never rewritten)
 * @param lastGoodRevision the last revision that was available on every node it was meant for
 * @param failedRevision a revision marked failed: applying the same template again changes nothing
 * @param message a sentence for people (`kubectl describe`)
 * @param unavailable numberUnavailable by cause
 * @param canary the canary step, while one is configured for the update revision
 * @param progressTime when the rollout of the update revision last made progress (another updated pod available),
 *     null while it is not running (complete, held, failed): the progress deadline counts from here
 * @param updatedNumberAvailable nodes whose pod of the update revision is available, as of progressTime
 */
public record RolloutStatus(
    String phase,
    String updateRevision,
    String runningRevision,
    String lastGoodRevision,
    String failedRevision,
    String message,
    UnavailableCounts unavailable,
    Canary canary,
    Instant progressTime,
    Integer updatedNumberAvailable) {

  public static final String COMPLETE = "Complete";
  public static final String PROGRESSING = "Progressing";
  public static final String PAUSED = "Paused";
  public static final String FROZEN = "Frozen";
  public static final String CANARY = "Canary";
  public static final String FAILED = "Failed";

  /** The canary step: its nodes (the first 50 by name), when its soak ends, and whether it passed (or was promoted). */
  public record Canary(String revision, List<String> nodes, Instant soakEndsAt, boolean promoted) {}
}
