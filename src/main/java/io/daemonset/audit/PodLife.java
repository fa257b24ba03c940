package io.daemonset.audit;

import io.daemonset.daemonset.PodBinding;
import io.daemonset.model.Pod;
import io.daemonset.model.PodStatus;
import io.daemonset.view.ObjectIndex;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The life of one pod, read from what the events did to it: decided by its DaemonSet, admitted by its node,
 * started, ready, deletion decided, terminating, orphaned, deleted; each with who and why.
 */
public record PodLife(String namespace, String name, List<Milestone> milestones) {

  /**
   * @param what decided, admitted, started, ready, not ready, deletion decided, terminating, orphaned, deleted,
   *     dropped (a binding given up, e.g. after a refusal)
   * @param entity the entity whose event it was ("DaemonSet default/logs", "Node n1")
   */
  public record Milestone(Instant at, String what, String namespace, String pod, String actor, String reason,
                          String entity, String node, String revision, long ordering) {}

  public PodLife {
    milestones = List.copyOf(milestones);
  }

  static final class Builder {
    private final String namespace;
    private final String name;
    private final List<Milestone> milestones = new ArrayList<>();
    private final Map<String, Pod> lastPod = new HashMap<>();

    Builder(String namespace, String name) {
      this.namespace = namespace;
      this.name = name;
    }

    void accept(AuditRecord r) {
      for (Change c : r.changes()) {
        if (!c.name().equals(name) || (namespace != null && !namespace.equals(c.namespace()))) {
          continue;
        }
        if (c.resource().equals(Change.BINDINGS)) {
          binding(r, c);
        } else if (c.resource().equals(ObjectIndex.PODS)) {
          pod(r, c);
        }
      }
    }

    private void binding(AuditRecord r, Change c) {
      PodBinding b = (PodBinding) c.object();
      if (c.type().equals("ADDED")) {
        add(r, c, "decided", b.nodeName(), b.revisionHash());
      } else if (c.type().equals("DELETED") && !has(c, "deleted")) {
        add(r, c, "dropped", b.nodeName(), b.revisionHash());
      } else if (c.fields().stream().anyMatch(f -> f.path().equals("phase") && f.to() != null
          && f.to().asText().equals(PodBinding.Phase.DELETE_REQUESTED.name()))) {
        add(r, c, "deletion decided", b.nodeName(), b.revisionHash());
      }
    }

    private void pod(AuditRecord r, Change c) {
      Pod now = (Pod) c.object();
      String key = c.namespace() + "/" + c.name();
      Pod was = lastPod.get(key);
      String node = now.spec().nodeName();
      String revision = now.metadata().labelsOrEmpty().get("controller-revision-hash");
      switch (c.type()) {
        case "ADDED" -> add(r, c, "admitted", node, revision);
        case "DELETED" -> add(r, c, "deleted", node, revision);
        default -> {
          if (was != null && !"Running".equals(phase(was)) && "Running".equals(phase(now))) {
            add(r, c, "started", node, revision);
          }
          if (was != null && ready(was) != ready(now)) {
            add(r, c, ready(now) ? "ready" : "not ready", node, revision);
          }
          if (was != null && was.metadata().deletionTimestamp() == null && now.metadata().deletionTimestamp() != null) {
            add(r, c, "terminating", node, revision);
          }
          if (was != null && !was.metadata().ownerReferencesOrEmpty().isEmpty()
              && now.metadata().ownerReferencesOrEmpty().isEmpty()) {
            add(r, c, "orphaned", node, revision);
          }
        }
      }
      if (c.type().equals("DELETED")) {
        lastPod.remove(key);
      } else {
        lastPod.put(key, now);
      }
    }

    private void add(AuditRecord r, Change c, String what, String node, String revision) {
      milestones.add(new Milestone(r.at(), what, c.namespace(), c.name(), r.actor(), r.reason(), r.entity(), node,
          revision, r.ordering()));
    }

    /** Whether this pod already has the milestone (a binding given up after its pod was deleted is no news). */
    private boolean has(Change c, String what) {
      return milestones.stream().anyMatch(m -> m.what().equals(what) && m.pod().equals(c.name())
          && Objects.equals(m.namespace(), c.namespace()));
    }

    private static String phase(Pod p) {
      return p.status() == null ? null : p.status().phase();
    }

    private static boolean ready(Pod p) {
      return PodStatus.isReady(p.status());
    }

    PodLife build() {
      return new PodLife(namespace, name, milestones);
    }
  }

  /** Whether any milestone of this name was recorded. */
  public boolean has(String what) {
    return milestones.stream().anyMatch(m -> Objects.equals(m.what(), what));
  }
}
