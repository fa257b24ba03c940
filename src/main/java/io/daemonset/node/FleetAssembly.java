package io.daemonset.node;

import io.daemonset.model.Node;
import io.daemonset.node.ReplicatedNodeDirectory.Entry;
import java.util.HashMap;
import java.util.Map;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;
import org.pcollections.PSortedMap;
import org.pcollections.TreePMap;

/**
 * One subscriber's fleet, assembled from the directory's shards as their notifications arrive.
 *
 * <p>Why incremental: at 5,000 nodes a notification used to rebuild the whole fleet (a sorted map of every node,
 * each converted anew) for every DaemonSet, and the DaemonSet then compared every node with its previous view, so
 * each notification cost every DaemonSet O(fleet) allocations and comparisons, whatever had changed. Here a
 * notification costs the changed shard's size: its entries are compared with the ones seen before, and only the
 * nodes that differ are converted and replaced in a persistent map (structural sharing). A node that did not change
 * keeps the very {@link Node} object of the previous fleet, which lets a subscriber skip it by identity.
 *
 * <p>Not thread-safe: it lives in the subscribing actor's message adapter.
 */
final class FleetAssembly {
  private final int shards;
  /**
   * The shard of a name in the current layout and in the legacy one (null: a single layout). While a rolling upgrade
   * runs, members of the release before hold their nodes in the legacy layout only ({@link ReplicatedNodeDirectory}):
   * a node is what the current layout says, or the legacy layout when the current one does not list it.
   */
  private final Function<String, String> currentShardOf;
  private final Function<String, String> legacyShardOf;
  private final Set<String> legacyShards;
  /** What each shard held when last seen, by shard key. */
  private final Map<String, Map<String, Entry>> entries = new HashMap<>();
  private PSortedMap<String, Node> nodes = TreePMap.empty();
  /** Node → the namespaces where it holds adoptable orphans; only the nodes that hold some (usually none). */
  private PSortedMap<String, Set<String>> orphans = TreePMap.empty();
  /** Node → the fingerprint of its orphans' labels; the same nodes as {@link #orphans}. */
  private PSortedMap<String, Integer> orphanLabels = TreePMap.empty();

  /** One layout of {@code shards} shards. */
  FleetAssembly(int shards) {
    this(shards, null, null, Set.of());
  }

  /**
   * Two layouts: {@code shards} counts the shards of both; a shard whose key is in {@code legacyShards} belongs to the
   * legacy layout, whose entries count only for the names the current layout does not hold.
   */
  FleetAssembly(int shards, Function<String, String> currentShardOf, Function<String, String> legacyShardOf,
                Set<String> legacyShards) {
    this.shards = shards;
    this.currentShardOf = currentShardOf;
    this.legacyShardOf = legacyShardOf;
    this.legacyShards = Set.copyOf(legacyShards);
  }

  /** Shard {@code shard} now holds {@code now}; returns the fleet after it. */
  Fleet changed(String shard, Map<String, Entry> now) {
    Map<String, Entry> before = entries.getOrDefault(shard, Map.of());
    Map<String, Entry> touched = new HashMap<>();
    before.forEach((name, entry) -> {
      if (!now.containsKey(name)) {
        touched.put(name, resolved(name));
      }
    });
    now.forEach((name, entry) -> {
      if (!entry.equals(before.get(name))) {
        touched.put(name, resolved(name));
      }
    });
    entries.put(shard, Map.copyOf(now));
    Set<String> changed = new HashSet<>();
    touched.forEach((name, was) -> {
      Entry entry = resolved(name);
      if (java.util.Objects.equals(entry, was)) {
        return; // the other layout decides this node, or a mirrored write brought what was already shown
      }
      changed.add(name);
      if (entry == null) {
        nodes = nodes.minus(name);
        orphans = orphans.minus(name);
        orphanLabels = orphanLabels.minus(name);
        return;
      }
      nodes = nodes.plus(name, entry.toNode());
      orphans = entry.orphanNamespaces() == null ? orphans.minus(name)
          : orphans.plus(name, Set.copyOf(entry.orphanNamespaces()));
      orphanLabels = entry.orphanLabels() == null ? orphanLabels.minus(name)
          : orphanLabels.plus(name, entry.orphanLabels());
    });
    return fleet(changed);
  }

  /** The entry that decides the node now: the current layout's, else the legacy layout's, else none. */
  private Entry resolved(String name) {
    if (currentShardOf == null) {
      for (Map<String, Entry> shard : entries.values()) {
        Entry entry = shard.get(name);
        if (entry != null) {
          return entry;
        }
      }
      return null;
    }
    Entry current = entries.getOrDefault(currentShardOf.apply(name), Map.of()).get(name);
    return current != null ? current : entries.getOrDefault(legacyShardOf.apply(name), Map.of()).get(name);
  }

  /** Shard {@code shard} was deleted (it never is: a removed node is removed from its shard). */
  Fleet deleted(String shard) {
    if (!entries.containsKey(shard)) {
      return fleet(Set.of());
    }
    Fleet emptied = changed(shard, Map.of());
    entries.remove(shard);
    return fleet(emptied.changed());
  }

  /** The fleet now, with the names that changed since the previous one this assembly returned. */
  private Fleet fleet(Set<String> changed) {
    return new Fleet(nodes, entries.size() == shards, orphans, orphanLabels, changed);
  }
}
