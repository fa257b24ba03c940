package io.daemonset.audit;

import io.daemonset.daemonset.PodBinding;
import io.daemonset.model.Pod;
import io.daemonset.view.ObjectIndex;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every pod ever placed on a node, with why each came and went, and the node's own changes (registered, labels,
 * taints, readiness, removed).
 */
public record NodeLife(String name, List<AuditRecord> nodeEvents, List<Stay> pods) {

  /**
   * One pod's stay on the node.
   *
   * @param came when it was decided for the node (or admitted, for a pod no DaemonSet decided)
   * @param went when it left the node, null while it is still there
   * @param whyWent the decision to delete it, or the deletion's own cause when nobody decided it
   */
  public record Stay(String namespace, String pod, String daemonSet, String revision, Instant came, String whoCame,
                     String whyCame, Instant went, String whoWent, String whyWent) {

    Stay gone(Instant at, String who, String why) {
      return new Stay(namespace, pod, daemonSet, revision, came, whoCame, whyCame, at,
          whoWent == null ? who : whoWent, whyWent == null ? why : whyWent);
    }

    Stay deciding(String who, String why) {
      return new Stay(namespace, pod, daemonSet, revision, came, whoCame, whyCame, went, who, why);
    }
  }

  public NodeLife {
    nodeEvents = List.copyOf(nodeEvents);
    pods = List.copyOf(pods);
  }

  static final class Builder {
    private final String name;
    private final List<AuditRecord> nodeEvents = new ArrayList<>();
    private final Map<String, Stay> stays = new LinkedHashMap<>();

    Builder(String name) {
      this.name = name;
    }

    void accept(AuditRecord r) {
      if (r.touches(ObjectIndex.NODES, null, name)) {
        nodeEvents.add(r);
      }
      for (Change c : r.changes()) {
        if (c.object() instanceof PodBinding b && b.nodeName().equals(name)) {
          binding(r, c, b);
        } else if (c.object() instanceof Pod p && name.equals(p.spec().nodeName())) {
          pod(r, c, p);
        }
      }
    }

    private void binding(AuditRecord r, Change c, PodBinding b) {
      String key = c.namespace() + "/" + c.name();
      Stay stay = stays.get(key);
      if (c.type().equals("ADDED") && stay == null) {
        stays.put(key, new Stay(c.namespace(), c.name(), r.name(), b.revisionHash(), r.at(), r.actor(), r.reason(),
            null, null, null));
      } else if (stay != null && stay.whyWent() == null && b.isBeingDeleted()) {
        stays.put(key, stay.deciding(r.actor(), r.reason()));
      }
    }

    private void pod(AuditRecord r, Change c, Pod p) {
      String key = c.namespace() + "/" + c.name();
      Stay stay = stays.get(key);
      if (stay == null) {
        String owner = p.metadata().ownerReferencesOrEmpty().stream().map(o -> o.name()).findFirst().orElse(null);
        stay = new Stay(c.namespace(), c.name(), owner, p.metadata().labelsOrEmpty().get("controller-revision-hash"),
            r.at(), r.actor(), r.reason(), null, null, null);
        stays.put(key, stay);
      }
      if (c.type().equals("DELETED")) {
        stays.put(key, stay.gone(r.at(), r.actor(), r.reason()));
      } else if (stay.whyWent() == null && p.metadata().deletionTimestamp() != null) {
        stays.put(key, stay.deciding(r.actor(), r.reason()));
      }
    }

    NodeLife build() {
      return new NodeLife(name, nodeEvents, new ArrayList<>(stays.values()));
    }
  }
}
