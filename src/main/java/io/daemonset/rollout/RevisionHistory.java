package io.daemonset.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * A DaemonSet's revisions and the pure decision upstream's constructHistory and cleanupHistory make
 * about them (pkg/controller/daemon/update.go).
 *
 * <p>Invariants after the decision is applied: exactly one revision holds the current template, and it
 * has the highest number (re-applying an old template, as a rollback does, renumbers that revision to
 * the top instead of copying it); at most revisionHistoryLimit other revisions remain, the oldest
 * going first, except that a revision whose hash a live pod still carries is never deleted, whatever
 * the limit, and neither is the current one. Duplicates of the current revision (other revisions holding the same
 * template) all go, whatever pods carry them: {@link HistoryDecision#relabelled} says which hashes their pods move to.
 */
public record RevisionHistory(List<RevisionRef> revisions) {

  /** apps/v1 default revisionHistoryLimit. */
  public static final int DEFAULT_LIMIT = 10;

  public RevisionHistory {
    revisions = List.copyOf(revisions);
  }

  /**
   * @param currentData the current template's {@link Revisions#revisionData}, or null to match by hash
   *     alone (then a hash collision cannot be detected)
   * @param liveHashes the revision hashes carried by the DaemonSet's pods, including terminating ones
   * @param revisionHistoryLimit null means the default, 10
   */
  public HistoryDecision decide(String dsName, String currentHash, JsonNode currentData,
      Collection<String> liveHashes, Integer revisionHistoryLimit) {
    List<RevisionRef> current = new ArrayList<>();
    List<RevisionRef> old = new ArrayList<>();
    for (RevisionRef r : revisions) {
      (matches(r, currentHash, currentData) ? current : old).add(r);
    }
    long next = Revisions.nextRevisionNumber(old.stream().map(RevisionRef::revision).toList());
    String name = Revisions.revisionName(dsName, currentHash);
    if (current.isEmpty() && old.stream().anyMatch(r -> r.name().equals(name))) {
      return new HistoryDecision(HistoryDecision.Action.HASH_COLLISION, null, 0, List.of(), List.of());
    }
    List<RevisionRef> trim = trim(old, Set.copyOf(liveHashes),
        revisionHistoryLimit == null ? DEFAULT_LIMIT : Math.max(revisionHistoryLimit, 0));
    if (current.isEmpty()) {
      RevisionRef created = new RevisionRef(name, currentHash, next, currentData);
      return new HistoryDecision(HistoryDecision.Action.CREATE, created, 0, List.of(), trim);
    }
    RevisionRef keep = current.get(0);
    for (RevisionRef r : current) {
      keep = r.revision() >= keep.revision() ? r : keep;
    }
    RevisionRef kept = keep;
    // upstream dedupCurHistories: every other revision of the current template goes, live pods or not; the caller
    // relabels their pods to the kept hash first, so that no pod is taken for old because of a duplicate.
    List<RevisionRef> duplicates = current.stream().filter(r -> r != kept).toList();
    if (kept.revision() < next) {
      return new HistoryDecision(HistoryDecision.Action.RENUMBER, kept.withRevision(next), kept.revision(), duplicates, trim);
    }
    return new HistoryDecision(HistoryDecision.Action.KEEP, kept, kept.revision(), duplicates, trim);
  }

  /**
   * The revision that holds this template's data (upstream Match), the highest-numbered if several do; empty when
   * none does. Its hash is the current revision's, whatever template + collisionCount hash to now.
   */
  public java.util.Optional<RevisionRef> holding(JsonNode templateData) {
    String wanted = CanonicalJson.write(templateData);
    return revisions.stream().filter(r -> r.data() != null && CanonicalJson.write(r.data()).equals(wanted))
        .max(Comparator.comparingLong(RevisionRef::revision));
  }

  /** Whether a revision holds the current template: by data when both are known (upstream Match). */
  private static boolean matches(RevisionRef r, String currentHash, JsonNode currentData) {
    if (currentData != null && r.data() != null) {
      // As JSON text, not as trees: a revision read back from the journal holds 30 as an int node where the
      // live template's Long gives a long node, and the two trees are not equal though the data is.
      return CanonicalJson.write(r.data()).equals(CanonicalJson.write(currentData));
    }
    return r.hash().equals(currentHash);
  }

  /** upstream cleanupHistory: the oldest old revisions beyond the limit that no live pod uses. */
  private static List<RevisionRef> trim(List<RevisionRef> old, Set<String> liveHashes, int limit) {
    int toKill = old.size() - limit;
    if (toKill <= 0) {
      return List.of();
    }
    return old.stream()
        .sorted(Comparator.comparingLong(RevisionRef::revision).thenComparing(RevisionRef::name))
        .filter(r -> !liveHashes.contains(r.hash()))
        .limit(toKill)
        .toList();
  }
}
