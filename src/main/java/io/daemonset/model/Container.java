package io.daemonset.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.util.List;

/**
 * A container of a pod template. command/args are what the process runtime executes.
 * <p>Its {@code with…} copies come from the generated {@code ContainerBuilder.With} (record-builder).
 */
@RecordBuilder
public record Container(
    String name,
    String image,
    List<String> command,
    List<String> args,
    String workingDir,
    List<EnvVar> env,
    JsonNode envFrom,
    List<ContainerPort> ports,
    ResourceRequirements resources,
    Probe readinessProbe,
    Probe livenessProbe,
    Probe startupProbe,
    List<VolumeMount> volumeMounts,
    String imagePullPolicy,
    JsonNode securityContext,
    JsonNode lifecycle,
    String terminationMessagePath,
    String terminationMessagePolicy,
    Boolean stdin,
    Boolean tty) implements ContainerBuilder.With {

  public Container {
    envFrom = Json.absentIfNull(envFrom);
    securityContext = Json.absentIfNull(securityContext);
    lifecycle = Json.absentIfNull(lifecycle);
  }

  public static Container of(String name, String image) {
    return new Container(name, image, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null);
  }

  public Container withTerminationMessage(String path, String policy) {
    return withTerminationMessagePath(path).withTerminationMessagePolicy(policy);
  }
}
