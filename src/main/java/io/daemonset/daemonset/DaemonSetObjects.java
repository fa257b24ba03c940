package io.daemonset.daemonset;

import io.daemonset.model.DaemonSet;
import io.daemonset.model.DaemonSetStatus;
import io.daemonset.model.ObjectMeta;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** Pure rules for the server-owned fields of a DaemonSet on create and update (upstream's strategy.go). */
final class DaemonSetObjects {
  private DaemonSetObjects() {}

  /** Create clears status, sets generation 1, and assigns identity; the object is stored as apps/v1. */
  static DaemonSet forCreate(DaemonSet requested, Instant now) {
    ObjectMeta meta = requested.metadata()
        .withUid(UUID.randomUUID().toString())
        .withCreationTimestamp(now)
        .withGeneration(1L)
        .withResourceVersion(null)
        .withDeletionTimestamp(null)
        .withManagedFields(requested.metadata().managedFields());
    return new DaemonSet(DaemonSet.APPS_V1, DaemonSet.KIND, meta, requested.spec(), DaemonSetStatus.EMPTY);
  }

  /**
   * Update takes labels, annotations and spec from the request and keeps identity and status; a spec
   * change bumps generation (a template change is one such change), as upstream's PrepareForUpdate does.
   */
  static DaemonSet forUpdate(DaemonSet existing, DaemonSet requested) {
    ObjectMeta old = existing.metadata();
    ObjectMeta asked = requested.metadata();
    long generation = old.generation() == null ? 1 : old.generation();
    if (!Objects.equals(existing.spec(), requested.spec())) {
      generation++;
    }
    ObjectMeta meta = old.withLabels(asked.labels())
        .withAnnotations(asked.annotations())
        .withOwnerReferences(asked.ownerReferences())
        .withFinalizers(old.deletionTimestamp() != null ? old.finalizers() : asked.finalizers())
        .withManagedFields(asked.managedFields())
        .withGeneration(generation);
    return new DaemonSet(DaemonSet.APPS_V1, DaemonSet.KIND, meta, requested.spec(), existing.status());
  }
}
