package io.daemonset.daemonset;

import io.daemonset.rollout.Backoff;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The DaemonSet's backoffs, runtime only (a restart resets them, as upstream's do).
 *
 * @param failedPods upstream's failedPodsBackoff, keyed as upstream keys it: {@code uid/observedGeneration/node};
 *     it limits the deletion of failed pods, not the creation of their replacements
 * @param admissions per node, after the node refused a pod (not after AlreadyExists: that retries at once
 *     under a new name); a create on that node waits until it runs out
 */
public record Backoffs(Map<String, Backoff> failedPods, Map<String, Backoff> admissions) {

  public static final Backoffs NONE = new Backoffs(Map.of(), Map.of());

  public Backoffs {
    failedPods = Map.copyOf(failedPods);
    admissions = Map.copyOf(admissions);
  }

  static String failedPodKey(String uid, Long observedGeneration, String nodeName) {
    return uid + "/" + (observedGeneration == null ? 0 : observedGeneration) + "/" + nodeName;
  }

  /** The failed-pod backoffs of one DaemonSet generation, by node name, as the planner takes them. */
  Map<String, Backoff> failedPodsByNode(String uid, Long observedGeneration) {
    String prefix = failedPodKey(uid, observedGeneration, "");
    Map<String, Backoff> out = new HashMap<>();
    failedPods.forEach((key, b) -> {
      if (key.startsWith(prefix)) {
        out.put(key.substring(prefix.length()), b);
      }
    });
    return out;
  }

  /** Replaces that generation's failed-pod backoffs by the planner's answer; drops stale entries (upstream's GC). */
  Backoffs withFailedPods(String uid, Long observedGeneration, Map<String, Backoff> byNode, Instant now) {
    String prefix = failedPodKey(uid, observedGeneration, "");
    Map<String, Backoff> next = new HashMap<>();
    failedPods.forEach((key, b) -> {
      if (!key.startsWith(prefix) && !b.staleAt(now)) {
        next.put(key, b);
      }
    });
    byNode.forEach((node, b) -> next.put(prefix + node, b));
    return new Backoffs(next, admissions);
  }

  Backoffs admissionRefused(String nodeName, Instant now) {
    Map<String, Backoff> next = new HashMap<>(admissions);
    next.put(nodeName, Backoff.next(admissions.get(nodeName), now));
    return new Backoffs(failedPods, next);
  }

  /** When a create on the node may be tried again, if it must wait. */
  Optional<Instant> admissionHeldUntil(String nodeName, Instant now) {
    Backoff b = admissions.get(nodeName);
    return b != null && b.holdsAt(now) ? Optional.of(b.nextAllowedAt()) : Optional.empty();
  }
}
