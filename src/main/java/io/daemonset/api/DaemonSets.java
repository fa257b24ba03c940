package io.daemonset.api;

import io.daemonset.model.DaemonSet;
import io.daemonset.model.DaemonSetDefaults;
import io.daemonset.model.ObjectMeta;
import java.time.Instant;

/**
 * DaemonSets between the versions clients speak and the one stored. Stored: apps/v1. extensions/v1beta1 input is
 * defaulted as v1beta1 (selector and labels from the template, OnDelete) and then stored as apps/v1 (its
 * templateGeneration dropped); output through extensions/v1beta1 says extensions/v1beta1.
 */
final class DaemonSets {
  private DaemonSets() {}

  static DaemonSet toVersion(DaemonSet stored, String apiVersion) {
    if (DaemonSet.EXTENSIONS_V1BETA1.equals(apiVersion)) {
      return stored.withApiVersion(DaemonSet.EXTENSIONS_V1BETA1);
    }
    return stored.apiVersion() == null ? stored.withApiVersion(DaemonSet.APPS_V1) : stored;
  }

  /** Request object (identity already checked) → defaulted in its version → the stored apps/v1 form. */
  static DaemonSet admit(DaemonSet requested, String requestApiVersion) {
    DaemonSet defaulted = DaemonSetDefaults.daemonSet(
        new DaemonSet(requestApiVersion, DaemonSet.KIND, requested.metadata(), requested.spec(), requested.status()));
    return new DaemonSet(DaemonSet.APPS_V1, DaemonSet.KIND, defaulted.metadata(),
        defaulted.spec().withTemplateGeneration(null), defaulted.status());
  }

  /**
   * upstream BeforeUpdate: creationTimestamp, deletionTimestamp and generation are the server's; a request without
   * a uid means the stored one (a different uid stays, for validation to refuse).
   */
  static DaemonSet keepServerFields(DaemonSet admitted, DaemonSet existing) {
    ObjectMeta old = existing.metadata();
    ObjectMeta meta = admitted.metadata().withCreationTimestamp(old.creationTimestamp())
        .withDeletionTimestamp(old.deletionTimestamp()).withGeneration(old.generation());
    if (meta.uid() == null || meta.uid().isEmpty()) {
      meta = meta.withUid(old.uid());
    }
    return admitted.withMetadata(meta);
  }

  /** What a create would store (for dryRun): the server's fields set as the entity sets them. */
  static DaemonSet wouldCreate(DaemonSet admitted, Instant now) {
    return io.daemonset.daemonset.DaemonSetObjects.forCreate(admitted, now);
  }

  /** What an update would store (for dryRun): the entity's own strategy, so the two cannot disagree. */
  static DaemonSet wouldUpdate(DaemonSet existing, DaemonSet admitted) {
    return io.daemonset.daemonset.DaemonSetObjects.forUpdate(existing, admitted);
  }
}
