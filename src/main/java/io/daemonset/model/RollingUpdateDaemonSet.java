package io.daemonset.model;

/** maxUnavailable and maxSurge: an absolute number or a percentage of desiredNumberScheduled. */
public record RollingUpdateDaemonSet(IntOrString maxUnavailable, IntOrString maxSurge) {}
