package io.daemonset.model;

/** The pod template of a DaemonSet. */
public record PodTemplateSpec(ObjectMeta metadata, PodSpec spec) {

  public PodTemplateSpec withMetadata(ObjectMeta value) {
    return new PodTemplateSpec(value, spec);
  }

  public PodTemplateSpec withSpec(PodSpec value) {
    return new PodTemplateSpec(metadata, value);
  }
}
