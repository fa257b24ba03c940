package io.daemonset.rollout;

import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;

/** Readiness, availability and age of pods, exactly as upstream's podutil and sort order define them. */
final class Availability {

  /**
   * Oldest first, ties by name: upstream podByCreationTimestampAndPhase. (Its first key, "bound to a
   * node before not yet bound", does not arise here: every pod is planned onto its node.) A pod with
   * no creation time sorts first, as Go's zero time does.
   */
  static final Comparator<PodInfo> OLDEST_FIRST = Comparator
      .comparing(PodInfo::createdAt, Comparator.nullsFirst(Comparator.naturalOrder()))
      .thenComparing(PodInfo::name);

  private Availability() {}

  /**
   * upstream podutil.IsPodAvailable: Ready, and Ready for strictly longer than minReadySeconds (a
   * pod Ready at t with minReadySeconds 10 is available after t+10s, not at it). A Ready pod with no
   * known ready time is available only when minReadySeconds is 0.
   */
  static boolean available(PodInfo pod, int minReadySeconds, Instant now) {
    if (!pod.ready()) {
      return false;
    }
    return minReadySeconds == 0
        || (pod.readySince() != null && pod.readySince().plusSeconds(minReadySeconds).isBefore(now));
  }

  /** The first instant at which a Ready-but-not-yet-available pod becomes available, if any. */
  static Optional<Instant> becomesAvailableAt(PodInfo pod, int minReadySeconds, Instant now) {
    if (!pod.ready() || pod.readySince() == null || available(pod, minReadySeconds, now)) {
      return Optional.empty();
    }
    return Optional.of(pod.readySince().plusSeconds(minReadySeconds).plusNanos(1));
  }

  /** upstream util.IsPodUpdated (the templateGeneration fallback of extensions/v1beta1 is not kept). */
  static boolean updated(PodInfo pod, String currentHash) {
    return !currentHash.isEmpty() && currentHash.equals(pod.revisionHash());
  }
}
