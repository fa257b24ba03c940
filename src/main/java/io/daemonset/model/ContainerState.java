package io.daemonset.model;

import java.time.Instant;

/** Exactly one of waiting, running, terminated. */
public record ContainerState(Waiting waiting, Running running, Terminated terminated) {

  public record Waiting(String reason, String message) {}

  public record Running(Instant startedAt) {}

  public record Terminated(Integer exitCode, Integer signal, String reason, String message, Instant startedAt,
                           Instant finishedAt, String containerID) {}
}
