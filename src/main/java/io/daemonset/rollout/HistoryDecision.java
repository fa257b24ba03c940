package io.daemonset.rollout;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What to do with a DaemonSet's ControllerRevisions in one reconcile.
 *
 * @param action CREATE {@code current}; RENUMBER an existing revision from {@code previousRevision}
 *     to {@code current.revision()} (a rollback, or a template re-applied); KEEP; or HASH_COLLISION:
 *     a different template already holds the name {@code <ds>-<hash>}, so the caller raises
 *     status.collisionCount, recomputes the hash and decides again (nothing else is decided)
 * @param current the revision of the current template after the action (null on HASH_COLLISION)
 * @param previousRevision the number {@code current} had before (0 when created)
 * @param duplicates other revisions holding the current template (upstream dedupCurHistories): delete
 *     them, after moving pods labelled with their hashes to {@code current.hash()} ({@link #relabelled})
 * @param trim old revisions to delete, oldest first, down to revisionHistoryLimit
 */
public record HistoryDecision(
    Action action,
    RevisionRef current,
    long previousRevision,
    List<RevisionRef> duplicates,
    List<RevisionRef> trim) {

  public enum Action { CREATE, RENUMBER, KEEP, HASH_COLLISION }

  public HistoryDecision {
    duplicates = List.copyOf(duplicates);
    trim = List.copyOf(trim);
  }

  /**
   * upstream dedupCurHistories' relabelling: each duplicate's hash → the kept revision's hash. A pod whose
   * controller-revision-hash is a key gets the value, so it counts as current, not as old.
   */
  public Map<String, String> relabelled() {
    Map<String, String> out = new TreeMap<>();
    duplicates.forEach(d -> out.put(d.hash(), current.hash()));
    return out;
  }
}
