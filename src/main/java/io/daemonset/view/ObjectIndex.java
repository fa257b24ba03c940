package io.daemonset.view;

import io.daemonset.daemonset.DaemonSetEntity;
import io.daemonset.daemonset.DaemonSetState;
import io.daemonset.model.ControllerRevision;
import io.daemonset.model.DaemonSet;
import io.daemonset.model.Event;
import io.daemonset.model.Node;
import io.daemonset.model.Json;
import io.daemonset.model.ObjectMeta;
import io.daemonset.model.PlainKind;
import io.daemonset.model.PlainObject;
import io.daemonset.model.Pod;
import io.daemonset.objects.ObjectEntity;
import io.daemonset.objects.ObjectSealing;
import io.daemonset.objects.ObjectState;
import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.node.NodeEntity;
import io.daemonset.node.NodeState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The API's objects, rebuilt from the journal by applying each entity's own event handler, so the view and
 * the entities can never disagree on what an event means. One writer (the journal stream), many readers.
 * Every change it finds becomes a {@link WatchEvent} stamped with the journal ordering of its event.
 */
public final class ObjectIndex {
  public static final String DAEMONSETS = "daemonsets";
  public static final String NODES = "nodes";
  public static final String PODS = "pods";
  public static final String REVISIONS = "controllerrevisions";
  public static final String EVENTS = "events";
  public static final String NAMESPACES = PlainKind.NAMESPACES.resource;
  public static final String CONFIGMAPS = PlainKind.CONFIGMAPS.resource;
  public static final String SECRETS = PlainKind.SECRETS.resource;
  public static final String SERVICEACCOUNTS = PlainKind.SERVICEACCOUNTS.resource;
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ObjectIndex.class);

  private final Map<String, DaemonSetState> daemonSets = new ConcurrentHashMap<>();
  private final Map<String, NodeState> nodes = new ConcurrentHashMap<>();
  private final Map<String, Map<String, StoredObject>> objects = new ConcurrentHashMap<>();
  private final Map<String, ObjectState> plainObjects = new ConcurrentHashMap<>();
  private final KubeEvents kubeEvents = new KubeEvents();
  /**
   * The kept Events in the order they go once more than {@link KubeEvents#RETAINED} are kept: oldest resourceVersion
   * first, then key. Finding the oldest by a pass over the Events made every Event stored beyond the limit cost 5,000
   * comparisons on the view's thread, under its lock: one per pod a DaemonSet schedules, so a 5,000-node join of ten
   * DaemonSets (5,000 Events in ten seconds) kept the view seconds behind the journal (docs/performance.md, "join9c").
   * Written by the one writer only (apply, restore), as the maps are.
   */
  private final java.util.TreeSet<EventOrder> eventOrder = new java.util.TreeSet<>();
  private final ObjectSealing sealing;

  /** An Event's place in {@link #eventOrder}. */
  private record EventOrder(long resourceVersion, String key) implements Comparable<EventOrder> {
    static EventOrder of(StoredObject event) {
      return new EventOrder(event.resourceVersion(), event.key());
    }

    @Override
    public int compareTo(EventOrder other) {
      int byVersion = Long.compare(resourceVersion, other.resourceVersion);
      return byVersion != 0 ? byVersion : key.compareTo(other.key);
    }
  }

  /** An index that cannot open sealed fields: Secrets appear without their data (audit's state at an instant). */
  public ObjectIndex() {
    this(null);
  }

  /** An index that serves Secrets with their data, opened with this keyring. */
  public ObjectIndex(ObjectSealing sealing) {
    this.sealing = sealing;
    for (String resource : List.of(DAEMONSETS, NODES, PODS, REVISIONS, EVENTS, NAMESPACES, CONFIGMAPS, SECRETS,
        SERVICEACCOUNTS)) {
      objects.put(resource, new ConcurrentHashMap<>());
    }
  }

  /** The entity state behind a plain object (its version is the precondition of an update). */
  public Optional<ObjectState> plainState(String resource, String namespace, String name) {
    return Optional.ofNullable(plainObjects.get(ObjectEntity.entityId(resource, namespace, name)));
  }

  public Optional<StoredObject> get(String resource, String namespace, String name) {
    return Optional.ofNullable(objects.get(resource).get(namespace == null ? name : namespace + "/" + name));
  }

  public Collection<StoredObject> list(String resource) {
    return objects.get(resource).values();
  }

  /**
   * The pods a node's entity holds, as served: pods are served from the node entities' states only, so every pod
   * whose {@code spec.nodeName} is that node is among them. What a list with {@code fieldSelector=spec.nodeName=X}
   * (every kubelet's, at start and at each relist) starts from instead of every pod of the cluster.
   */
  public List<StoredObject> podsOf(String nodeName) {
    NodeState state = nodes.get(nodeName);
    if (state == null) {
      return List.of();
    }
    Map<String, StoredObject> pods = objects.get(PODS);
    List<StoredObject> out = new ArrayList<>(state.pods().size());
    for (String key : state.pods().keySet()) {
      StoredObject pod = pods.get(key);
      if (pod != null) {
        out.add(pod);
      }
    }
    return out;
  }

  /** How many objects the API serves, of every resource: what a snapshot of this index serializes. */
  public int size() {
    int size = 0;
    for (Map<String, StoredObject> byKey : objects.values()) {
      size += byKey.size();
    }
    return size;
  }

  /** The entity state behind a DaemonSet (its specVersion is the precondition of an update). */
  public Optional<DaemonSetState> daemonSetState(String namespace, String name) {
    return Optional.ofNullable(daemonSets.get(namespace + "/" + name));
  }

  /**
   * Revisions a DaemonSet may adopt from other DaemonSets' entities (upstream's ClaimControllerRevisions by
   * selector): of its namespace, held by another entity, no controller and labels matching, or controlled by the
   * asker already (a hand-over not finished). Holder entity key → revision names.
   */
  public Map<String, List<String>> adoptableRevisions(String namespace, io.daemonset.model.LabelSelector selector,
                                                      String askerKey, String askerUid) {
    io.daemonset.placement.Selector matcher = io.daemonset.placement.Selector.fromLabelSelector(selector);
    Map<String, List<String>> out = new java.util.TreeMap<>();
    if (matcher.isEmpty()) {
      return out;
    }
    String prefix = namespace + "/";
    daemonSets.forEach((entityId, state) -> {
      if (!entityId.startsWith(prefix) || entityId.equals(askerKey)) {
        return;
      }
      state.revisions().values().forEach(r -> {
        var controller = r.metadata().ownerReferencesOrEmpty().stream()
            .filter(io.daemonset.model.OwnerReference::isController).findFirst();
        boolean adoptable = controller.isEmpty() ? matcher.matches(r.metadata().labelsOrEmpty())
            : askerUid != null && askerUid.equals(controller.get().uid())
                && (state.daemonSet() == null || !askerUid.equals(state.uid()));
        if (adoptable) {
          out.computeIfAbsent(entityId, k -> new ArrayList<>()).add(r.metadata().name());
        }
      });
    });
    return out;
  }

  /**
   * A revision handed over by another DaemonSet's entity appears in both states until the holder forgets it: the
   * holder's copy (controlled by someone else than its own DaemonSet) is then not the served one.
   */
  private static boolean heldByAdopter(Map<String, DaemonSetState> states, String holderId, DaemonSetState holder,
                                       ControllerRevision r) {
    var controller = r.metadata().ownerReferencesOrEmpty().stream()
        .filter(io.daemonset.model.OwnerReference::isController).findFirst();
    if (controller.isEmpty() || controller.get().uid().equals(holder.uid())) {
      return false;
    }
    return heldElsewhere(states, holderId, r.metadata().namespace(), r.metadata().name());
  }

  private static boolean heldElsewhere(Map<String, DaemonSetState> states, String entityId, String namespace,
                                       String name) {
    String prefix = namespace + "/";
    for (Map.Entry<String, DaemonSetState> e : states.entrySet()) {
      if (!e.getKey().equals(entityId) && e.getKey().startsWith(prefix) && e.getValue().revisions().containsKey(name)) {
        return true;
      }
    }
    return false;
  }

  public Optional<NodeState> nodeState(String name) {
    return Optional.ofNullable(nodes.get(name));
  }

  /**
   * This index as a snapshot keeps it ({@link IndexImage}). The caller makes sure no event is being applied (the
   * view's lock); the states are immutable, so copying the maps is the whole cost.
   */
  IndexImage image() {
    Map<String, Map<String, Long>> versions = new HashMap<>();
    objects.forEach((resource, byKey) -> {
      Map<String, Long> rvs = new HashMap<>(byKey.size() * 2);
      byKey.forEach((key, o) -> rvs.put(key, o.resourceVersion()));
      versions.put(resource, rvs);
    });
    List<Event> events = objects.get(EVENTS).values().stream().map(o -> (Event) o.object()).toList();
    return new IndexImage(Map.copyOf(daemonSets), Map.copyOf(nodes), Map.copyOf(plainObjects), versions, events);
  }

  /**
   * Makes this empty index the one the image was taken of: the served objects are derived again from the entities'
   * states, as {@link #apply} derives them, and stamped with the resourceVersions the image kept.
   *
   * @throws IllegalStateException when the image and the objects its states derive do not match one to one (then
   *     nothing was changed)
   */
  void restore(IndexImage image) {
    Map<String, Map<String, StoredObject>> derived = new HashMap<>();
    objects.keySet().forEach(resource -> derived.put(resource, new HashMap<>()));
    Map<String, Map<String, Long>> versions = image.versions();
    image.daemonSets().forEach((id, state) -> {
      if (state.daemonSet() != null) {
        derive(derived, versions, DAEMONSETS, state.daemonSet(), true);
      }
      // a revision in the middle of a hand-over is served from its adopter only, as apply serves it
      state.revisions().values().stream().filter(r -> !heldByAdopter(image.daemonSets(), id, state, r))
          .forEach(r -> derive(derived, versions, REVISIONS, r, true));
    });
    image.nodes().forEach((id, state) -> {
      if (state.exists()) {
        derive(derived, versions, NODES, state.node(), true);
      }
      state.pods().values().forEach(p -> derive(derived, versions, PODS, p, true));
    });
    image.plainObjects().forEach((id, state) ->
        derive(derived, versions, PlainKind.of(state.resource()).orElseThrow().resource, plainObject(id, state), true));
    image.events().forEach(e -> derive(derived, versions, EVENTS, e, false));
    derived.forEach((resource, byKey) -> {
      int kept = versions.getOrDefault(resource, Map.of()).size();
      if (byKey.size() != kept) {
        throw new IllegalStateException(resource + ": " + kept + " versions kept, " + byKey.size() + " objects derived");
      }
    });
    daemonSets.putAll(image.daemonSets());
    nodes.putAll(image.nodes());
    plainObjects.putAll(image.plainObjects());
    derived.forEach((resource, byKey) -> objects.get(resource).putAll(byKey));
    objects.get(EVENTS).values().forEach(e -> eventOrder.add(EventOrder.of(e)));
  }

  private static void derive(Map<String, Map<String, StoredObject>> derived, Map<String, Map<String, Long>> versions,
                             String resource, Object object, boolean stamp) {
    ObjectMeta meta = KubeObjects.metadata(object);
    String key = meta.namespace() == null ? meta.name() : meta.namespace() + "/" + meta.name();
    Long rv = versions.getOrDefault(resource, Map.of()).get(key);
    if (rv == null) {
      throw new IllegalStateException(resource + " " + key + ": no resourceVersion kept");
    }
    StoredObject stored = new StoredObject(resource, meta.namespace(), meta.name(),
        stamp ? KubeObjects.withResourceVersion(object, rv) : object, rv);
    if (derived.get(resource).put(key, stored) != null) {
      throw new IllegalStateException(resource + " " + key + ": derived from two entities");
    }
  }

  /** Whether the view applies this entity's events (the journal also holds other actors' events). */
  public static boolean isIndexed(String persistenceId) {
    return persistenceId.startsWith(DaemonSetEntity.ENTITY_TYPE_KEY.name() + "|")
        || persistenceId.startsWith(NodeEntity.ENTITY_TYPE_KEY.name() + "|")
        || persistenceId.startsWith(ObjectEntity.ENTITY_TYPE_KEY.name() + "|");
  }

  /** Applies one journal event; returns the API-visible changes it made. */
  public List<WatchEvent> apply(String persistenceId, long ordering, Object event) {
    String entityId = persistenceId.substring(persistenceId.indexOf('|') + 1);
    List<WatchEvent> changes = new ArrayList<>();
    if (event instanceof DaemonSetEntity.Event e) {
      DaemonSetState before = daemonSets.getOrDefault(entityId, DaemonSetState.EMPTY);
      DaemonSetState after = before.apply(e);
      daemonSets.put(entityId, after);
      diffDaemonSet(before, after, ordering, changes);
      diffRevisions(entityId, before.revisions(), after.revisions(), ordering, changes);
      kubeEvents.derive(before, e, ordering).forEach(k -> changes.add(store(EVENTS, k, ordering)));
    } else if (event instanceof NodeEntity.Event e) {
      NodeState before = nodes.getOrDefault(entityId, NodeState.EMPTY);
      NodeState after = before.apply(e);
      nodes.put(entityId, after);
      diffNode(before, after, ordering, changes);
      diffPods(before.pods(), after.pods(), ordering, changes);
      kubeEvents.derive(e, ordering).forEach(k -> changes.add(store(EVENTS, k, ordering)));
    } else if (event instanceof ObjectEntity.Event e) {
      ObjectState before = plainObjects.getOrDefault(entityId, ObjectState.EMPTY);
      ObjectState after = before.apply(e);
      if (after.exists()) {
        plainObjects.put(entityId, after);
      } else {
        plainObjects.remove(entityId);
      }
      diffPlain(entityId, before, after, ordering, changes);
    }
    return changes;
  }

  private void diffPlain(String entityId, ObjectState before, ObjectState after, long ordering, List<WatchEvent> out) {
    PlainKind kind = PlainKind.of(after.resource()).orElseThrow();
    if (after.exists()) {
      out.add(store(kind.resource, KubeObjects.withResourceVersion(plainObject(entityId, after), ordering), ordering));
    } else if (before.exists()) {
      ObjectMeta meta = Json.convert(before.object().path("metadata"), ObjectMeta.class);
      out.add(remove(kind.resource, kind.namespaced ? meta.namespace() : null, meta.name(), ordering));
      if (kind == PlainKind.NAMESPACES) {
        forgetEvents(meta.name(), ordering, out);
      }
    }
  }

  /** The plain object as served (sealed fields opened when this index can), without its resourceVersion. */
  private PlainObject plainObject(String entityId, ObjectState state) {
    JsonNode full = state.object();
    if (sealing != null) {
      try {
        full = sealing.join(entityId, state.object(), state.sealed());
      } catch (IllegalStateException e) {
        LOG.error("{}: served without its sealed fields: {}", entityId, e.getMessage());
      }
    }
    return Json.convert(full, PlainKind.of(state.resource()).orElseThrow().type);
  }

  /** A namespace that is gone takes its Events along (they are the view's, not an entity's). */
  private void forgetEvents(String namespace, long ordering, List<WatchEvent> out) {
    List<StoredObject> inNamespace = objects.get(EVENTS).values().stream()
        .filter(o -> namespace.equals(o.namespace())).toList();
    inNamespace.forEach(o -> out.add(remove(EVENTS, o.namespace(), o.name(), ordering)));
  }

  private void diffDaemonSet(DaemonSetState before, DaemonSetState after, long ordering, List<WatchEvent> out) {
    if (Objects.equals(before.daemonSet(), after.daemonSet())) {
      return;
    }
    if (after.daemonSet() == null) {
      out.add(remove(DAEMONSETS, before.daemonSet().metadata().namespace(), before.daemonSet().metadata().name(), ordering));
    } else {
      DaemonSet ds = after.daemonSet();
      out.add(store(DAEMONSETS, ds.withMetadata(ds.metadata().withResourceVersion(String.valueOf(ordering))), ordering));
    }
  }

  private void diffRevisions(String entityId, Map<String, ControllerRevision> before,
                             Map<String, ControllerRevision> after, long ordering, List<WatchEvent> out) {
    Set<String> names = new HashSet<>(before.keySet());
    names.addAll(after.keySet());
    for (String name : names) {
      ControllerRevision was = before.get(name);
      ControllerRevision now = after.get(name);
      if (Objects.equals(was, now)) {
        continue;
      }
      if (now == null) {
        // handed over to another DaemonSet, which holds it now: the object stays (it was MODIFIED, not DELETED)
        if (!heldElsewhere(daemonSets, entityId, was.metadata().namespace(), name)) {
          out.add(remove(REVISIONS, was.metadata().namespace(), name, ordering));
        }
      } else {
        ControllerRevision stamped = new ControllerRevision(now.apiVersion(), now.kind(),
            now.metadata().withResourceVersion(String.valueOf(ordering)), now.data(), now.revision());
        out.add(store(REVISIONS, stamped, ordering));
      }
    }
  }

  private void diffNode(NodeState before, NodeState after, long ordering, List<WatchEvent> out) {
    Node was = before.exists() ? before.node() : null;
    Node now = after.exists() ? after.node() : null;
    if (Objects.equals(was, now)) {
      return;
    }
    if (now == null) {
      out.add(remove(NODES, null, was.name(), ordering));
    } else {
      out.add(store(NODES, now.withMetadata(now.metadata().withResourceVersion(String.valueOf(ordering))), ordering));
    }
  }

  private void diffPods(Map<String, Pod> before, Map<String, Pod> after, long ordering, List<WatchEvent> out) {
    Set<String> keys = new HashSet<>(before.keySet());
    keys.addAll(after.keySet());
    for (String key : keys) {
      Pod was = before.get(key);
      Pod now = after.get(key);
      if (Objects.equals(was, now)) {
        continue;
      }
      if (now == null) {
        out.add(remove(PODS, was.metadata().namespace(), was.metadata().name(), ordering));
      } else {
        out.add(store(PODS, now.withMetadata(now.metadata().withResourceVersion(String.valueOf(ordering))), ordering));
      }
    }
  }

  private WatchEvent store(String resource, Object object, long ordering) {
    var meta = KubeObjects.metadata(object);
    StoredObject stored = new StoredObject(resource, meta.namespace(), meta.name(), object, ordering);
    StoredObject previous = objects.get(resource).put(stored.key(), stored);
    if (EVENTS.equals(resource)) {
      if (previous != null) {
        eventOrder.remove(EventOrder.of(previous));
      }
      eventOrder.add(EventOrder.of(stored));
      trimEvents();
    }
    return new WatchEvent(previous == null ? "ADDED" : "MODIFIED", resource, meta.namespace(), meta.name(), object,
        ordering, previous);
  }

  private WatchEvent remove(String resource, String namespace, String name, long ordering) {
    StoredObject previous = objects.get(resource).remove(namespace == null ? name : namespace + "/" + name);
    if (previous != null && EVENTS.equals(resource)) {
      eventOrder.remove(EventOrder.of(previous));
    }
    Object last = previous == null ? null : KubeObjects.withResourceVersion(previous.object(), ordering);
    return new WatchEvent("DELETED", resource, namespace, name, last, ordering, previous);
  }

  /**
   * Kubernetes keeps events for an hour; this keeps the newest few thousand: the oldest resourceVersion goes first,
   * by key among events of one ordering, so the same one goes whatever the map's order (a restored index agrees).
   */
  private void trimEvents() {
    Map<String, StoredObject> events = objects.get(EVENTS);
    while (events.size() > KubeEvents.RETAINED && !eventOrder.isEmpty()) {
      events.remove(eventOrder.pollFirst().key());
    }
  }
}
