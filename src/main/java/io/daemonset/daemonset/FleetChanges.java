package io.daemonset.daemonset;

import io.daemonset.model.Node;
import io.daemonset.model.Taint;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What changed in the fleet between two views of the node directory, in words, so that the controller's
 * decisions can name their trigger ("node n7: label ssd removed") in the audit trail.
 */
final class FleetChanges {
  private FleetChanges() {}

  static List<String> describe(Map<String, Node> before, Map<String, Node> after) {
    return describe(before, after, before == null ? Set.of() : namesChanged(before, after == null ? Map.of() : after));
  }

  /** {@link #describe(Map, Map)} given the names that changed between the two ({@link #namesChanged}). */
  static List<String> describe(Map<String, Node> before, Map<String, Node> after, Set<String> changed) {
    List<String> changes = new ArrayList<>();
    if (before == null) {
      return after == null ? changes : List.of("fleet of " + after.size() + " nodes seen");
    }
    for (String name : changed) {
      Node was = before.get(name);
      Node now = after == null ? null : after.get(name);
      if (was == null) {
        changes.add("node " + name + " added");
      } else if (now == null) {
        changes.add("node " + name + " removed");
      } else {
        labels(name, was.metadata().labelsOrEmpty(), now.metadata().labelsOrEmpty(), changes);
        taints(name, taintsOf(was), taintsOf(now), changes);
      }
    }
    return changes;
  }

  /**
   * The nodes added, removed or changed, in name order; every node when there was no view before. A node whose
   * object is the same in both views is skipped without comparing it: the directory keeps the object of a node
   * that did not change ({@code node.FleetAssembly}), so a notification costs little more than what changed.
   */
  static Set<String> namesChanged(Map<String, Node> before, Map<String, Node> after) {
    return namesChanged(before, after, null);
  }

  /**
   * {@link #namesChanged(Map, Map)} when the directory said which names it changed ({@code candidates}, null if it
   * did not): only those are compared, so a notification costs what changed, not the fleet. The candidates are
   * relative to the previous fleet the subscriber was given, which is {@code before} as long as it sees every
   * notification; the comparison keeps the answer right for the ones that did not change after all.
   */
  static Set<String> namesChanged(Map<String, Node> before, Map<String, Node> after, Set<String> candidates) {
    if (before != null && candidates != null) {
      Set<String> names = new TreeSet<>();
      for (String name : candidates) {
        Node was = before.get(name);
        Node now = after.get(name);
        if (was != now && (was == null || !was.equals(now))) {
          names.add(name);
        }
      }
      return names;
    }
    if (before == null) {
      return Set.copyOf(after.keySet());
    }
    Set<String> names = new TreeSet<>();
    after.forEach((name, node) -> {
      Node was = before.get(name);
      if (was != node && !node.equals(was)) {
        names.add(name);
      }
    });
    before.keySet().forEach(name -> {
      if (!after.containsKey(name)) {
        names.add(name);
      }
    });
    return names;
  }

  private static void labels(String node, Map<String, String> was, Map<String, String> now, List<String> out) {
    Set<String> keys = new TreeSet<>(was.keySet());
    keys.addAll(now.keySet());
    for (String key : keys) {
      String a = was.get(key);
      String b = now.get(key);
      if (a == null) {
        out.add("node " + node + ": label " + key + "=" + b + " added");
      } else if (b == null) {
        out.add("node " + node + ": label " + key + " removed");
      } else if (!Objects.equals(a, b)) {
        out.add("node " + node + ": label " + key + " changed from " + a + " to " + b);
      }
    }
  }

  private static void taints(String node, Set<String> was, Set<String> now, List<String> out) {
    for (String t : new TreeSet<>(now)) {
      if (!was.contains(t)) {
        out.add("node " + node + ": taint " + t + " added");
      }
    }
    for (String t : new TreeSet<>(was)) {
      if (!now.contains(t)) {
        out.add("node " + node + ": taint " + t + " removed");
      }
    }
  }

  private static Set<String> taintsOf(Node node) {
    Set<String> out = new HashSet<>();
    if (node.spec() != null) {
      for (Taint t : node.spec().taintsOrEmpty()) {
        out.add(t.key() + (t.value() == null ? "" : "=" + t.value()) + ":" + t.effect());
      }
    }
    return out;
  }
}
