package io.daemonset.model;

import java.util.Objects;

/**
 * A newer copy of an object that reuses the older copy's instances of the parts that did not change. Both are
 * immutable, so sharing is invisible except in memory: a holder that keeps each version it is sent (a hollow agent
 * keeps the pod it started and the latest one the watch sent, which differ in status and resourceVersion only) would
 * otherwise keep a whole spec per version (docs/performance.md, "mem9").
 */
public final class SharedParts {
  private SharedParts() {}

  /**
   * {@code now}, with {@code before}'s spec, labels, annotations, ownerReferences and finalizers where they are equal,
   * and with {@code status} (a status the caller holds already) when it equals now's. Equal to {@code now} always.
   */
  public static Pod pod(Pod before, Pod now, PodStatus status) {
    if (now == null) {
      return null;
    }
    Pod out = now;
    if (status != null && status != now.status() && status.equals(now.status())) {
      out = out.withStatus(status);
    }
    if (before == null) {
      return out;
    }
    if (before.spec() != now.spec() && Objects.equals(before.spec(), now.spec())) {
      out = out.withSpec(before.spec());
    }
    ObjectMeta was = before.metadata();
    ObjectMeta meta = now.metadata();
    if (was != null && meta != null && was != meta) {
      ObjectMeta shared = meta.withLabels(same(was.labels(), meta.labels()))
          .withAnnotations(same(was.annotations(), meta.annotations()))
          .withOwnerReferences(same(was.ownerReferences(), meta.ownerReferences()))
          .withFinalizers(same(was.finalizers(), meta.finalizers()));
      out = out.withMetadata(shared.equals(was) ? was : shared);
    }
    return out;
  }

  private static <T> T same(T before, T now) {
    return Objects.equals(before, now) ? before : now;
  }
}
