package io.daemonset.model;

/** TCP probe: a connection that opens means success. */
public record TcpSocketAction(IntOrString port, String host) {}
