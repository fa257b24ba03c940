package io.daemonset.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.daemonset.api.patch.PatchSchema.ListRule;
import io.daemonset.api.patch.PatchSchema.ListType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The two document operations of server-side apply, after structured-merge-diff's typed Merge and
 * RemoveItems: merge an applied configuration into the live object (maps by key, keyed lists by their
 * keys, sets by value, atomic lists replaced; a {@code null} removes), and remove a set of paths.
 * No directive has meaning here: an apply configuration is a plain partial object.
 */
final class ApplyMerge {
  private final PatchSchema schema;

  ApplyMerge(PatchSchema schema) {
    this.schema = schema;
  }

  /** {@code live} with {@code config} merged in; neither is modified. */
  ObjectNode merge(JsonNode live, JsonNode config) {
    return (ObjectNode) mergeValue(live == null ? Nodes.object() : live, config, "");
  }

  private JsonNode mergeValue(JsonNode live, JsonNode config, String sp) {
    if (Nodes.isAbsent(live) || live.getNodeType() != config.getNodeType()) {
      return Nodes.withoutNulls(config);
    }
    if (config.isObject() && !schema.atomicMap(sp)) {
      ObjectNode out = live.deepCopy();
      config.properties().forEach(e -> {
        if (e.getValue().isNull()) {
          out.remove(e.getKey());
        } else {
          out.set(e.getKey(), mergeValue(out.get(e.getKey()), e.getValue(), PatchSchema.child(sp, e.getKey())));
        }
      });
      return out;
    }
    ListRule rule = schema.list(sp);
    if (config.isArray() && rule.type() != ListType.ATOMIC) {
      return mergeItems(live, config, rule, sp);
    }
    return Nodes.withoutNulls(config);
  }

  /**
   * SMD's list merge order: the applied items in the applied order; a live-only item stays where it was,
   * before the next item both lists share.
   */
  private ArrayNode mergeItems(JsonNode live, JsonNode config, ListRule rule, String sp) {
    Map<String, JsonNode> lhs = FieldSets.itemsById(live, rule);
    Map<String, JsonNode> rhs = FieldSets.itemsById(config, rule);
    List<String> lOrder = new ArrayList<>(lhs.keySet());
    List<String> rOrder = new ArrayList<>(rhs.keySet());
    List<String> shared = rOrder.stream().filter(lhs::containsKey).toList();
    int nextShared = 0;
    Set<String> merged = new HashSet<>();
    ArrayNode out = Nodes.F.arrayNode();
    int l = 0;
    int r = 0;
    while (l < lOrder.size() || r < rOrder.size()) {
      if (l < lOrder.size() && r < rOrder.size()) {
        String pe = lOrder.get(l);
        if (pe.equals(rOrder.get(r))) {
          out.add(mergeValue(lhs.get(pe), rhs.get(pe), PatchSchema.item(sp)));
          merged.add(pe);
          l++;
          r++;
          nextShared = shared.indexOf(pe) + 1;
          continue;
        }
        if (rhs.containsKey(pe) && nextShared < shared.size() && !shared.get(nextShared).equals(pe)) {
          l++; // shared, but not the one due now: the applied order places it
          continue;
        }
      }
      if (l < lOrder.size()) {
        String pe = lOrder.get(l);
        if (!rhs.containsKey(pe)) {
          out.add(lhs.get(pe).deepCopy());
          l++;
          continue;
        }
        if (merged.contains(pe)) {
          l++;
          continue;
        }
      }
      if (r < rOrder.size()) {
        String pe = rOrder.get(r++);
        merged.add(pe);
        out.add(mergeValue(lhs.get(pe), rhs.get(pe), PatchSchema.item(sp)));
        if (nextShared < shared.size() && shared.get(nextShared).equals(pe)) {
          nextShared++;
        }
      }
    }
    return out;
  }

  /** {@code object} without the given paths (each with everything below it); {@code object} is mutated. */
  ObjectNode remove(ObjectNode object, FieldSet paths) {
    List<List<String>> sorted = new ArrayList<>(paths.paths());
    sorted.sort(Comparator.comparingInt(List::size));
    for (List<String> path : sorted) {
      removePath(object, path);
    }
    return object;
  }

  private void removePath(ObjectNode root, List<String> path) {
    JsonNode at = root;
    String sp = "";
    for (int i = 0; i < path.size() && at != null; i++) {
      String element = path.get(i);
      boolean last = i == path.size() - 1;
      if (element.startsWith("f:") && at.isObject()) {
        String name = element.substring(2);
        if (last) {
          ((ObjectNode) at).remove(name);
        }
        at = at.get(name);
        sp = PatchSchema.child(sp, name);
        if (!last && schema.atomicMap(sp)) {
          return; // an atomic map is removed whole or not at all (fields inside it are no paths)
        }
      } else if ((element.startsWith("k:") || element.startsWith("v:")) && at.isArray()) {
        ListRule rule = schema.list(sp);
        int index = indexOf((ArrayNode) at, element, rule);
        if (index < 0) {
          return;
        }
        if (last) {
          ((ArrayNode) at).remove(index);
        }
        at = at.get(index);
        sp = PatchSchema.item(sp);
      } else {
        return;
      }
    }
  }

  private static int indexOf(ArrayNode list, String element, ListRule rule) {
    for (int i = 0; i < list.size(); i++) {
      if (element.equals(FieldSets.itemElement(list.get(i), rule))) {
        return i;
      }
    }
    return -1;
  }
}
