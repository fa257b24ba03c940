package io.daemonset.model;

/**
 * maxUnavailable and maxSurge (upstream: an absolute number or a percentage of desiredNumberScheduled), and the
 * rollout controls upstream lacks, under OpenKruise's names where it has them ({@code partition}, {@code paused},
 * {@code selector}) and new ones where no anchor has the concept ({@code canary}, {@code failurePolicy}). Every
 * control is null when absent, and absent means upstream's behaviour.
 *
 * @param partition that many pods stay on their old revision (OpenKruise); nodes that join still get the new one
 * @param paused no pod is replaced while true; nodes that join still get a pod
 * @param selector only nodes matching it are updated; clearing it continues the rollout everywhere
 * @param canary a first step on some nodes, held until it has soaked (see {@link CanaryStrategy})
 * @param failurePolicy what a failed rollout does: Continue (upstream), Pause, or Rollback
 * @param failureThreshold updated pods in CrashLoopBackOff that fail the rollout (default 3, or all updated pods
 *     when fewer are updated)
 */
public record RollingUpdateDaemonSet(
    IntOrString maxUnavailable,
    IntOrString maxSurge,
    Integer partition,
    Boolean paused,
    LabelSelector selector,
    CanaryStrategy canary,
    String failurePolicy,
    Integer failureThreshold) {

  public static final String CONTINUE = "Continue";
  public static final String PAUSE = "Pause";
  public static final String ROLLBACK = "Rollback";
  public static final int DEFAULT_FAILURE_THRESHOLD = 3;

  /** Upstream's two fields only: no rollout controls. */
  public RollingUpdateDaemonSet(IntOrString maxUnavailable, IntOrString maxSurge) {
    this(maxUnavailable, maxSurge, null, null, null, null, null, null);
  }

  /** The same controls with another budget (defaulting fills the budget in and must keep the controls). */
  public RollingUpdateDaemonSet withBudget(IntOrString unavailable, IntOrString surge) {
    return new RollingUpdateDaemonSet(unavailable, surge, partition, paused, selector, canary, failurePolicy,
        failureThreshold);
  }

  public int partitionOrZero() {
    return partition == null ? 0 : partition;
  }

  public boolean isPaused() {
    return Boolean.TRUE.equals(paused);
  }

  public String failurePolicyOrDefault() {
    return failurePolicy == null ? CONTINUE : failurePolicy;
  }

  public int failureThresholdOrDefault() {
    return failureThreshold == null ? DEFAULT_FAILURE_THRESHOLD : failureThreshold;
  }
}
