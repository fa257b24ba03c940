package io.daemonset.model;

import java.time.Instant;

/** A node condition such as Ready (True, False or Unknown). */
public record NodeCondition(
    String type, String status, Instant lastHeartbeatTime, Instant lastTransitionTime, String reason, String message) {}
