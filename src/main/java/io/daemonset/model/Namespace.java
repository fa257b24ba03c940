package io.daemonset.model;

import java.util.List;

/** A v1 Namespace: its phase is Active, or Terminating from its deletion until its contents are gone. */
public record Namespace(String apiVersion, String kind, ObjectMeta metadata, Spec spec, Status status)
    implements PlainObject {
  public static final String KIND = "Namespace";
  public static final String ACTIVE = "Active";
  public static final String TERMINATING = "Terminating";
  /** The finalizer the namespace lifecycle controller removes once the namespace is empty, as upstream's. */
  public static final String FINALIZER = "kubernetes";

  public record Spec(List<String> finalizers) {}

  public record Status(String phase, List<NamespaceCondition> conditions) {}

  public record NamespaceCondition(String type, String status, java.time.Instant lastTransitionTime, String reason,
                                   String message) {}

  @Override
  public Namespace withMetadata(ObjectMeta value) {
    return new Namespace(apiVersion, kind, value, spec, status);
  }

  public boolean terminating() {
    return metadata != null && metadata.deletionTimestamp() != null
        || status != null && TERMINATING.equals(status.phase());
  }

  public List<String> specFinalizers() {
    return spec == null || spec.finalizers() == null ? List.of() : spec.finalizers();
  }
}
