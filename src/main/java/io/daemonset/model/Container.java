package io.daemonset.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** A container of a pod template. command/args are what the process runtime executes. */
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
    Boolean tty) {

  public Container {
    envFrom = Json.absentIfNull(envFrom);
    securityContext = Json.absentIfNull(securityContext);
    lifecycle = Json.absentIfNull(lifecycle);
  }

  public static Container of(String name, String image) {
    return new Container(name, image, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null);
  }

  public Container withImage(String value) {
    return new Container(name, value, command, args, workingDir, env, envFrom, ports, resources, readinessProbe,
        livenessProbe, startupProbe, volumeMounts, imagePullPolicy, securityContext, lifecycle, terminationMessagePath,
        terminationMessagePolicy, stdin, tty);
  }

  public Container withCommand(List<String> value) {
    return new Container(name, image, value, args, workingDir, env, envFrom, ports, resources, readinessProbe,
        livenessProbe, startupProbe, volumeMounts, imagePullPolicy, securityContext, lifecycle, terminationMessagePath,
        terminationMessagePolicy, stdin, tty);
  }

  public Container withResources(ResourceRequirements value) {
    return new Container(name, image, command, args, workingDir, env, envFrom, ports, value, readinessProbe,
        livenessProbe, startupProbe, volumeMounts, imagePullPolicy, securityContext, lifecycle, terminationMessagePath,
        terminationMessagePolicy, stdin, tty);
  }

  public Container withReadinessProbe(Probe value) {
    return new Container(name, image, command, args, workingDir, env, envFrom, ports, resources, value,
        livenessProbe, startupProbe, volumeMounts, imagePullPolicy, securityContext, lifecycle, terminationMessagePath,
        terminationMessagePolicy, stdin, tty);
  }

  public Container withPorts(List<ContainerPort> value) {
    return new Container(name, image, command, args, workingDir, env, envFrom, value, resources, readinessProbe,
        livenessProbe, startupProbe, volumeMounts, imagePullPolicy, securityContext, lifecycle, terminationMessagePath,
        terminationMessagePolicy, stdin, tty);
  }

  public Container withImagePullPolicy(String value) {
    return new Container(name, image, command, args, workingDir, env, envFrom, ports, resources, readinessProbe,
        livenessProbe, startupProbe, volumeMounts, value, securityContext, lifecycle, terminationMessagePath,
        terminationMessagePolicy, stdin, tty);
  }

  public Container withTerminationMessage(String path, String policy) {
    return new Container(name, image, command, args, workingDir, env, envFrom, ports, resources, readinessProbe,
        livenessProbe, startupProbe, volumeMounts, imagePullPolicy, securityContext, lifecycle, path, policy, stdin, tty);
  }
}
