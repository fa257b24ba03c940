package io.daemonset.agent;

import io.daemonset.placement.Selector;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * What a hollow node does with a pod, decided up front and deterministically so that rollouts can be tested against
 * failures: after readyDelay, a pod becomes Running and Ready; or Running and never Ready; or Failed. Pods on nodes
 * matching failNodes fail and pods on nodes matching neverReadyNodes never become ready; otherwise the pod name's
 * hash puts it in the fail fraction, the never-ready fraction, or neither. The same pod name always meets the same
 * fate; a new pod (a DaemonSet's pods get new names) draws again.
 *
 * @param neverReadyNodes null: no node is singled out
 * @param failNodes null: no node is singled out
 */
public record HollowBehavior(Duration readyDelay, double neverReadyFraction, double failFraction,
                             Selector neverReadyNodes, Selector failNodes) {

  /** CRASH_LOOP only comes from a pod template's {@link HollowFate}: the node-wide fractions never crash-loop. */
  public enum Fate { READY, NEVER_READY, FAIL, CRASH_LOOP }

  public HollowBehavior {
    Flags.fraction("never-ready fraction", neverReadyFraction);
    Flags.fraction("fail fraction", failFraction);
    if (neverReadyFraction + failFraction > 1) {
      throw new IllegalArgumentException("the never-ready and fail fractions add up to more than 1");
    }
    if (readyDelay == null || readyDelay.isNegative()) {
      throw new IllegalArgumentException("the ready delay must not be negative");
    }
  }

  public static HollowBehavior allReady(Duration readyDelay) {
    return new HollowBehavior(readyDelay, 0, 0, null, null);
  }

  /** A label selector flag: blank means none (not "every node"). */
  public static Selector nodeSelector(String query) {
    return query == null || query.isBlank() ? null : Selector.parse(query);
  }

  public Fate fate(String podName, Map<String, String> nodeLabels) {
    if (failNodes != null && failNodes.matches(nodeLabels)) {
      return Fate.FAIL;
    }
    if (neverReadyNodes != null && neverReadyNodes.matches(nodeLabels)) {
      return Fate.NEVER_READY;
    }
    double u = unit(podName);
    if (u < failFraction) {
      return Fate.FAIL;
    }
    if (u < failFraction + neverReadyFraction) {
      return Fate.NEVER_READY;
    }
    return Fate.READY;
  }

  /** FNV-1a 64 of the name, as a number in [0, 1). */
  static double unit(String name) {
    long h = 0xcbf29ce484222325L;
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      h ^= (b & 0xff);
      h *= 0x100000001b3L;
    }
    // avalanche the low-entropy tail of short, similar names (murmur3 fmix64)
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb3fe1a85ec53L;
    h ^= h >>> 33;
    return (h >>> 11) * 0x1.0p-53;
  }
}
