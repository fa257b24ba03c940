package io.daemonset.model;

import java.time.Instant;

/** A generic status condition (DaemonSet conditions). */
public record Condition(String type, String status, Instant lastTransitionTime, String reason, String message) {}
