package io.daemonset.console;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a fleet-map live update tells the page: the cells whose state differs from what the page was last sent, and
 * the cells it should drop. Pure: the feed looks up only the nodes the watch said changed (or every node when the
 * DaemonSet's revision or spec changed), so one message costs the changes, not the fleet.
 *
 * @param changed node → state code, new cells included, in natural node order (the page appends new cells in the
 *     order given)
 * @param removed nodes the page shows that are gone or no longer match the label filter, in natural order
 */
record FleetDiff(SortedMap<String, String> changed, List<String> removed) {

  FleetDiff {
    changed = Collections.unmodifiableSortedMap(new TreeMap<>(changed));
    removed = List.copyOf(removed);
  }

  boolean isEmpty() {
    return changed.isEmpty() && removed.isEmpty();
  }

  /**
   * @param sent node → state code the page has now
   * @param looked every node looked at → its state code now, or null when it is not shown (gone, filtered out);
   *     nodes not looked at are unchanged
   */
  static FleetDiff between(Map<String, String> sent, Map<String, String> looked) {
    SortedMap<String, String> changed = new TreeMap<>(NaturalOrder.INSTANCE);
    List<String> removed = new ArrayList<>();
    looked.forEach((node, code) -> {
      String had = sent.get(node);
      if (code == null) {
        if (had != null) {
          removed.add(node);
        }
      } else if (!code.equals(had)) {
        changed.put(node, code);
      }
    });
    removed.sort(NaturalOrder.INSTANCE);
    return new FleetDiff(changed, removed);
  }

  /** Makes sent what the page has once it applied this diff. */
  void applyTo(Map<String, String> sent) {
    sent.putAll(changed);
    removed.forEach(sent::remove);
  }
}
