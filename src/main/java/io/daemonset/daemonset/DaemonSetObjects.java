package io.daemonset.daemonset;

import io.daemonset.model.DaemonSet;
import io.daemonset.model.DaemonSetStatus;
import io.daemonset.model.ObjectMeta;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Pure rules for the server-owned fields of a DaemonSet on create and update (upstream's strategy.go): the one
 * strategy for both the entity's real write and the API's dryRun answer.
 */
public final class DaemonSetObjects {
  /** Upstream apps/v1 keeps the deprecated spec.templateGeneration in this annotation, bumped per template change. */
  static final String TEMPLATE_GENERATION = "deprecated.daemonset.template.generation";

  private DaemonSetObjects() {}

  /** The template generation an object carries (its annotation), 1 when absent. */
  static long templateGeneration(DaemonSet ds) {
    return templateGeneration(ds.metadata(), 1);
  }

  /** The template generation in these annotations (a DaemonSet's, or a ControllerRevision's copy), else fallback. */
  static long templateGeneration(ObjectMeta meta, long fallback) {
    String value = meta.annotationsOrEmpty().get(TEMPLATE_GENERATION);
    try {
      return value == null ? fallback : Long.parseLong(value);
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  private static ObjectMeta withTemplateGeneration(ObjectMeta meta, long generation) {
    Map<String, String> annotations = new LinkedHashMap<>(meta.annotationsOrEmpty());
    annotations.put(TEMPLATE_GENERATION, Long.toString(generation));
    return meta.withAnnotations(Map.copyOf(annotations));
  }

  /** Create clears status, sets generation 1, and assigns identity; the object is stored as apps/v1. */
  public static DaemonSet forCreate(DaemonSet requested, Instant now) {
    ObjectMeta meta = requested.metadata()
        .withUid(UUID.randomUUID().toString())
        .withCreationTimestamp(now)
        .withGeneration(1L)
        .withResourceVersion(null)
        .withDeletionTimestamp(null)
        .withManagedFields(requested.metadata().managedFields());
    meta = withTemplateGeneration(meta, 1);
    return new DaemonSet(DaemonSet.APPS_V1, DaemonSet.KIND, meta, requested.spec(), DaemonSetStatus.EMPTY);
  }

  /**
   * Update takes labels, annotations and spec from the request and keeps identity and status; a spec
   * change bumps generation (a template change is one such change), as upstream's PrepareForUpdate does.
   */
  public static DaemonSet forUpdate(DaemonSet existing, DaemonSet requested) {
    ObjectMeta old = existing.metadata();
    ObjectMeta asked = requested.metadata();
    long generation = old.generation() == null ? 1 : old.generation();
    if (!Objects.equals(existing.spec(), requested.spec())) {
      generation++;
    }
    ObjectMeta meta = old.withLabels(asked.labels())
        .withAnnotations(asked.annotations())
        .withOwnerReferences(asked.ownerReferences())
        .withFinalizers(old.deletionTimestamp() != null ? finalizersWhileDeleting(old, asked) : asked.finalizers())
        .withManagedFields(asked.managedFields())
        .withGeneration(generation);
    // Bumped only when the template changes, whatever annotations the request carried (upstream's strategy).
    boolean templateChanged = !Objects.equals(existing.spec().template(), requested.spec().template());
    meta = withTemplateGeneration(meta, templateGeneration(existing) + (templateChanged ? 1 : 0));
    return new DaemonSet(DaemonSet.APPS_V1, DaemonSet.KIND, meta, requested.spec(), existing.status());
  }

  /** The finalizers the garbage collector sets for a propagation policy; every other one is a user's. */
  static final java.util.Set<String> SYSTEM_FINALIZERS = java.util.Set.of("foregroundDeletion", "orphan");

  /** The finalizers that are not the garbage collector's: a deletion waits until users remove them. */
  public static java.util.List<String> userFinalizers(ObjectMeta meta) {
    return meta.finalizers() == null ? java.util.List.of()
        : meta.finalizers().stream().filter(f -> !SYSTEM_FINALIZERS.contains(f)).toList();
  }

  /**
   * While the object is being deleted a user may remove finalizers but add none (upstream's rule), and the garbage
   * collector's own stay until it is done.
   */
  static java.util.List<String> finalizersWhileDeleting(ObjectMeta old, ObjectMeta asked) {
    java.util.List<String> wanted = asked.finalizers() == null ? java.util.List.of() : asked.finalizers();
    java.util.List<String> kept = old.finalizers() == null ? java.util.List.of() : old.finalizers().stream()
        .filter(f -> SYSTEM_FINALIZERS.contains(f) || wanted.contains(f)).toList();
    return kept.isEmpty() ? null : kept;
  }
}
