package io.daemonset.model;

import java.time.Instant;

/** A pod condition such as Ready or PodScheduled. */
public record PodCondition(
    String type, String status, Instant lastProbeTime, Instant lastTransitionTime, String reason, String message) {}
