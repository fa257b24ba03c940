package io.daemonset.agent;

import io.daemonset.placement.Selector;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A test fate a DaemonSet's pod template gives its hollow pods, through the annotation
 * {@value #ANNOTATION}, so that canaries and automatic rollbacks can be tried on hundreds of hollow nodes:
 *
 * <pre>
 *   crash-loop                       every pod of this revision crash-loops (restartCount rising, CrashLoopBackOff)
 *   never-ready                      runs and never becomes Ready
 *   ready-after=30s                  becomes Ready 30 s after it starts
 *   crash-loop;fraction=0.2          on a fifth of the nodes, the others as the hollow node decides
 *   never-ready;nodes=zone=b         on the nodes matching a label selector
 * </pre>
 *
 * The draw is per node and revision ({@code controller-revision-hash}), not per pod: a pod recreated on the same
 * node for the same revision meets the same fate, as a real broken image would, while a rollback (another
 * revision) draws again. Parsing is lenient towards the user's manifest: an annotation this runtime cannot read
 * gives no fate (and the pod behaves as the hollow node decides), never a refused pod.
 */
public record HollowFate(Kind kind, Duration readyAfter, double fraction, Selector nodes) {

  public static final String ANNOTATION = "hollow.daemonset.io/fate";

  public enum Kind { CRASH_LOOP, NEVER_READY, READY_AFTER }

  /** kubelet's crash-loop backoff: 10 s doubling, capped at 5 minutes. */
  static final Duration FIRST_BACKOFF = Duration.ofSeconds(10);
  static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

  public static Optional<HollowFate> parse(String value) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    try {
      String[] parts = value.trim().split(";");
      String head = parts[0].trim();
      Kind kind;
      Duration readyAfter = Duration.ZERO;
      if (head.equals("crash-loop")) {
        kind = Kind.CRASH_LOOP;
      } else if (head.equals("never-ready")) {
        kind = Kind.NEVER_READY;
      } else if (head.startsWith("ready-after=")) {
        kind = Kind.READY_AFTER;
        readyAfter = Flags.duration(head.substring("ready-after=".length()));
      } else {
        return Optional.empty();
      }
      double fraction = 1;
      Selector nodes = null;
      for (int i = 1; i < parts.length; i++) {
        String p = parts[i].trim();
        if (p.startsWith("fraction=")) {
          fraction = Double.parseDouble(p.substring("fraction=".length()));
        } else if (p.startsWith("nodes=")) {
          nodes = Selector.parse(p.substring("nodes=".length()));
        }
      }
      return fraction < 0 || fraction > 1 ? Optional.empty() : Optional.of(new HollowFate(kind, readyAfter, fraction, nodes));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Whether this fate falls on the node for this revision. */
  public boolean appliesTo(String nodeName, Map<String, String> nodeLabels, String revisionHash) {
    if (nodes != null && !nodes.matches(nodeLabels)) {
      return false;
    }
    return fraction >= 1 || HollowBehavior.unit(nodeName + "/" + revisionHash) < fraction;
  }

  /**
   * How many times a crash-looping container has been restarted by {@code now}: it exits at once each time it
   * runs, and kubelet restarts it after 10 s, then 20 s, 40 s, … up to 5 minutes between restarts.
   */
  static int restartsBy(Instant start, Instant now) {
    int restarts = 0;
    while (!nextRestartAt(start, restarts + 1).isAfter(now)) {
      restarts++;
    }
    return restarts;
  }

  /** When restart number {@code restarts} (counting from 1) happens; restart 0 is the start itself. */
  static Instant nextRestartAt(Instant start, int restarts) {
    Instant at = start;
    Duration backoff = FIRST_BACKOFF;
    for (int i = 0; i < restarts; i++) {
      at = at.plus(backoff);
      backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
    }
    return at;
  }
}
