package io.daemonset.model;

/** A port a container exposes. protocol defaults to TCP. */
public record ContainerPort(String name, Integer containerPort, Integer hostPort, String hostIP, String protocol) {}
