package io.daemonset.placement;

/**
 * Whether a DaemonSet's pod belongs on a node. {@code shouldRun}: create one if the node has none.
 * {@code shouldContinueRunning}: keep the one it has. {@code reason} says, for people and the audit trail, why
 * either answer is false; it is empty when both are true.
 *
 * <p>Invariant: shouldRun implies shouldContinueRunning.
 */
public record Eligibility(boolean shouldRun, boolean shouldContinueRunning, String reason) {

  public static final Eligibility ELIGIBLE = new Eligibility(true, true, "");

  public Eligibility {
    if (shouldRun && !shouldContinueRunning) {
      throw new IllegalArgumentException("a pod that should run should also continue running");
    }
    reason = reason == null ? "" : reason;
  }

  static Eligibility ineligible(String reason) {
    return new Eligibility(false, false, reason);
  }
}
