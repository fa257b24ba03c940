package io.daemonset.model;

/** A directory or file of the node mounted into the pod. */
public record HostPathVolumeSource(String path, String type) {}
