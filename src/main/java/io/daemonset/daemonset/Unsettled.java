package io.daemonset.daemonset;

import java.util.Collection;
import org.pcollections.HashTreePMap;
import org.pcollections.PMap;
import org.pcollections.PSortedMap;
import org.pcollections.TreePMap;

/**
 * The bindings a round looks at besides the node views, kept with them ({@link NodeViews}) so that a round reads what
 * is not yet settled instead of walking every binding: the steps to (re-)send ({@link Reconciler#steps}), the answers
 * a DaemonSet waits for ({@link Outstanding}), whether any create or delete is unanswered (observedGeneration), and
 * the revisions its pods carry (the history keeps those). At 5,000 nodes those walks were a quarter of a join round,
 * although a settled fleet has nothing in them.
 *
 * <p>Settled: a pod of this incarnation, bound, Ready and not waiting for a relabel. Every step is for a binding that
 * is not (SCHEDULED, DELETE_REQUESTED, ORPHAN_REQUESTED, a pending relabel), and so is every awaited answer and every
 * pod not yet Ready; a binding of another incarnation is never settled.
 *
 * @param bindings every binding that is not settled, by pod name (the order the steps are sent in)
 * @param ownHashes how many of this incarnation's bindings carry each revision hash (any phase: the history's live
 *     revisions)
 */
record Unsettled(PSortedMap<String, PodBinding> bindings, PMap<String, Integer> ownHashes) {
  static final Unsettled EMPTY = new Unsettled(TreePMap.empty(), HashTreePMap.empty());
  /** The key of a binding without a revision hash (no real hash holds a NUL). */
  private static final String NO_HASH = "\0";

  static boolean settled(PodBinding b, String uid) {
    return b.ownerUid().equals(uid) && b.phase() == PodBinding.Phase.BOUND && b.readySince() != null
        && !b.relabelPending();
  }

  /** Every binding of a state whose incarnation is {@code uid}. */
  static Unsettled of(Collection<PodBinding> all, String uid) {
    Unsettled out = EMPTY;
    for (PodBinding b : all) {
      out = out.changed(null, b, uid);
    }
    return out;
  }

  /** This index after one binding changed from {@code was} to {@code now} (null: absent). */
  Unsettled changed(PodBinding was, PodBinding now, String uid) {
    PSortedMap<String, PodBinding> nextBindings = bindings;
    PMap<String, Integer> nextHashes = ownHashes;
    if (was != null) {
      nextBindings = nextBindings.minus(was.podName());
      if (was.ownerUid().equals(uid)) {
        String key = key(was);
        int left = nextHashes.getOrDefault(key, 0) - 1;
        nextHashes = left <= 0 ? nextHashes.minus(key) : nextHashes.plus(key, left);
      }
    }
    if (now != null) {
      if (!settled(now, uid)) {
        nextBindings = nextBindings.plus(now.podName(), now);
      }
      if (now.ownerUid().equals(uid)) {
        String key = key(now);
        nextHashes = nextHashes.plus(key, nextHashes.getOrDefault(key, 0) + 1);
      }
    }
    return new Unsettled(nextBindings, nextHashes);
  }

  /** Every pod of this incarnation carries {@code hash} (or there is none). */
  boolean onlyRevision(String hash) {
    return ownHashes.isEmpty() || (ownHashes.size() == 1 && hash != null && ownHashes.containsKey(hash));
  }

  /** The revision hashes this incarnation's pods carry (null for a pod that carries none). */
  java.util.Set<String> liveHashes() {
    java.util.Set<String> out = new java.util.HashSet<>();
    for (String key : ownHashes.keySet()) {
      out.add(NO_HASH.equals(key) ? null : key);
    }
    return out;
  }

  private static String key(PodBinding b) {
    return b.revisionHash() == null ? NO_HASH : b.revisionHash();
  }
}
