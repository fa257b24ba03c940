package io.daemonset.model;

/** What the runtime says about one container. */
public record ContainerStatus(
    String name,
    ContainerState state,
    ContainerState lastState,
    boolean ready,
    int restartCount,
    String image,
    String imageID,
    String containerID,
    Boolean started) {}
