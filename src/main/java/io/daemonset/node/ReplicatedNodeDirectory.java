package io.daemonset.node;

import io.daemonset.journal.JsonSerializable;
import io.daemonset.model.Node;
import io.daemonset.model.NodeSpec;
import io.daemonset.model.ObjectMeta;
import io.daemonset.model.Taint;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.ddata.Key;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.LWWMapKey;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;

/**
 * The node directory as a replicated LWWMap (Pekko Distributed Data) from node name to the node.
 *
 * <p>Why replicated data and not a query: every DaemonSet entity must know every node (5,000 nodes ×
 * 50 DaemonSets), react within moments to a label or taint change, and a JVM that joins must learn the
 * whole fleet at once. NodeEntity is the only writer of its own entry; it writes on every persisted
 * change of the Node, when its orphan pods change (namespaces, labels), and when it recovers, never on a
 * heartbeat. Each DaemonSet subscribes and filters locally.
 */
public final class ReplicatedNodeDirectory implements NodeDirectory {
  /**
   * The directory is split over this many keys: one replicated value must fit one remote message, and every local
   * write costs a merge of its key's whole map (Distributed Data merges the modified map into the stored one entry by
   * entry), so the fewer nodes per key the cheaper a write: 5,000 nodes over 32 keys made the replicator ~10 % of a
   * registration's CPU (docs/performance.md, "reg9"). Never change the count of a layout: a new count is a new layout
   * (new key names), read beside the one before it for a release ({@link #LEGACY_SHARDS}).
   */
  static final int SHARDS = 256;

  /**
   * The layout of the release before (32 keys "node-directory-N"), the only one its members read and write. Members of
   * this release read it beside the current one (a node the current layout does not list is as the legacy layout
   * says: its entity runs on an older member), write to it only while an older member is in the cluster
   * ({@link LegacyDirectoryWriters}), and always remove from it.
   */
  static final int LEGACY_SHARDS = 32;

  /**
   * A node as placement needs it: name, labels, taints, unschedulable; and the namespaces where it holds orphan
   * pods (null when none, the common case) with the fingerprint of their labels (null when none), for the DaemonSets'
   * claims. Wrapped for Jackson.
   */
  public record Entry(String name, Map<String, String> labels, List<Taint> taints, Boolean unschedulable,
                      Set<String> orphanNamespaces, Integer orphanLabels) implements JsonSerializable {

    static Entry of(Node node, Set<String> orphanNamespaces, int orphanLabels) {
      boolean orphans = orphanNamespaces != null && !orphanNamespaces.isEmpty();
      List<Taint> taints = node.spec() == null ? null : node.spec().taints();
      return new Entry(node.name(), node.metadata().labels(), taints == null ? null
          : taints.stream().map(t -> Taint.of(t.key(), t.value(), t.effect())).toList(),
          node.spec() == null ? null : node.spec().unschedulable(),
          orphans ? new java.util.TreeSet<>(orphanNamespaces) : null, orphans ? orphanLabels : null);
    }

    Node toNode() {
      return new Node("v1", Node.KIND, ObjectMeta.named(null, name).withLabels(labels),
          new NodeSpec(null, null, unschedulable, taints), null);
    }
  }

  private static final List<Key<LWWMap<String, Entry>>> KEYS = keys("node-directory-256-", SHARDS);
  private static final List<Key<LWWMap<String, Entry>>> LEGACY_KEYS = keys("node-directory-", LEGACY_SHARDS);
  private static final Set<String> LEGACY_IDS = LEGACY_KEYS.stream().map(Key::id)
      .collect(java.util.stream.Collectors.toUnmodifiableSet());

  private static List<Key<LWWMap<String, Entry>>> keys(String prefix, int count) {
    return java.util.stream.IntStream.range(0, count)
        .mapToObj(i -> (Key<LWWMap<String, Entry>>) LWWMapKey.<String, Entry>create(prefix + i))
        .toList();
  }

  private final ActorRef<Replicator.Command> replicator;
  private final SelfUniqueAddress self;
  private final ActorSystem<?> system;
  /** The replicator the typed one wraps: subscriptions go there (see {@link #subscribe}). */
  private final org.apache.pekko.actor.ActorRef classicReplicator;
  private final LegacyDirectoryWriters legacyWriters;

  public ReplicatedNodeDirectory(ActorSystem<?> system) {
    this.system = system;
    this.replicator = DistributedData.get(system).replicator();
    this.classicReplicator = org.apache.pekko.cluster.ddata.DistributedData.get(Adapter.toClassic(system)).replicator();
    this.self = DistributedData.get(system).selfUniqueAddress();
    this.legacyWriters = LegacyDirectoryWriters.get(system);
    // Every part exists from the start (an empty map merges with any other), so that a subscriber can tell
    // "every part seen" from "a part not gossiped yet" even when few nodes leave most parts empty.
    java.util.stream.Stream.concat(KEYS.stream(), LEGACY_KEYS.stream()).forEach(key -> replicator.tell(
        new Replicator.Update<>(key, LWWMap.create(), Replicator.writeLocal(), system.ignoreRef(), map -> map)));
  }

  static Key<LWWMap<String, Entry>> keyFor(String nodeName) {
    return KEYS.get(Math.floorMod(nodeName.hashCode(), SHARDS));
  }

