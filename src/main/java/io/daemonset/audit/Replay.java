package io.daemonset.audit;

import io.daemonset.daemonset.DaemonSetEntity;
import io.daemonset.daemonset.DaemonSetState;
import io.daemonset.daemonset.PodBinding;
import io.daemonset.model.Cause;
import io.daemonset.model.Pod;
import io.daemonset.view.KubeObjects;
import io.daemonset.view.ObjectIndex;
import io.daemonset.view.WatchEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The journal replayed into the same {@link ObjectIndex} the API serves from (the entities' own event handlers),
 * turning each event into an {@link AuditRecord} that says what it changed. Events are applied in journal order;
 * with an instant, each entity stops at its first event decided after it, so the index holds the state as it
 * was then.
 */
public final class Replay {
  private final ObjectIndex index = new ObjectIndex();
  private final Map<String, Object> lastSeen = new HashMap<>();
  private final Set<String> frozen = new HashSet<>();
  private final Instant until;

  /** @param until apply nothing decided after this instant (null: everything) */
  public Replay(Instant until) {
    this.until = until;
  }

  public ObjectIndex index() {
    return index;
  }

  /**
   * As {@link #apply}, but a row of many node answers ({@code PodsAnswered}) gives one record per answer (same
   * ordering), each with its own cause, as rows of single answers did: a pod's story names the node's report that
   * made it Ready, not the batch. The index ends in the same state either way.
   */
  public List<AuditRecord> applyEachAnswer(JournalRow row, Object event) {
    if (event instanceof DaemonSetEntity.PodsAnswered batch) {
      List<AuditRecord> out = new ArrayList<>();
      for (DaemonSetEntity.Event answer : batch.events()) {
        apply(row, answer).ifPresent(out::add);
      }
      return out;
    }
    return apply(row, event).map(List::of).orElse(List.of());
  }

  /** Applies one row's event; empty when it is not an audited event or lies after the instant. */
  public Optional<AuditRecord> apply(JournalRow row, Object event) {
    Optional<Cause> cause = EventCauses.of(event);
    if (!row.isAudited() || cause.isEmpty() || frozen.contains(row.persistenceId())) {
      return Optional.empty();
    }
    Instant at = cause.get().at() == null ? row.writtenAt() : cause.get().at();
    if (until != null && at.isAfter(until)) {
      frozen.add(row.persistenceId());
      return Optional.empty();
    }
    boolean daemonSet = "DaemonSet".equals(row.entityType());
    String namespace = daemonSet ? row.entityId().substring(0, row.entityId().indexOf('/')) : null;
    String name = daemonSet ? row.entityId().substring(row.entityId().indexOf('/') + 1) : row.entityId();
    Map<String, PodBinding> bindingsBefore = daemonSet ? bindings(namespace, name) : Map.of();
    List<Change> changes = new ArrayList<>();
    for (WatchEvent w : index.apply(row.persistenceId(), row.ordering(), event)) {
      if (!ObjectIndex.EVENTS.equals(w.resource())) {
        changes.add(objectChange(w));
      }
    }
    if (daemonSet) {
      changes.addAll(bindingChanges(namespace, bindingsBefore, bindings(namespace, name)));
    }
    return Optional.of(new AuditRecord(row.ordering(), row.persistenceId(), row.sequenceNr(), row.entityType(),
        namespace, name, event.getClass().getSimpleName(), at, row.writtenAt(), cause.get().actor(),
        cause.get().reason(), changes, revisions(changes), nodes(daemonSet ? null : name, changes)));
  }

  private Map<String, PodBinding> bindings(String namespace, String name) {
    return index.daemonSetState(namespace, name).map(DaemonSetState::bindings).orElse(Map.of());
  }

  private Change objectChange(WatchEvent w) {
    String key = w.resource() + "/" + (w.namespace() == null ? "" : w.namespace()) + "/" + w.name();
    Object before = lastSeen.get(key);
    List<FieldChange> fields = List.of();
    if ("DELETED".equals(w.type())) {
      lastSeen.remove(key);
      return new Change(w.resource(), w.namespace(), w.name(), w.type(), fields, before == null ? w.object() : before);
    }
    if (before != null) {
      fields = FieldDiff.between(before, w.object());
    }
    lastSeen.put(key, w.object());
    return new Change(w.resource(), w.namespace(), w.name(), before == null ? "ADDED" : "MODIFIED", fields, w.object());
  }

  private static List<Change> bindingChanges(String namespace, Map<String, PodBinding> before,
                                             Map<String, PodBinding> after) {
    List<Change> out = new ArrayList<>();
    Set<String> names = new java.util.TreeSet<>(before.keySet());
    names.addAll(after.keySet());
    for (String pod : names) {
      PodBinding was = before.get(pod);
      PodBinding now = after.get(pod);
      if (Objects.equals(was, now)) {
        continue;
      }
      if (was == null) {
        out.add(new Change(Change.BINDINGS, namespace, pod, "ADDED", List.of(), now));
      } else if (now == null) {
        out.add(new Change(Change.BINDINGS, namespace, pod, "DELETED", List.of(), was));
      } else {
        out.add(new Change(Change.BINDINGS, namespace, pod, "MODIFIED", FieldDiff.between(was, now), now));
      }
    }
    return out;
  }

  private static List<String> revisions(List<Change> changes) {
    Set<String> out = new LinkedHashSet<>();
    for (Change c : changes) {
      if (c.object() instanceof Pod p && p.metadata().labelsOrEmpty().get("controller-revision-hash") != null) {
        out.add(p.metadata().labelsOrEmpty().get("controller-revision-hash"));
      } else if (c.object() instanceof PodBinding b && b.revisionHash() != null) {
        out.add(b.revisionHash());
      }
    }
    return List.copyOf(out);
  }

  private static List<String> nodes(String node, List<Change> changes) {
    Set<String> out = new LinkedHashSet<>();
    if (node != null) {
      out.add(node);
    }
    for (Change c : changes) {
      if (c.object() instanceof Pod p && p.spec().nodeName() != null) {
        out.add(p.spec().nodeName());
      } else if (c.object() instanceof PodBinding b) {
        out.add(b.nodeName());
      }
    }
    return List.copyOf(out);
  }

  /** The metadata name of any served object (for callers that print objects). */
  static String nameOf(Object object) {
    return KubeObjects.metadata(object).name();
  }
}
