package io.daemonset.model;

/** Where a volume appears inside a container. */
public record VolumeMount(String name, String mountPath, Boolean readOnly, String subPath, String mountPropagation) {}
