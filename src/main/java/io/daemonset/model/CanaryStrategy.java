package io.daemonset.model;

/**
 * A canary step before a rolling update goes everywhere (Nomad's canary, for a DaemonSet): the new revision first
 * runs on {@code nodes} nodes (a number or a percentage of desiredNumberScheduled, rounded up, at least 1) or on the
 * nodes matching {@code selector} (both: at most that many of the matching ones), and the rollout holds until every
 * canary pod has been available for {@code soakSeconds}. It then continues by itself, or, with
 * {@code manualPromotion}, once the user sets {@code promote} to the revision's hash (the
 * {@code controller-revision-hash} the DaemonSet's status names): the controller never writes the spec, so a
 * promotion is a value the user patches, and naming the revision keeps it from promoting the next rollout too.
 * Nodes that join during the canary get the stable revision, as Nomad does.
 */
public record CanaryStrategy(
    IntOrString nodes,
    LabelSelector selector,
    Integer soakSeconds,
    Boolean manualPromotion,
    String promote) {

  public int soakSecondsOrZero() {
    return soakSeconds == null ? 0 : soakSeconds;
  }

  public boolean isManual() {
    return Boolean.TRUE.equals(manualPromotion);
  }
}
