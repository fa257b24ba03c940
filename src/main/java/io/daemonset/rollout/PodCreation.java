package io.daemonset.rollout;

/** Effect: create a daemon pod of revision {@code revisionHash} on {@code nodeName}. */
public record PodCreation(String nodeName, String revisionHash, Reason reason) {}
