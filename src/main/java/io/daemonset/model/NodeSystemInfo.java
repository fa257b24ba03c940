package io.daemonset.model;

/** What the node agent reports about the machine. */
public record NodeSystemInfo(
    String machineID,
    String systemUUID,
    String bootID,
    String kernelVersion,
    String osImage,
    String containerRuntimeVersion,
    String kubeletVersion,
    String kubeProxyVersion,
    String operatingSystem,
    String architecture) {}
