package io.daemonset.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * PodSpec. The fields this control plane acts on are typed; the others that real manifests carry are
 * kept as JSON so that they round-trip and strict field validation does not reject ordinary manifests.
 */
public record PodSpec(
    List<Container> containers,
    List<Container> initContainers,
    List<Volume> volumes,
    Map<String, String> nodeSelector,
    Affinity affinity,
    List<Toleration> tolerations,
    String nodeName,
    Boolean hostNetwork,
    Boolean hostPID,
    Boolean hostIPC,
    Long terminationGracePeriodSeconds,
    Long activeDeadlineSeconds,
    String restartPolicy,
    String dnsPolicy,
    String serviceAccountName,
    String serviceAccount,
    Boolean automountServiceAccountToken,
    String schedulerName,
    String priorityClassName,
    Integer priority,
    String hostname,
    String subdomain,
    JsonNode securityContext,
    JsonNode imagePullSecrets,
    JsonNode dnsConfig,
    JsonNode hostAliases,
    JsonNode topologySpreadConstraints,
    JsonNode readinessGates,
    String runtimeClassName,
    Boolean enableServiceLinks,
    Boolean shareProcessNamespace,
    String preemptionPolicy,
    JsonNode os) {

  public PodSpec {
    securityContext = Json.absentIfNull(securityContext);
    imagePullSecrets = Json.absentIfNull(imagePullSecrets);
    dnsConfig = Json.absentIfNull(dnsConfig);
    hostAliases = Json.absentIfNull(hostAliases);
    topologySpreadConstraints = Json.absentIfNull(topologySpreadConstraints);
    readinessGates = Json.absentIfNull(readinessGates);
    os = Json.absentIfNull(os);
  }

  public static PodSpec of(List<Container> containers) {
    return new PodSpec(containers, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  public List<Container> containersOrEmpty() {
    return containers == null ? List.of() : containers;
  }

  public List<Toleration> tolerationsOrEmpty() {
    return tolerations == null ? List.of() : tolerations;
  }

  public Map<String, String> nodeSelectorOrEmpty() {
    return nodeSelector == null ? Map.of() : nodeSelector;
  }

  public boolean usesHostNetwork() {
    return Boolean.TRUE.equals(hostNetwork);
  }

  public PodSpec withContainers(List<Container> value) {
    return new PodSpec(value, initContainers, volumes, nodeSelector, affinity, tolerations, nodeName, hostNetwork, hostPID,
        hostIPC, terminationGracePeriodSeconds, activeDeadlineSeconds, restartPolicy, dnsPolicy, serviceAccountName,
        serviceAccount, automountServiceAccountToken, schedulerName, priorityClassName, priority, hostname, subdomain,
        securityContext, imagePullSecrets, dnsConfig, hostAliases, topologySpreadConstraints, readinessGates,
        runtimeClassName, enableServiceLinks, shareProcessNamespace, preemptionPolicy, os);
  }

  public PodSpec withNodeSelector(Map<String, String> value) {
    return new PodSpec(containers, initContainers, volumes, value, affinity, tolerations, nodeName, hostNetwork, hostPID,
        hostIPC, terminationGracePeriodSeconds, activeDeadlineSeconds, restartPolicy, dnsPolicy, serviceAccountName,
        serviceAccount, automountServiceAccountToken, schedulerName, priorityClassName, priority, hostname, subdomain,
        securityContext, imagePullSecrets, dnsConfig, hostAliases, topologySpreadConstraints, readinessGates,
        runtimeClassName, enableServiceLinks, shareProcessNamespace, preemptionPolicy, os);
  }

  public PodSpec withAffinity(Affinity value) {
    return new PodSpec(containers, initContainers, volumes, nodeSelector, value, tolerations, nodeName, hostNetwork, hostPID,
        hostIPC, terminationGracePeriodSeconds, activeDeadlineSeconds, restartPolicy, dnsPolicy, serviceAccountName,
        serviceAccount, automountServiceAccountToken, schedulerName, priorityClassName, priority, hostname, subdomain,
        securityContext, imagePullSecrets, dnsConfig, hostAliases, topologySpreadConstraints, readinessGates,
        runtimeClassName, enableServiceLinks, shareProcessNamespace, preemptionPolicy, os);
  }

  public PodSpec withTolerations(List<Toleration> value) {
    return new PodSpec(containers, initContainers, volumes, nodeSelector, affinity, value, nodeName, hostNetwork, hostPID,
        hostIPC, terminationGracePeriodSeconds, activeDeadlineSeconds, restartPolicy, dnsPolicy, serviceAccountName,
        serviceAccount, automountServiceAccountToken, schedulerName, priorityClassName, priority, hostname, subdomain,
        securityContext, imagePullSecrets, dnsConfig, hostAliases, topologySpreadConstraints, readinessGates,
        runtimeClassName, enableServiceLinks, shareProcessNamespace, preemptionPolicy, os);
  }

  public PodSpec withNodeName(String value) {
    return new PodSpec(containers, initContainers, volumes, nodeSelector, affinity, tolerations, value, hostNetwork, hostPID,
        hostIPC, terminationGracePeriodSeconds, activeDeadlineSeconds, restartPolicy, dnsPolicy, serviceAccountName,
        serviceAccount, automountServiceAccountToken, schedulerName, priorityClassName, priority, hostname, subdomain,
        securityContext, imagePullSecrets, dnsConfig, hostAliases, topologySpreadConstraints, readinessGates,
        runtimeClassName, enableServiceLinks, shareProcessNamespace, preemptionPolicy, os);
  }

  public PodSpec withHostNetwork(Boolean value) {
    return new PodSpec(containers, initContainers, volumes, nodeSelector, affinity, tolerations, nodeName, value, hostPID,
        hostIPC, terminationGracePeriodSeconds, activeDeadlineSeconds, restartPolicy, dnsPolicy, serviceAccountName,
        serviceAccount, automountServiceAccountToken, schedulerName, priorityClassName, priority, hostname, subdomain,
        securityContext, imagePullSecrets, dnsConfig, hostAliases, topologySpreadConstraints, readinessGates,
        runtimeClassName, enableServiceLinks, shareProcessNamespace, preemptionPolicy, os);
  }

  public PodSpec withRestartPolicy(String value) {
    return new PodSpec(containers, initContainers, volumes, nodeSelector, affinity, tolerations, nodeName, hostNetwork, hostPID,
        hostIPC, terminationGracePeriodSeconds, activeDeadlineSeconds, value, dnsPolicy, serviceAccountName,
        serviceAccount, automountServiceAccountToken, schedulerName, priorityClassName, priority, hostname, subdomain,
        securityContext, imagePullSecrets, dnsConfig, hostAliases, topologySpreadConstraints, readinessGates,
        runtimeClassName, enableServiceLinks, shareProcessNamespace, preemptionPolicy, os);
  }

  public PodSpec withTerminationGracePeriodSeconds(Long value) {
    return new PodSpec(containers, initContainers, volumes, nodeSelector, affinity, tolerations, nodeName, hostNetwork, hostPID,
        hostIPC, value, activeDeadlineSeconds, restartPolicy, dnsPolicy, serviceAccountName,
        serviceAccount, automountServiceAccountToken, schedulerName, priorityClassName, priority, hostname, subdomain,
        securityContext, imagePullSecrets, dnsConfig, hostAliases, topologySpreadConstraints, readinessGates,
        runtimeClassName, enableServiceLinks, shareProcessNamespace, preemptionPolicy, os);
  }

  public PodSpec withDnsPolicy(String value) {
    return new PodSpec(containers, initContainers, volumes, nodeSelector, affinity, tolerations, nodeName, hostNetwork, hostPID,
        hostIPC, terminationGracePeriodSeconds, activeDeadlineSeconds, restartPolicy, value, serviceAccountName,
        serviceAccount, automountServiceAccountToken, schedulerName, priorityClassName, priority, hostname, subdomain,
        securityContext, imagePullSecrets, dnsConfig, hostAliases, topologySpreadConstraints, readinessGates,
        runtimeClassName, enableServiceLinks, shareProcessNamespace, preemptionPolicy, os);
  }

  public PodSpec withSchedulerName(String value) {
    return new PodSpec(containers, initContainers, volumes, nodeSelector, affinity, tolerations, nodeName, hostNetwork, hostPID,
        hostIPC, terminationGracePeriodSeconds, activeDeadlineSeconds, restartPolicy, dnsPolicy, serviceAccountName,
        serviceAccount, automountServiceAccountToken, value, priorityClassName, priority, hostname, subdomain,
        securityContext, imagePullSecrets, dnsConfig, hostAliases, topologySpreadConstraints, readinessGates,
        runtimeClassName, enableServiceLinks, shareProcessNamespace, preemptionPolicy, os);
  }
}
