package io.daemonset.console;

/**
 * What one node's cell on the fleet map shows about the selected DaemonSet's pod there. Each state has its own
 * colour from the Okabe–Ito palette (told apart by people with any common colour-vision deficiency) and, besides
 * the colour, its own pattern or mark, so no two states differ by hue alone (see console.css).
 */
public enum CellState {
  /** On the current revision and Ready. */
  UPDATED("u", "updated and ready"),
  /** On an older revision, Ready: the rollout has not reached it yet. */
  OLD("o", "old revision"),
  /** On the current revision, not Ready yet, not failing. */
  STARTING("s", "starting"),
  /** Not Ready on an old revision, being deleted, or on a node that is not Ready. */
  UNAVAILABLE("x", "unavailable"),
  /** A container restarting in a loop (CrashLoopBackOff, or restarted and not Ready). */
  CRASH_LOOP("c", "crash-looping"),
  /** The node should run a pod and has none yet. */
  MISSING("m", "no pod yet"),
  /** The node is not eligible (selector, affinity or taints): no pod belongs there. */
  NOT_ELIGIBLE("n", "not eligible");

  private final String code;
  private final String label;

  CellState(String code, String label) {
    this.code = code;
    this.label = label;
  }

  /** One letter, in the page and in live updates (5,000 cells per message must stay small). */
  public String code() {
    return code;
  }

  public String label() {
    return label;
  }
}
