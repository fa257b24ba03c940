package io.daemonset.model;

/**
 * maxUnavailable and maxSurge: an absolute number or a percentage of desiredNumberScheduled.
 * {@code paused} (OpenKruise Advanced DaemonSet's name): the rollout controls that operators set with a merge patch
 * (the console's pause and resume buttons send one); absent means false, so a manifest without it behaves as
 * upstream's. Stored and served as given; the controller's honouring of it is the rollout-controls work.
 */
public record RollingUpdateDaemonSet(IntOrString maxUnavailable, IntOrString maxSurge, Boolean paused) {

  public RollingUpdateDaemonSet(IntOrString maxUnavailable, IntOrString maxSurge) {
    this(maxUnavailable, maxSurge, null);
  }

  public RollingUpdateDaemonSet withPaused(Boolean value) {
    return new RollingUpdateDaemonSet(maxUnavailable, maxSurge, value);
  }
}
