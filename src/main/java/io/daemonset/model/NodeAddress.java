package io.daemonset.model;

/** type: InternalIP, ExternalIP, Hostname. */
public record NodeAddress(String type, String address) {}
