package io.daemonset.daemonset;

import io.daemonset.model.ControllerRevision;
import io.daemonset.model.DaemonSet;
import io.daemonset.model.OwnerReference;
import io.daemonset.placement.Selector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ControllerRevisions across a deletion with propagation Orphan: they lose their controller reference and
 * stay, and a DaemonSet created later under the same name adopts those its selector matches (upstream's
 * ClaimControllerRevisions), so that applying the same template again finds its revision instead of a new one.
 */
final class OrphanRevisions {
  private OrphanRevisions() {}

  static Map<String, ControllerRevision> orphaned(Map<String, ControllerRevision> revisions) {
    Map<String, ControllerRevision> out = new LinkedHashMap<>();
    revisions.forEach((name, r) -> {
      List<OwnerReference> others = r.metadata().ownerReferencesOrEmpty().stream()
          .filter(ref -> !ref.isController()).toList();
      out.put(name, withOwners(r, others.isEmpty() ? null : others));
    });
    return Map.copyOf(out);
  }

  /** The revisions no controller owns (orphaned already): a Background or Foreground deletion leaves them. */
  static Map<String, ControllerRevision> orphansOnly(Map<String, ControllerRevision> revisions) {
    Map<String, ControllerRevision> out = new LinkedHashMap<>();
    revisions.forEach((name, r) -> {
      if (r.metadata().ownerReferencesOrEmpty().stream().noneMatch(OwnerReference::isController)) {
        out.put(name, r);
      }
    });
    return Map.copyOf(out);
  }

  static Map<String, ControllerRevision> adoptedBy(DaemonSet ds, Map<String, ControllerRevision> revisions) {
    if (revisions.isEmpty()) {
      return Map.of();
    }
    Selector selector = Selector.fromLabelSelector(ds.spec().selector());
    OwnerReference owner = OwnerReference.controlledBy(ds.apiVersion() == null ? DaemonSet.APPS_V1 : ds.apiVersion(),
        DaemonSet.KIND, ds.metadata().name(), ds.metadata().uid());
    Map<String, ControllerRevision> out = new LinkedHashMap<>();
    revisions.forEach((name, r) -> {
      boolean orphan = r.metadata().ownerReferencesOrEmpty().stream().noneMatch(OwnerReference::isController);
      if (orphan && !selector.isEmpty() && selector.matches(r.metadata().labelsOrEmpty())) {
        out.put(name, withOwners(r, List.of(owner)));
      }
    });
    return Map.copyOf(out);
  }

  private static ControllerRevision withOwners(ControllerRevision r, List<OwnerReference> owners) {
    return new ControllerRevision(r.apiVersion(), r.kind(), r.metadata().withOwnerReferences(owners), r.data(),
        r.revision());
  }
}
