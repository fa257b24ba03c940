package io.daemonset.model;

/** apps/v1 (or extensions/v1beta1) DaemonSet. */
public record DaemonSet(String apiVersion, String kind, ObjectMeta metadata, DaemonSetSpec spec, DaemonSetStatus status) {

  public static final String KIND = "DaemonSet";
  public static final String APPS_V1 = "apps/v1";
  public static final String EXTENSIONS_V1BETA1 = "extensions/v1beta1";

  public DaemonSet withMetadata(ObjectMeta value) {
    return new DaemonSet(apiVersion, kind, value, spec, status);
  }

  public DaemonSet withSpec(DaemonSetSpec value) {
    return new DaemonSet(apiVersion, kind, metadata, value, status);
  }

  public DaemonSet withStatus(DaemonSetStatus value) {
    return new DaemonSet(apiVersion, kind, metadata, spec, value);
  }

  public DaemonSet withApiVersion(String value) {
    return new DaemonSet(value, kind, metadata, spec, status);
  }
}