  /** The key of the node in the release before's layout (its members compute it so). */
  static Key<LWWMap<String, Entry>> legacyKeyFor(String nodeName) {
    return LEGACY_KEYS.get(Math.floorMod(nodeName.hashCode(), LEGACY_SHARDS));
  }

  @Override
  public void put(Node node, Set<String> orphanNamespaces, int orphanLabels) {
    Entry entry = Entry.of(node, orphanNamespaces, orphanLabels);
    put(keyFor(node.name()), node.name(), entry);
    if (legacyWriters.mirror()) {
      put(legacyKeyFor(node.name()), node.name(), entry);
    }
  }

  private void put(Key<LWWMap<String, Entry>> key, String nodeName, Entry entry) {
    replicator.tell(new Replicator.Update<>(key, LWWMap.create(), Replicator.writeLocal(), system.ignoreRef(),
        map -> unchanged(map, nodeName, entry) ? map : map.put(self, nodeName, entry)));
  }

  /**
   * Whether the shard already holds this entry for the node. One lookup: {@code getEntries()} would copy the whole
   * shard into a new map on every write (5 % of a 5,000-node registration's CPU samples, ~150 entries copied per node).
   */
  static boolean unchanged(LWWMap<String, Entry> map, String nodeName, Entry entry) {
    scala.Option<Entry> stored = map.get(nodeName);
    return stored.isDefined() && entry.equals(stored.get());
  }

  /**
   * The replicator notifies its subscribers of changed keys every notify-subscribers-interval (100 ms); a joining
   * node waited for that tick, 50 ms on average and up to 100 ms, before any DaemonSet could decide its pods.
   * FlushChanges, sent after the update (the replicator handles both in order), notifies the subscribers of the
   * changed key now. Its cost is one notification per change per subscriber, each of one shard, where the tick
   * batches the changes of 100 ms: during a storm of registrations about what the tick costs at 32 changed shards,
   * and nothing when no change is pending (an unchanged entry is not written).
   */
  @Override
  public void putNow(Node node, Set<String> orphanNamespaces, int orphanLabels) {
    put(node, orphanNamespaces, orphanLabels);
    replicator.tell(Replicator.flushChanges());
  }

  /**
   * From both layouts, whether or not this member mirrors: an entry this or an earlier member left in the legacy layout
   * would otherwise show the removed node again to every member of this release (they read the legacy layout for the
   * names the current one does not hold).
   */
  @Override
  public void remove(String nodeName) {
    for (Key<LWWMap<String, Entry>> key : List.of(keyFor(nodeName), legacyKeyFor(nodeName))) {
      replicator.tell(new Replicator.Update<>(key, LWWMap.create(), Replicator.writeLocal(),
          system.ignoreRef(), map -> map.contains(nodeName) ? map.remove(self, nodeName) : map));
    }
  }

  /**
   * Subscribers get the union of all shards seen so far, on subscription and after changes (throttled by
   * notify-subscribers-interval), marked complete once every shard has been seen. A shard not seen yet only
   * hides its nodes: the DaemonSet creates nothing there, removes nothing there, and decides nothing that
   * depends on the whole fleet until it is complete.
   *
   * <p>Each notification costs the size of the shard that changed, not of the fleet ({@link FleetAssembly}): the
   * fleet is a persistent map updated in place of the changed entries, and a node that did not change keeps its
   * {@link Node} object, so that a subscriber comparing two fleets skips it by identity.
   */
  @Override
  @SuppressWarnings("unchecked")
  public <T> void subscribe(ActorContext<T> context, Function<Fleet, T> adapt) {
    FleetAssembly assembly = new FleetAssembly(SHARDS + LEGACY_SHARDS, name -> keyFor(name).id(),
        name -> legacyKeyFor(name).id(), LEGACY_IDS);
    // Subscribed at the classic replicator, which watches the subscriber and forgets it when it stops. The typed
    // javadsl Subscribe spawns an adapter per Subscribe but remembers one per subscriber (the last), so of one
    // subscriber's 288 keys, 287 adapters outlived it, each notified of its key's every change: 139 KB of heap
    // per DaemonSet entity that ever ran, and growing notification work (DaemonSetLifecycleTest).
    ActorRef<org.apache.pekko.cluster.ddata.Replicator.SubscribeResponse<LWWMap<String, Entry>>> adapter =
        context.messageAdapter((Class<org.apache.pekko.cluster.ddata.Replicator.SubscribeResponse<LWWMap<String, Entry>>>)
                (Class<?>) org.apache.pekko.cluster.ddata.Replicator.SubscribeResponse.class,
            response -> adapt.apply(response instanceof org.apache.pekko.cluster.ddata.Replicator.Changed<LWWMap<String, Entry>> changed
                ? assembly.changed(changed.key().id(), changed.dataValue().getEntries())
                : assembly.deleted(response.key().id())));
    org.apache.pekko.actor.ActorRef subscriber = Adapter.toClassic(adapter);
    java.util.stream.Stream.concat(KEYS.stream(), LEGACY_KEYS.stream()).forEach(key -> classicReplicator.tell(
        new org.apache.pekko.cluster.ddata.Replicator.Subscribe<>(key, subscriber),
        org.apache.pekko.actor.ActorRef.noSender()));
    // a new subscriber gets the current values at the replicator's next notification tick (notify-subscribers-
    // interval): a DaemonSet just created would wait for it before its first decision. Flush now.
    replicator.tell(Replicator.flushChanges());
  }

}
