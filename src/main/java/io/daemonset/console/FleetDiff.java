package io.daemonset.console;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
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

  /**
   * The "cells" message the page applies, dense so that a whole-fleet message (a page's first, a new revision's)
   * parses and lists in a few milliseconds: {@code nodes} the changed nodes' names joined by spaces (names never
   * hold one), {@code states} their state codes, one letter each in the same order, {@code removed} names joined
   * by spaces, as the page's own data-nodes and data-states attributes are; e.g.
   * {@code {"nodes":"n1 n2 n10","states":"uox","removed":"n3","full":false,"counts":{…}}}.
   *
   * @param full the message lists every cell the page should show, and the page drops every cell it does not list:
   *     the feed's first message, which cannot know what the page was rendered with (a node may have left since)
   * @param counts how many cells the page shows in each state once it applied the message
   */
  Map<String, Object> message(boolean full, Map<String, Integer> counts) {
    StringBuilder states = new StringBuilder(changed.size());
    changed.values().forEach(states::append);
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("nodes", String.join(" ", changed.keySet()));
    message.put("states", states.toString());
    message.put("removed", String.join(" ", removed));
    message.put("full", full);
    message.put("counts", counts);
    return message;
  }

  /** Makes sent what the page has once it applied this diff. */
  void applyTo(Map<String, String> sent) {
    sent.putAll(changed);
    removed.forEach(sent::remove);
  }
}
