package io.daemonset.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.util.List;
import java.util.Map;

/**
 * PodSpec. The fields this control plane acts on are typed; the others that real manifests carry are
 * kept as JSON so that they round-trip and strict field validation does not reject ordinary manifests.
 * <p>Its {@code with…} copies come from the generated {@code PodSpecBuilder.With} (record-builder).
 */
@RecordBuilder
public record PodSpec(
    // decoded lists that many pods repeat are shared (SharedLists)
    @JsonDeserialize(converter = SharedLists.Containers.class) List<Container> containers,
    @JsonDeserialize(converter = SharedLists.Containers.class) List<Container> initContainers,
    List<Volume> volumes,
    Map<String, String> nodeSelector,
    Affinity affinity,
    @JsonDeserialize(converter = SharedLists.Tolerations.class) List<Toleration> tolerations,
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
    JsonNode os) implements PodSpecBuilder.With {

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
}
