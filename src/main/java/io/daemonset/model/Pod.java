package io.daemonset.model;

/** A v1 Pod. Daemon pods have spec.nodeName set by the DaemonSet, never by a scheduler. */
public record Pod(String apiVersion, String kind, ObjectMeta metadata, PodSpec spec, PodStatus status) {

  public static final String KIND = "Pod";

  public Pod withMetadata(ObjectMeta value) {
    return new Pod(apiVersion, kind, value, spec, status);
  }

  public Pod withSpec(PodSpec value) {
    return new Pod(apiVersion, kind, metadata, value, status);
  }

  public Pod withStatus(PodStatus value) {
    return new Pod(apiVersion, kind, metadata, spec, value);
  }
}
