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

  /**
   * The controller reference of this DaemonSet ({@code ownerUid}) goes; a revision handed over to another DaemonSet
   * already (controlled by it) keeps its controller.
   */
  static Map<String, ControllerRevision> orphaned(Map<String, ControllerRevision> revisions, String ownerUid) {
    Map<String, ControllerRevision> out = new LinkedHashMap<>();
    revisions.forEach((name, r) -> {
      if (controlledByAnother(r, ownerUid)) {
        out.put(name, r);
        return;
      }
      List<OwnerReference> others = r.metadata().ownerReferencesOrEmpty().stream()
          .filter(ref -> !ref.isController()).toList();
      out.put(name, withOwners(r, others.isEmpty() ? null : others));
    });
    return Map.copyOf(out);
  }

  /**
   * The revisions this DaemonSet does not control (orphaned already, or handed over to another DaemonSet and not yet
   * forgotten): a Background or Foreground deletion leaves them.
   */
  static Map<String, ControllerRevision> orphansOnly(Map<String, ControllerRevision> revisions, String ownerUid) {
    Map<String, ControllerRevision> out = new LinkedHashMap<>();
    revisions.forEach((name, r) -> {
      if (r.metadata().ownerReferencesOrEmpty().stream().noneMatch(OwnerReference::isController)
          || controlledByAnother(r, ownerUid)) {
        out.put(name, r);
      }
    });
    return Map.copyOf(out);
  }

  private static boolean controlledByAnother(ControllerRevision r, String ownerUid) {
    return r.metadata().ownerReferencesOrEmpty().stream()
        .anyMatch(ref -> ref.isController() && ownerUid != null && !ownerUid.equals(ref.uid()));
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

  /**
   * The holder's side of a hand-over to another DaemonSet (ClaimControllerRevisions across names): of the named
   * revisions, those no controller owns whose labels the selector matches, and those handed to {@code to} already.
   */
  static Map<String, ControllerRevision> handOverable(Map<String, ControllerRevision> revisions, List<String> names,
                                                      io.daemonset.model.LabelSelector selector, OwnerReference to) {
    Selector matcher = Selector.fromLabelSelector(selector);
    Map<String, ControllerRevision> out = new LinkedHashMap<>();
    for (String name : names) {
      ControllerRevision r = revisions.get(name);
      if (r == null) {
        continue;
      }
      OwnerReference controller = r.metadata().ownerReferencesOrEmpty().stream().filter(OwnerReference::isController)
          .findFirst().orElse(null);
      boolean orphan = controller == null && !matcher.isEmpty() && matcher.matches(r.metadata().labelsOrEmpty());
      if (orphan || (controller != null && controller.uid().equals(to.uid()))) {
        out.put(name, withOwners(r, List.of(to)));
      }
    }
    return out;
  }

  /** Whether a revision is controlled by the DaemonSet of this uid. */
  static boolean controlledBy(ControllerRevision r, String uid) {
    return uid != null && r.metadata().ownerReferencesOrEmpty().stream()
        .anyMatch(ref -> ref.isController() && uid.equals(ref.uid()));
  }

  static ControllerRevision owned(ControllerRevision r, OwnerReference owner) {
    return withOwners(r, List.of(owner));
  }

  private static ControllerRevision withOwners(ControllerRevision r, List<OwnerReference> owners) {
    return new ControllerRevision(r.apiVersion(), r.kind(), r.metadata().withOwnerReferences(owners), r.data(),
        r.revision());
  }
}
