package io.daemonset.rollout;

/** Effect: delete daemon pod {@code podName} from {@code nodeName}. */
public record PodDeletion(String podName, String nodeName, Reason reason) {}
